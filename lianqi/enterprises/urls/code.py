"""The public address an enterprise's QR code opens: `/c/<token>/`, no login, and the pages the
apps registered under it (`lianqi.core.registry.register_code_urls`), in the ``codes``
namespace."""

from django.urls import URLPattern, URLResolver, path

from lianqi.core import registry

from ..views.code import CodePhoneConfirmView, PublicCodeView

app_name = "codes"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:token>/", PublicCodeView.as_view(), name="public"),
    path("<str:token>/confirm/", CodePhoneConfirmView.as_view(), name="confirm_phone"),
    *registry.code_urlpatterns(),
]
