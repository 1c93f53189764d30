"""One error shape for the whole API:

    {"error": {"code": "invalid", "message": "…", "fields": {"name": ["…"]}}}

`code` is a stable machine-readable word; `message` is in the caller's language (the
`Accept-Language` header); `fields` is present for validation errors and maps each field (or
query parameter) to its messages. Every error the API can answer — validation, 401, 403, 404,
405, 415, 429, malformed JSON, an unknown URL under /api/v1/ — takes this shape.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from lianqi.core.workflow import StaleVersion, TransitionNotAllowed

#: The scheme a client should use when it is not authenticated (sessions need no header).
AUTH_SCHEME = "Token"


class InvalidQuery(exceptions.ValidationError):
    """A query string the API cannot honour (an unknown parameter, a bad page size)."""

    default_code = "invalid_query"

    def __init__(self, fields: dict[str, list[str]], message: str | None = None) -> None:
        super().__init__(fields)
        self.message = message


class TooLarge(exceptions.APIException):
    """A request body over the size the server accepts (`DATA_UPLOAD_MAX_MEMORY_SIZE`)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("请求体过大")
    default_code = "too_large"


class Conflict(exceptions.APIException):
    """A workflow step that the row's state does not allow now, or that was based on a version
    someone else has changed meanwhile: the client reloads and decides again."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class InvalidCredentials(exceptions.APIException):
    """A token request with a wrong username or password."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = gettext_lazy("用户名或密码错误")
    default_code = "invalid_credentials"


class LockedOut(exceptions.APIException):
    """Too many failed logins for this username from this address (django-axes)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = gettext_lazy("登录失败次数过多，账号已被暂时锁定，请稍后再试")
    default_code = "locked_out"


def _flatten(detail: Any) -> Any:
    """DRF's ErrorDetail tree as plain strings: a dict per object, a list of messages per field."""
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) if isinstance(item, dict | list) else str(item) for item in detail]
    return [str(detail)]


def _field_messages(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """The messages by field, one level deep as the schema documents them: a nested object's or
    list's errors under a dotted path (`details.size`, `contacts.0.phone`)."""
    if isinstance(detail, dict):
        items: Any = detail.items()
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        items = ((index, item) for index, item in enumerate(detail) if item)
    else:
        return {prefix or "non_field_errors": _flatten(detail) if isinstance(detail, list) else [str(detail)]}
    fields: dict[str, list[str]] = {}
    for key, value in items:
        path = f"{prefix}.{key}" if prefix else str(key)
        for name, messages in _field_messages(value, path).items():
            fields.setdefault(name, []).extend(messages)
    return fields


def _validation_body(exc: exceptions.ValidationError) -> dict[str, Any]:
    detail = exc.detail
    # A list is a serializer-level error with no field (e.g. a JSON list sent for an object).
    fields = _field_messages(detail) if isinstance(detail, dict) else {"non_field_errors": _flatten(detail)}
    if isinstance(exc, InvalidQuery):
        return {
            "code": "invalid_query",
            "message": exc.message or _("查询参数有误"),
            "fields": fields,
        }
    return {"code": "invalid", "message": _("提交的数据有误"), "fields": fields}


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields is not None:
        body["fields"] = fields
    return {"error": body}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with every answer rewritten into the one error shape."""
    if isinstance(exc, DjangoValidationError):
        # Actions validate with Django's ValidationError (full_clean); it is the client's fault.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, RequestDataTooBig):
        exc = TooLarge()
    elif isinstance(exc, TransitionNotAllowed | StaleVersion):
        # The endpoints answer these themselves with what they know (the allowed actions, the
        # current version); this is the net under every other place a step can be refused.
        exc = Conflict(exc.message)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404):
        body = {"code": "not_found", "message": _("未找到")}
    elif isinstance(exc, PermissionDenied):
        body = {"code": "permission_denied", "message": _("无权执行此操作")}
    elif isinstance(exc, exceptions.ValidationError):
        body = _validation_body(exc)
    elif isinstance(exc, exceptions.ParseError):
        # DRF's detail is "JSON parse error - <the parser's reason>"; the reason is what helps.
        reason = str(exc.detail).split(" - ", 1)[-1]
        body = {"code": "parse_error", "message": _("请求体不是合法的 JSON：%(reason)s") % {"reason": reason}}
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
        body = {"code": str(exc.default_code), "message": message}
    else:  # pragma: no cover - drf_exception_handler only answers the cases above
        body = {"code": "error", "message": str(exc)}
    if response.status_code == status.HTTP_403_FORBIDDEN and isinstance(
        exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed
    ):
        # DRF answers 403 when the first authentication class (sessions) has no challenge;
        # a caller who is not authenticated needs to log in, which is what 401 says.
        response.status_code = status.HTTP_401_UNAUTHORIZED
        response["WWW-Authenticate"] = AUTH_SCHEME
    if isinstance(exc, exceptions.NotAuthenticated):
        body = {"code": "not_authenticated", "message": _("请先登录或提供有效的令牌")}
    response.data = {"error": body}
    return response


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any URL under /api/v1/ that no endpoint answers: 404 in the error shape, with a hint
    when only the trailing slash is missing."""
    message = _("没有这个接口：%(path)s") % {"path": request.path}
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            message = _("接口地址应以“/”结尾：%(path)s/") % {"path": request.path}
    return JsonResponse(error_body("not_found", message), status=404)


# --- OpenAPI components ---------------------------------------------------------------------


# Built with type() because a serializer field called "fields" shadows Serializer.fields for a
# type checker (DRF itself collects declared fields before the class exists, so it is fine).
ErrorDetailSerializer = type(
    "ErrorDetailSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "The inside of an error answer.",
        "code": serializers.CharField(
            help_text="机器可读的错误代码，如 invalid、not_found、not_authenticated"
        ),
        "message": serializers.CharField(help_text="按 Accept-Language 翻译的说明"),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="字段（或查询参数）→ 错误信息列表；仅校验错误时出现",
        ),
    },
)


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer."""

    error = ErrorDetailSerializer()
