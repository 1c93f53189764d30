"""Settings for the demo and a developer's machine."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("LIANQI_DEBUG", True)
# No phone receives the demo's one-time codes: the confirmation page shows them instead.
LIANQI_SMS_SENDER = os.environ.get("LIANQI_SMS_SENDER", "lianqi.core.sms.ScreenSmsSender")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# WhiteNoise looks for STATIC_ROOT at start-up; in development static files come from the app
# folders through the finders, so an empty folder keeps it quiet.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
WHITENOISE_USE_FINDERS = True
