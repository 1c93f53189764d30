"""Production settings: PostgreSQL through DATABASE_URL, HTTPS behind a reverse proxy.
`manage.py check --deploy` passes with these and a real LIANQI_SECRET_KEY."""

import os

from django.core.exceptions import ImproperlyConfigured

from lianqi.core.sms import DEFAULT_SMS_SENDER, NON_DELIVERING_SENDERS

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
if os.environ.get("LIANQI_SECRET_KEY", "").startswith("insecure") or not os.environ.get("LIANQI_SECRET_KEY"):
    raise ImproperlyConfigured("Set LIANQI_SECRET_KEY to a long random value in production.")
if not os.environ.get("DATABASE_URL") and not env_bool("LIANQI_ALLOW_SQLITE"):
    raise ImproperlyConfigured("Set DATABASE_URL to the PostgreSQL database in production.")

# A sender that only logs delivers no one-time code: the enterprises' code pages could not be
# used, so production starts only with a real gateway unless this is explicitly accepted.
if os.environ.get("LIANQI_SMS_SENDER", DEFAULT_SMS_SENDER) in NON_DELIVERING_SENDERS and not env_bool(
    "LIANQI_SMS_ALLOW_LOG"
):
    raise ImproperlyConfigured(
        "Set LIANQI_SMS_SENDER to the SMS gateway's sender in production "
        "(or LIANQI_SMS_ALLOW_LOG=1 to run without text messages)."
    )
# nginx in front (docs/operations.md).
LIANQI_PROXY_COUNT = int(os.environ.get("LIANQI_PROXY_COUNT", "1"))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("LIANQI_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("LIANQI_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("LIANQI_HSTS_PRELOAD", False)
# Preloading commits the domain and its subdomains to HTTPS in every browser for months and is
# slow to undo: it is the domain owner's decision, so it is opt-in and its reminder is silenced.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
