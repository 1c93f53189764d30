"""The pure part of the one-time code (短信验证码) an enterprise's filer confirms a phone with:
the limits, making and checking a code, and what the browser session remembers afterwards.
The writes (sending, verifying) are actions in `actions.py`."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.utils.crypto import constant_time_compare, salted_hmac

CODE_DIGITS = 6
#: How long a sent code can be used.
CODE_LIFETIME = dt.timedelta(minutes=10)
#: Wrong guesses after which a code is dead (a new one must be requested).
MAX_ATTEMPTS = 5
#: The least time between two codes to the same phone.
RESEND_INTERVAL = dt.timedelta(seconds=60)
#: At most this many codes per phone, and per code token, in any rolling hour: one phone
#: cannot be bombarded, and one leaked QR code cannot be used to send SMS without end.
MAX_PER_PHONE_PER_HOUR = 5
MAX_PER_TOKEN_PER_HOUR = 10
#: How long the browser stays confirmed after a correct code.
CONFIRMATION_LIFETIME = dt.timedelta(hours=2)

_HMAC_SALT = "lianqi.enterprises.otp"
SESSION_KEY = "lianqi_code_phones"


def new_code() -> str:
    """A random code of `CODE_DIGITS` digits (leading zeros kept)."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def new_salt() -> str:
    return secrets.token_hex(16)


def hash_code(salt: str, code: str) -> str:
    """A keyed hash of the code: with only a million codes a plain hash would be reversed at
    once, while this one also needs the server's SECRET_KEY."""
    return salted_hmac(_HMAC_SALT, f"{salt}:{code}", algorithm="sha256").hexdigest()


def code_matches(salt: str, code_hash: str, code: str) -> bool:
    return constant_time_compare(hash_code(salt, code.strip()), code_hash)


@dataclass(frozen=True)
class ConfirmedPhone:
    """Who the browser confirmed for one code token, and until when."""

    name: str
    phone: str
    until: dt.datetime


def remember(session: Any, *, token: str, name: str, phone: str, at: dt.datetime) -> None:
    """Mark in the browser session that `phone` was confirmed for `token` at `at`."""
    confirmed = dict(session.get(SESSION_KEY) or {})
    confirmed[token] = {"name": name, "phone": phone, "until": (at + CONFIRMATION_LIFETIME).isoformat()}
    session[SESSION_KEY] = confirmed


def confirmed_phone(session: Any, *, token: str, at: dt.datetime) -> ConfirmedPhone | None:
    """The phone this browser confirmed for `token`, if still within its lifetime at `at`."""
    entry = (session.get(SESSION_KEY) or {}).get(token)
    if not entry:
        return None
    try:
        until = dt.datetime.fromisoformat(entry["until"])
    except (KeyError, TypeError, ValueError):
        return None
    if until <= at:
        return None
    return ConfirmedPhone(name=entry.get("name", ""), phone=entry.get("phone", ""), until=until)


def forget(session: Any, *, token: str) -> None:
    confirmed = dict(session.get(SESSION_KEY) or {})
    if confirmed.pop(token, None) is not None:
        session[SESSION_KEY] = confirmed
