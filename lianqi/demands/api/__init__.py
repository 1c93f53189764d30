"""The REST API of the demands app (mounted under /api/v1/ by `lianqi.api.urls`)."""
