"""The REST API under /api/v1/: the viewsets and paths every app registered
(`lianqi.core.registry`) on one router, and a last route that answers any other address under
/api/v1/ with a 404 in the error shape."""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from lianqi.core import registry
from lianqi.core.api.errors import not_found


class Router(DefaultRouter):
    # The browsable root view would bypass the JSON-only renderers and the error shape.
    include_root_view = False


router = Router()
for route in registry.api_routes():
    router.register(route.prefix, route.viewset, basename=route.basename)

app_name = "api"

urlpatterns = [
    *registry.api_urlpatterns(),
    path("", include(router.urls)),
    # Any character, a newline included: "." alone would let an address with %0A reach the
    # HTML 404.
    re_path(r"^[\s\S]*$", not_found, name="not-found"),
]
