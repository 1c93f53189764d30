"""The enterprise's policy pages under its code (`/c/<token>/policies/…`), named in the `codes`
namespace and added to the code page through the registry."""

from django.urls import path

from ..views import code as policies

urlpatterns: list = [
    path("<str:token>/policies/", policies.CodePoliciesView.as_view(), name="policy_list"),
    path("<str:token>/policies/<int:pk>/", policies.CodePolicyView.as_view(), name="policy_detail"),
]
