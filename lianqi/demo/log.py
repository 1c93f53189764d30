"""The demo's log in one language at a time (`manage.py demo --language`, `lianqi demo
--language`): Chinese by default, or English. The log is a terminal's, not a page's: each line
is written here in both languages and `Say` picks one, so the English log does not wait for
the catalogue to be compiled, and the two never mix on one line."""

from __future__ import annotations

from dataclasses import dataclass

#: The languages the log can be printed in; the first is the default.
LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True)
class Say:
    """Picks the line of the log's language: ``say("中文", "English")``."""

    language: str = LANGUAGES[0]

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"the demo's log is printed in {', '.join(LANGUAGES)}, not {self.language!r}")

    @property
    def english(self) -> bool:
        return self.language == "en"

    def __call__(self, chinese: str, english: str) -> str:
        return english if self.english else chinese

    def list(self, items: list[str]) -> str:
        """Items joined as the language lists them (、 in Chinese, commas in English)."""
        return (", " if self.english else "、").join(items)


CHINESE = Say()
