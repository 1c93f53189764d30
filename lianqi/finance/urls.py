"""The addresses of the finance supermarket's pages (`config/urls.py` puts them under
``/finance/``), and the one under the enterprise's code."""

from django.urls import path

from .views import applications, code, events, overview, pilots, products

app_name = "finance"

urlpatterns = [
    path("", overview.OverviewView.as_view(), name="overview"),
    path("products/", products.ProductListView.as_view(), name="products"),
    path("products/reach/", overview.ReachView.as_view(), name="reach"),
    path("products/<int:pk>/", products.ProductDetailView.as_view(), name="product"),
    path("products/<int:pk>/apply/", products.ApplyView.as_view(), name="apply"),
    path("products/<int:pk>/versions/new/", products.ProductVersionView.as_view(), name="product_version"),
    path(
        "products/<int:pk>/versions/<int:number>/<str:decision>/",
        products.ProductVersionReviewView.as_view(),
        name="product_version_review",
    ),
    path("products/<int:pk>/<str:change>/", products.ProductStateView.as_view(), name="product_state"),
    path("for-me/", products.ForMeView.as_view(), name="for_me"),
    path("my-enterprises/", products.LiaisonMatchesView.as_view(), name="liaison_matches"),
    path("applications/", applications.ApplicationListView.as_view(), name="applications"),
    path("applications/<int:pk>/", applications.ApplicationDetailView.as_view(), name="application"),
    path("applications/<int:pk>/applicant/", applications.ApplicantDataView.as_view(), name="applicant"),
    path(
        "applications/<int:pk>/materials/<int:material_pk>/",
        applications.MaterialDownloadView.as_view(),
        name="material",
    ),
    path("applications/<int:pk>/demand/", applications.RaiseDemandView.as_view(), name="raise_demand"),
    path("applications/<int:pk>/<str:action>/", applications.ApplicationStepView.as_view(), name="step"),
    path("events/", events.EventListView.as_view(), name="events"),
    path("events/new/", events.EventCreateView.as_view(), name="event_new"),
    path("events/<int:pk>/", events.EventDetailView.as_view(), name="event"),
    path("events/<int:pk>/attendance/", events.AttendanceView.as_view(), name="event_attendance"),
    path("events/<int:pk>/invitations/", events.InvitationsView.as_view(), name="event_invitations"),
    path("pilots/", pilots.PilotListView.as_view(), name="pilots"),
    path("pilots/new/", pilots.PilotCreateView.as_view(), name="pilot_new"),
    path("pilots/<int:pk>/", pilots.PilotDetailView.as_view(), name="pilot"),
    path("pilots/<int:pk>/rule/", pilots.WhitelistRuleView.as_view(), name="pilot_rule"),
    path("enterprises/<int:pk>/", overview.EnterpriseSectionView.as_view(), name="enterprise_section"),
]

#: Pages under the enterprise's code, registered in the ``codes`` namespace by `apps.py`.
code_urlpatterns = [
    path("<str:token>/finance/", code.CodeProductsView.as_view(), name="finance_for_me"),
]
