"""Settings for the test suite: the same database engines as production (SQLite by default,
PostgreSQL when DATABASE_URL is set), fast password hashing, files in a throwaway folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="lianqi-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
WHITENOISE_USE_FINDERS = True

# Background tasks run at once in tests, inside the test's own transaction handling, so a test
# sees what a task did without a worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Test-only apps: the toy lifecycle the workflow kit is tested on. They have their own
# migrations (an app without them cannot point at a migrated one, such as the accounts), and
# they exist in no other settings, so `makemigrations --check` elsewhere never sees them.
INSTALLED_APPS = [*INSTALLED_APPS, "lianqi.testing.toy"]  # noqa: F405
