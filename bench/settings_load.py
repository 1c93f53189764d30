"""Production settings for the load benchmark: the same stack as a real deployment (DEBUG off,
manifest static files, PostgreSQL) served over plain HTTP on loopback, so the load generator's
session cookies are not marked secure and no HTTPS redirect applies."""

from config.settings.prod import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# The load generator logs in hundreds of times from one address.
AXES_ENABLED = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
