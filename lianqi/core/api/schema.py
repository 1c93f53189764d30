"""OpenAPI generation that documents the error answers every endpoint can give, so that the
schema never promises only the happy path."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from .errors import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": "请求有误：字段校验失败、未知的查询参数、页码或每页条数有误、JSON 格式错误",
    "401": "未登录或令牌无效",
    "403": "当前角色无权调用此接口",
    "404": "对象不存在或不在您的管辖范围内",
    "404-page": "页码超出范围（没有这一页）",
    "429": "登录失败次数过多，已被暂时锁定",
}


class ErrorAwareAutoSchema(AutoSchema):
    """Adds the error shape (`Error` component) to each operation for the status codes it can
    actually return."""

    def get_tags(self) -> list[str]:
        # One group per resource (/api/v1/<resource>/…) rather than one "v1" group for all.
        parts = [part for part in self.path.split("/") if part]
        return [parts[2]] if len(parts) > 2 else super().get_tags()

    def _error_codes(self) -> list[str]:
        # Every operation may answer 400: bodies are validated and unknown query parameters
        # are refused everywhere, not only on lists.
        codes = ["400"]
        public = any(isinstance(p, AllowAny) for p in self.view.get_permissions())
        if not public:
            codes += ["401", "403"]
        if "{" in self.path or self._paginated():
            codes.append("404")
        codes += list(getattr(self.view, "extra_error_codes", ()))
        return codes

    def _paginated(self) -> bool:
        # A page past the end is a 404 (see StrictPageNumberPagination).
        return self._is_list_view() and self._get_paginator() is not None

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=self._describe(code)),
                    code,
                    direction=direction,
                )
        return responses

    def _describe(self, code: str) -> str:
        if code == "404" and "{" not in self.path:
            return ERROR_DESCRIPTIONS["404-page"]
        return ERROR_DESCRIPTIONS[code]
