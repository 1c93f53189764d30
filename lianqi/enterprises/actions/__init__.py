"""Every write to the enterprise register, by subject: the register itself (`register`), its
tag vocabulary (`tags`), the enterprise's code and one-time codes (`codes`), the Excel import
(`importing`) and the industry table (`industries`). The names callers use are re-exported here.
"""

from .codes import rotate_code_token, send_phone_code, verify_phone_code
from .importing import request_commit, run_commit, run_validation, start_import, write_rows
from .industries import load_industries
from .register import (
    CONTACT_FIELDS,
    EDITABLE_FIELDS,
    YEAR_FIGURE_FIELDS,
    create_enterprise,
    delete_contact,
    save_contact,
    save_year_figure,
    update_enterprise,
)
from .tags import create_tag, delete_tag, merge_tags, update_tag

__all__ = [
    "CONTACT_FIELDS",
    "EDITABLE_FIELDS",
    "YEAR_FIGURE_FIELDS",
    "create_enterprise",
    "create_tag",
    "delete_contact",
    "delete_tag",
    "load_industries",
    "merge_tags",
    "request_commit",
    "rotate_code_token",
    "run_commit",
    "run_validation",
    "save_contact",
    "save_year_figure",
    "send_phone_code",
    "start_import",
    "update_enterprise",
    "update_tag",
    "verify_phone_code",
    "write_rows",
]
