"""Generic view pieces every app uses: role checks, list pagination, the search box's text,
Excel downloads and links only to pages the user may open. Core's own pages live beside them,
one module per subject: `home`, `search`, `workdays`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import resolve, reverse
from django.utils.http import content_disposition_header

from lianqi.core.excel import XLSX_CONTENT_TYPE
from lianqi.core.roles import STAFF_ROLES, has_role

MAX_PAGE_SIZE = 200


class RoleRequiredMixin(LoginRequiredMixin):
    """Anonymous users are sent to the login page; logged-in users without one of
    `allowed_roles` get 403. Which *objects* they may see is decided by each app's
    `permissions.visible(user)`, which answers 404 outside their jurisdiction."""

    allowed_roles: tuple[str, ...] = tuple(STAFF_ROLES)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def paginate(request: HttpRequest, queryset: QuerySet[Any], default_size: int = 50) -> dict[str, Any]:
    """Page a queryset from `?page=` and `?size=` (capped), never failing on bad numbers."""
    try:
        size = max(1, min(int(request.GET.get("size", default_size)), MAX_PAGE_SIZE))
    except ValueError:
        size = default_size
    paginator = Paginator(queryset, size)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": page,
        "paginator": paginator,
        "object_list": page.object_list,
        "query_string": query.urlencode(),
    }


def search_query(request: HttpRequest, name: str = "q") -> str:
    """The search box's text. A NUL byte cannot reach PostgreSQL (it refuses it in any text),
    so it is dropped here rather than turning a typo into an error page."""
    return request.GET.get(name, "").replace("\x00", "").strip()


def xlsx_download(content: bytes, filename: str) -> HttpResponse:
    """An .xlsx file as a download; the name may be Chinese (RFC 6266 encoding)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def url_if_allowed(user: Any, name: str, *args: Any) -> str | None:
    """The URL of a page, or None when the user may not open it: a link that answers 403 is
    worse than no link. The page's own view says who may open it, so no role list is repeated."""
    url = reverse(name, args=args)
    allowed = getattr(getattr(resolve(url).func, "view_class", None), "allowed_roles", None)
    if allowed is not None and not has_role(user, allowed):
        return None
    return url
