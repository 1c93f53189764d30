"""Settings for the demo and a developer's machine."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("LIANQI_DEBUG", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# WhiteNoise looks for STATIC_ROOT at start-up; in development static files come from the app
# folders through the finders, so an empty folder keeps it quiet.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
WHITENOISE_USE_FINDERS = True
