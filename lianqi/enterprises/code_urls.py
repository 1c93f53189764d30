"""The public address an enterprise's QR code opens: `/c/<token>/`, no login, and the pages the
apps registered under it (`lianqi.core.registry.register_code_urls`)."""

from django.urls import path

from lianqi.core import registry

from . import views_code

app_name = "codes"

urlpatterns: list = [
    path("<str:token>/", views_code.PublicCodeView.as_view(), name="public"),
    *registry.code_urlpatterns(),
]
