"""The REST API of the enterprises app (mounted under /api/v1/ by `lianqi.api.urls`)."""
