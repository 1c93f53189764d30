"""The REST API of the accounts app (mounted under /api/v1/ by `lianqi.api.urls`)."""
