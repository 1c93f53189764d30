"""Generic view pieces every app uses: role checks, list pagination, the search box's text,
Excel downloads and links only to pages the user may open. Core's own pages live beside them,
one module per subject: `home`, `search`, `workdays`, `exportlog`."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from lianqi.core.actions import record_export
from lianqi.core.actors import acting_user
from lianqi.core.excel import XLSX_CONTENT_TYPE, Column, write_workbook
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


def paginate(
    request: HttpRequest, queryset: QuerySet[Any] | Sequence[Any], default_size: int = 50
) -> dict[str, Any]:
    """Page a queryset (or a list) from `?page=` and `?size=` (capped), never failing on bad
    numbers."""
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


def xlsx_download(
    request: HttpRequest,
    content: bytes,
    filename: str,
    *,
    export: str,
    title: str,
    rows: int,
    masked: Sequence[str] = (),
) -> HttpResponse:
    """An .xlsx file as a download (the name may be Chinese: RFC 6266 encoding), written down
    in the export log first (`core.actions.record_export`): who took `export` (a stable key
    such as ``org.staff``) under which filter, how many `rows`, which columns were `masked`
    (their titles). Every Excel file Lianqi hands out leaves through here; most exports call
    `export_xlsx`, which also writes the workbook."""
    record_export(
        actor=acting_user(request),
        export=export,
        title=title,
        query=request.GET.urlencode(),
        rows=rows,
        masked_columns=masked,
        at=timezone.now(),
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


#: The documents Lianqi hands out besides Excel files, by their name's extension.
DOCUMENT_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def document_download(content: bytes, filename: str) -> HttpResponse:
    """A PDF or Word document as a download, its content type from `filename`'s extension (the
    name may be Chinese: RFC 6266 encoding)."""
    extension = filename[filename.rfind(".") :].lower()
    response = HttpResponse(content, content_type=DOCUMENT_CONTENT_TYPES[extension])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


class _Counted(Iterator[Sequence[Any]]):
    """The rows of an export, counted as the workbook reads them (they are streamed, so the
    count is known only at the end)."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self._rows = iter(rows)
        self.count = 0

    def __next__(self) -> Sequence[Any]:
        row = next(self._rows)
        self.count += 1
        return row


def export_xlsx(
    request: HttpRequest,
    *,
    export: str,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    masked: Collection[str] = (),
    filename: str | None = None,
) -> HttpResponse:
    """A list as an Excel download: one sheet named `title`, its header marking the columns
    whose keys are in `masked` (values masked for this user, `core.privacy`), named
    ``<title>-<time>.xlsx`` unless `filename` is given, and written down in the export log."""
    counted = _Counted(rows)
    content = write_workbook(columns, counted, sheet_title=title, masked=masked)
    if filename is None:
        filename = f"{title}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return xlsx_download(
        request,
        content,
        filename,
        export=export,
        title=title,
        rows=counted.count,
        masked=[column.title for column in columns if column.key in masked],
    )


def url_if_allowed(user: Any, name: str, *args: Any) -> str | None:
    """The URL of a page, or None when the user may not open it: a link that answers 403 is
    worse than no link. The page's own view says who may open it, so no role list is repeated."""
    url = reverse(name, args=args)
    allowed = getattr(getattr(resolve(url).func, "view_class", None), "allowed_roles", None)
    if allowed is not None and not has_role(user, allowed):
        return None
    return url
