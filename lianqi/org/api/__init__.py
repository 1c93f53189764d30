"""The REST API of the org app (mounted under /api/v1/ by `lianqi.api.urls`)."""
