"""One error shape for the whole API:

    {"error": {"code": "invalid", "message": "…", "fields": {"name": ["…"]}}}

`fields` is present for validation errors; `message` is in the caller's language.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) if isinstance(item, dict | list) else str(item) for item in detail]
    return [str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404):
        body = {"code": "not_found", "message": _("未找到")}
    elif isinstance(exc, PermissionDenied):
        body = {"code": "permission_denied", "message": _("无权执行此操作")}
    elif isinstance(exc, exceptions.ValidationError):
        body = {"code": "invalid", "message": _("提交的数据有误"), "fields": _flatten(exc.detail)}
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
        body = {
            "code": str(exc.default_code),
            "message": message,
        }
    else:
        body = {"code": "error", "message": str(exc)}
    response.data = {"error": body}
    if response.status_code == status.HTTP_403_FORBIDDEN and not context["request"].user.is_authenticated:
        response.status_code = status.HTTP_401_UNAUTHORIZED
    return response
