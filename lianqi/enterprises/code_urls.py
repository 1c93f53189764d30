"""The public address an enterprise's QR code opens: `/c/<token>/`, no login, and the
enterprise's demand pages under it."""

from django.urls import path

from lianqi.demands import views_code as demands
from lianqi.policies import views_code as policies

from . import views_code

app_name = "codes"

urlpatterns: list = [
    path("<str:token>/", views_code.PublicCodeView.as_view(), name="public"),
    path("<str:token>/demands/", demands.CodeDemandListView.as_view(), name="demand_list"),
    path("<str:token>/demands/confirm/", demands.CodePhoneConfirmView.as_view(), name="confirm_phone"),
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
    path("<str:token>/policies/", policies.CodePoliciesView.as_view(), name="policy_list"),
    path("<str:token>/policies/<int:pk>/", policies.CodePolicyView.as_view(), name="policy_detail"),
]
