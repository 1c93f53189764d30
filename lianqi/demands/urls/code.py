"""The enterprise's demand pages under its code (`/c/<token>/demands/…`), named in the `codes`
namespace and added to the code page through the registry."""

from django.urls import path

from ..views import code as demands

urlpatterns: list = [
    path("<str:token>/demands/", demands.CodeDemandListView.as_view(), name="demand_list"),
    path("<str:token>/demands/new/", demands.CodeDemandCreateView.as_view(), name="demand_new"),
    path("<str:token>/demands/<int:pk>/", demands.CodeDemandDetailView.as_view(), name="demand_detail"),
    path(
        "<str:token>/demands/<int:pk>/submitted/",
        demands.CodeDemandSubmittedView.as_view(),
        name="demand_submitted",
    ),
    path("<str:token>/demands/<int:pk>/rate/", demands.CodeDemandRateView.as_view(), name="demand_rate"),
    path(
        "<str:token>/demands/<int:pk>/withdraw/",
        demands.CodeDemandWithdrawView.as_view(),
        name="demand_withdraw",
    ),
    path(
        "<str:token>/demands/<int:pk>/attach/", demands.CodeDemandAttachView.as_view(), name="demand_attach"
    ),
]
