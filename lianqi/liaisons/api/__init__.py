"""The REST API of the liaisons app (mounted under /api/v1/ by `lianqi.api.urls`)."""
