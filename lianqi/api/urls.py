"""The REST API under /api/v1/: every app's viewsets on one router, the account endpoints, and
a last route that answers any other address under /api/v1/ with a 404 in the error shape."""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from lianqi.accounts.api.views import MeView, TokenView
from lianqi.demands.api import urls as demand_urls
from lianqi.enterprises.api.views import EnterpriseViewSet, IndustryViewSet, TagViewSet
from lianqi.liaisons.api.views import LiaisonChangeViewSet
from lianqi.org.api.views import DepartmentViewSet, JurisdictionViewSet, StaffViewSet
from lianqi.policies.api import urls as policy_urls

from .errors import not_found


class Router(DefaultRouter):
    # The browsable root view would bypass the JSON-only renderers and the error shape.
    include_root_view = False


router = Router()
router.register("jurisdictions", JurisdictionViewSet, basename="jurisdiction")
router.register("departments", DepartmentViewSet, basename="department")
router.register("staff", StaffViewSet, basename="staff")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("liaison-changes", LiaisonChangeViewSet, basename="liaison-change")
router.register("industries", IndustryViewSet, basename="industry")
router.register("tags", TagViewSet, basename="tag")
demand_urls.register(router)
policy_urls.register(router)

app_name = "api"

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    *demand_urls.urlpatterns,
    path("", include(router.urls)),
    re_path(r"^.*$", not_found, name="not-found"),
]
