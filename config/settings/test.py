"""Settings for the test suite: the same database engines as production (SQLite by default,
PostgreSQL when DATABASE_URL is set), fast password hashing, files in a throwaway folder."""

import tempfile
from pathlib import Path
from typing import Any, cast

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

# Test-only apps: the toy lifecycle the workflow kit is tested on, and the sample wing rendered
# from the app template (`lianqi/app_template/`), which proves that a new wing joins the menu,
# the home page, the API, the code page, the enterprise's file and the measures through the
# registries alone. They have their own migrations (an app without them cannot point at a
# migrated one, such as the accounts) and exist in no other settings, so `makemigrations
# --check` elsewhere never sees them.
INSTALLED_APPS = [*INSTALLED_APPS, "lianqi.testing.toy", "lianqi.testing.sample"]  # noqa: F405
# The sample wing's pages sit under /sample/, as `config/urls.py` places a real wing's.
ROOT_URLCONF = "lianqi.testing.urls"
# The schema's own tests describe the product's API: the sample wing's endpoints are left out
# unless a test asks for them (`LIANQI_SCHEMA_WITH_TEST_WINGS`).
SPECTACULAR_SETTINGS = {
    **SPECTACULAR_SETTINGS,  # noqa: F405
    "PREPROCESSING_HOOKS": ["lianqi.testing.schema.leave_out_test_wings"],
    "ENUM_NAME_OVERRIDES": {
        **cast(dict[str, Any], SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]),  # noqa: F405
        "SampleStateEnum": "lianqi.testing.sample.choices.SampleState",
    },
}
