"""The public address an enterprise's QR code opens: `/c/<token>/`, no login."""

from django.urls import path

from . import views_code

app_name = "codes"

urlpatterns: list = [
    path("<str:token>/", views_code.PublicCodeView.as_view(), name="public"),
]
