"""Pagination that refuses what it cannot honour: an oversized or malformed page size, or a
page number that is not a number, is a 400 with the reason, not a silent clamp. A page past
the end is a 404 (the page does not exist)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination

from .errors import InvalidQuery

MAX_PAGE_SIZE = 500


class StrictPageNumberPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size  # type: ignore[return-value]
        try:
            size = int(raw)
        except ValueError as exc:
            raise InvalidQuery({"page_size": [_("每页条数必须是整数")]}) from exc
        if size < 1 or size > MAX_PAGE_SIZE:
            raise InvalidQuery({"page_size": [_("每页条数应在 1 到 %(max)d 之间") % {"max": MAX_PAGE_SIZE}]})
        return size

    def get_page_number(self, request: Any, paginator: Any) -> Any:
        if request.query_params.get(self.page_query_param) == "":
            # DRF reads an empty `?page=` as page 1; it is a page number left out.
            raise InvalidQuery({"page": [_("页码必须是正整数")]})
        number = super().get_page_number(request, paginator)
        if number in self.last_page_strings:
            return number
        try:
            value = int(number)
        except (TypeError, ValueError) as exc:
            raise InvalidQuery({"page": [_("页码必须是正整数")]}) from exc
        if value < 1:
            raise InvalidQuery({"page": [_("页码必须是正整数")]})
        return value
