"""The searchable pickers' endpoints: `?q=` answers the first `PICKER_LIMIT` rows of one
scoped queryset as JSON `[{"value", "text"}]`, which `static/lianqi/pickers.js` feeds to
Tom Select. Each app declares its own, on its own `visible` queryset, so that a picker never
offers a row beyond the user's jurisdiction."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.views import View

from . import RoleRequiredMixin

#: Rows per answer: enough to find someone by two characters, few enough for a phone.
PICKER_LIMIT = 20
#: A query longer than this is not a name; it is cut rather than sent to the database whole.
MAX_QUERY_LENGTH = 50


class PickerView(RoleRequiredMixin, View):
    """One picker's search. Subclasses give the scoped rows (`rows`), the fields `q` is
    matched on (`search_fields`, `icontains`) and how a row reads (`label`)."""

    search_fields: tuple[str, ...] = ("name",)
    ordering: tuple[str, ...] = ("name", "pk")

    def rows(self, request: HttpRequest) -> QuerySet[Any]:
        raise NotImplementedError

    def label(self, obj: Any) -> str:
        return str(obj)

    def get(self, request: HttpRequest) -> JsonResponse:
        query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        rows = self.rows(request)
        if query:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": query})
            rows = rows.filter(condition)
        found = rows.order_by(*self.ordering)[:PICKER_LIMIT]
        answer = [{"value": str(obj.pk), "text": self.label(obj)} for obj in found]
        # Names stay readable (and short) in the answer: Chinese is not escaped as \uXXXX.
        return JsonResponse(answer, safe=False, json_dumps_params={"ensure_ascii": False})
