"""Pages of the register, by subject: the list (`lists`), an enterprise's file (`detail`, its
sections in `file`), filing and changing (`register`), its code images (`qr`), the public code
pages (`code`), the Excel import (`importing`) and the tag vocabulary (`tags`). Two pieces other
apps build on are re-exported: `options_html` for filter selects and `CodeTokenMixin` for pages
under an enterprise's code."""

from .code import CodeTokenMixin
from .lists import chosen_only, options_html

__all__ = ["CodeTokenMixin", "chosen_only", "options_html"]
