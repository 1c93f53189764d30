"""Settings for the demo and a developer's machine."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("LIANQI_DEBUG", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
