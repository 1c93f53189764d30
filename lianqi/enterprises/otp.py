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
#: The least time between the first two codes to one phone under one code; each further code
#: waits twice as long as the one before (60 s, 2 min, 4 min, 8 min).
RESEND_INTERVAL = dt.timedelta(seconds=60)
#: Limits in any rolling hour. Per (code token, phone): a stranger holding the printed code can
#: only delay codes to a number they typed, never block the enterprise's own phones. Per phone
#: over every code: one phone cannot be bombarded through many codes. Per client address: one
#: machine cannot send SMS without end. There is no limit per code token, which a stranger
#: could use up to lock the enterprise out; its logged-in users need no code at all.
MAX_PER_TOKEN_PHONE_PER_HOUR = 5
MAX_PER_PHONE_PER_HOUR = 8
MAX_PER_ADDRESS_PER_HOUR = 20
#: How long the browser stays confirmed after a correct code.
CONFIRMATION_LIFETIME = dt.timedelta(hours=2)

_HMAC_SALT = "lianqi.enterprises.otp"
SESSION_KEY = "lianqi_code_phones"


def new_code() -> str:
    """A random code of `CODE_DIGITS` digits (leading zeros kept)."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def resend_wait(codes_sent: int) -> dt.timedelta:
    """How long after the last code the next may be sent, when `codes_sent` codes went to the
    same phone under the same code in the past hour (backoff doubling from `RESEND_INTERVAL`)."""
    return RESEND_INTERVAL * 2 ** max(codes_sent - 1, 0)


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
    """Who the browser confirmed for one code token, and until when. `registered` is whether the
    phone is one the enterprise registered with the park (which opens its own data to this
    browser); any other confirmed phone may file and follow what it filed."""

    name: str
    phone: str
    until: dt.datetime
    registered: bool = False


def remember(
    session: Any, *, token: str, name: str, phone: str, at: dt.datetime, registered: bool = False
) -> None:
    """Mark in the browser session that `phone` was confirmed for `token` at `at`. The session
    is Django's signed, server-side one, so the browser cannot forge the mark."""
    confirmed = dict(session.get(SESSION_KEY) or {})
    confirmed[token] = {
        "name": name,
        "phone": phone,
        "until": (at + CONFIRMATION_LIFETIME).isoformat(),
        "registered": bool(registered),
    }
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
    return ConfirmedPhone(
        name=entry.get("name", ""),
        phone=entry.get("phone", ""),
        until=until,
        registered=bool(entry.get("registered")),
    )


def forget(session: Any, *, token: str) -> None:
    confirmed = dict(session.get(SESSION_KEY) or {})
    if confirmed.pop(token, None) is not None:
        session[SESSION_KEY] = confirmed
