from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from lianqi.accounts.urls import auth_urlpatterns


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    # Browsers ask for /favicon.ico on pages that name no icon (error pages, files).
    return HttpResponseRedirect(static_url("lianqi/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("", include("lianqi.core.urls")),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("lianqi.accounts.urls")),
    path("org/", include("lianqi.org.urls")),
    path("enterprises/", include("lianqi.enterprises.urls")),
    path("liaisons/", include("lianqi.liaisons.urls")),
    path("demands/", include("lianqi.demands.urls")),
    path("notifications/", include("lianqi.notifications.urls")),
    path("policies/", include("lianqi.policies.urls")),
    path("visits/", include("lianqi.visits.urls")),
    path("finance/", include("lianqi.finance.urls")),
    path("market/", include("lianqi.market.urls")),
    path("projects/", include("lianqi.projects.urls")),
    path("inspections/", include("lianqi.inspections.urls")),
    path("credit/", include("lianqi.credit.urls")),
    path("approvals/", include("lianqi.approvals.urls")),
    path("land/", include("lianqi.land.urls")),
    path("c/", include("lianqi.enterprises.urls.code")),
    path("open311/v2/", include("lianqi.open311.urls")),
    path("api/v1/", include("lianqi.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
