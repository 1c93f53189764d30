"""The demand lists: the register of every demand a user may see, the department handler's
inbox, the service office's board (with bulk assignment) and the legacy-problem clearing page.
Each has the same filters, Chinese search, pages, htmx table refresh and an Excel export of
exactly the filtered rows. Reads go through `queries`, the one write through `actions`."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from lianqi.core import workdays
from lianqi.core.actors import acting_user
from lianqi.core.roles import OFFICE_ROLES, Role, has_role
from lianqi.core.views import RoleRequiredMixin, export_xlsx, paginate, search_query
from lianqi.core.workflow import StaleVersion, TransitionNotAllowed
from lianqi.enterprises.views import chosen_only, options_html

from .. import actions, exporting, permissions, queries
from ..choices import CLOCK_STATES, Channel, DemandState
from ..forms.lists import BulkAssignForm
from ..models import Demand

#: Who may open the office board and the legacy page.
BOARD_ROLES = (Role.LEADER, *OFFICE_ROLES)
#: Who may assign from the board (the workflow's office roles; an admin only looks).
ASSIGN_ROLES = (Role.SERVICE_OFFICE, Role.LEADER)
#: Query parameters that are neither filters nor kept in tab links.
_NOT_FILTERS = ("page", "size", "tab")


@dataclass
class ListState:
    """Everything a list page, its htmx table and its export derive from one request."""

    filtered: QuerySet[Demand]
    rows: QuerySet[Demand]
    problems: list[str]
    tabs: list[dict[str, Any]] = field(default_factory=list)
    tab: str = ""
    #: The chosen tab's condition (nothing for a list without tabs).
    condition: Q = field(default_factory=Q)
    counts: dict[str, int] = field(default_factory=dict)
    notice: str = ""


class _KnownCountQuerySet(QuerySet[Any]):
    """A queryset whose total is already known: the tab counts hold it, and counting the same
    rows again for the paginator would repeat the page's largest query."""

    known_count: int | None = None

    def count(self) -> int:
        return self.known_count if self.known_count is not None else super().count()


def _with_known_count(queryset: QuerySet[Any], count: int) -> QuerySet[Any]:
    clone = queryset.all()
    clone.__class__ = _KnownCountQuerySet
    clone.known_count = count  # type: ignore[attr-defined]
    return clone


class DemandListMixin(RoleRequiredMixin):
    """The shared machinery of the four lists. A subclass names its base rows (`base`), its
    tabs (`tabs`) and templates; filters with a bad value are dropped with a message naming
    them, so a mangled link never empties the page or fails."""

    page_template = "demands/list.html"
    list_url_name = "demands:list"
    export_url_name = "demands:list_export"
    export_title = gettext_lazy("企业诉求")
    show_department_filter = True
    #: A tab to show whatever the query string says (the board after a refused bulk assignment).
    forced_tab = ""
    #: The filters in force after dropping bad ones (set by `list_state`).
    filter_params: Any = None

    def base(self, request: HttpRequest, state: dict[str, Any]) -> QuerySet[Demand]:
        return permissions.visible(request.user)

    def tabs(self, request: HttpRequest, at: dt.datetime) -> list[queries.Tab]:
        return []

    def count_tabs(
        self, queryset: QuerySet[Demand], tabs: list[queries.Tab], at: dt.datetime
    ) -> dict[str, int]:
        return queries.tab_counts(queryset, tabs)

    def order(self, queryset: QuerySet[Demand]) -> QuerySet[Demand]:
        return queryset

    def list_state(self, request: HttpRequest, at: dt.datetime) -> ListState:
        extra: dict[str, Any] = {}
        base = self.base(request, extra)
        params: QueryDict = request.GET.copy()
        for name in _NOT_FILTERS:
            params.pop(name, None)
        filterset, _rows = queries.demand_list(base, params, at=at)
        problems: list[str] = []
        if not filterset.is_valid():
            for name, errors in filterset.errors.items():
                form_field = filterset.form.fields.get(name)
                label = form_field.label if form_field is not None else name
                problems.append(
                    _("筛选条件“%(label)s”无效，已忽略：%(error)s") % {"label": label, "error": errors[0]}
                )
                params.pop(name, None)
            filterset, _rows = queries.demand_list(base, params, at=at)
        self.filter_params = params
        filtered = filterset.qs
        tabs = self.tabs(request, at)
        state = ListState(filtered=filtered, rows=filtered, problems=problems, notice=extra.get("notice", ""))
        if tabs:
            keys = [t.key for t in tabs]
            requested = self.forced_tab or request.GET.get("tab", "")
            state.tab = requested if requested in keys else keys[0]
            chosen = next(t for t in tabs if t.key == state.tab)
            state.condition = chosen.condition
            state.counts = self.count_tabs(filtered, tabs, at)
            state.rows = filtered.filter(chosen.condition)
            link = params.copy()
            for t in tabs:
                link["tab"] = t.key
                state.tabs.append(
                    {
                        "key": t.key,
                        "label": t.label,
                        "count": state.counts.get(t.key, 0),
                        "query": link.urlencode(),
                        "active": t.key == state.tab,
                    }
                )
        state.rows = self.order(
            state.rows.select_related(*queries.LIST_RELATED).order_by("-received_at", "-pk")
        )
        return state

    def page_context(self, request: HttpRequest, state: ListState, at: dt.datetime) -> dict[str, Any]:
        # The page is chosen on the demand table alone, then its rows are read with what they
        # show: joining enterprises and departments before the sort reads every candidate's
        # joined rows, not just the fifty shown.
        context = paginate(request, self.page_ids(state))
        context.update(
            rows=queries.list_rows(list(context["object_list"])),
            problems=state.problems,
            notice=state.notice,
            params=request.GET,
            tabs=state.tabs,
            tab=state.tab,
            counts=state.counts,
            export_url=reverse(self.export_url_name),
            list_url=reverse(self.list_url_name),
            export_query=context["query_string"],
        )
        return context

    def page_ids(self, state: ListState) -> Any:
        """The rows' ids in page order, for the paginator (a queryset or `queries.MergedIds`)."""
        rows: QuerySet[Any] = state.rows.select_related(None).values_list("pk", flat=True)
        if state.tab in state.counts:
            rows = _with_known_count(rows, state.counts[state.tab])
        return rows

    def rows_html(self, rows: list[Demand], context: dict[str, Any], at: dt.datetime) -> str:
        return rows_html(
            rows,
            at=at,
            bulk=bool(context.get("bulk_form")),
            checked=context.get("checked") or set(),
            own_department_id=context.get("own_department_id"),
            return_visit_cutoff=context.get("return_visit_cutoff"),
        )

    def filter_options(self, request: HttpRequest) -> dict[str, Any]:
        get = request.GET.get
        user = request.user
        return {
            "state_options": options_html(DemandState.choices, get("state")),
            "category_options": options_html(queries.category_choices(), get("category")),
            "department_options": options_html(
                queries.departments_for(user).values_list("pk", "name"), get("department")
            ),
            "channel_options": options_html(Channel.choices, get("channel")),
            # A park has hundreds of liaisons: only the chosen one is an option, the picker
            # (`org:pick_staff`) searches the rest.
            "liaison_options": options_html(
                chosen_only(queries.staff_for(user), get("liaison")), get("liaison")
            ),
            "show_department_filter": self.show_department_filter,
        }

    def extra_context(self, request: HttpRequest, state: ListState, at: dt.datetime) -> dict[str, Any]:
        return {}

    def render_list(self, request: HttpRequest, **overrides: Any) -> HttpResponse:
        at = timezone.now()
        state = self.list_state(request, at)
        context = self.page_context(request, state, at)
        context.update(self.extra_context(request, state, at))
        context.update(overrides)
        context["rows_html"] = self.rows_html(context["rows"], context, at)
        htmx = getattr(request, "htmx", None)
        if htmx and not htmx.history_restore_request:
            response = render(request, "demands/_list_table.html", context)
        else:
            context.update(self.filter_options(request))
            response = render(request, self.page_template, context, status=overrides.get("status", 200))
        patch_vary_headers(response, ["HX-Request"])
        return response

    def export(self, request: HttpRequest) -> HttpResponse:
        state = self.list_state(request, timezone.now())
        # No column holds personal data (the filer's phone stays on the demand's page), so
        # nothing is masked; the file is still written down in the export log.
        return export_xlsx(
            request,
            export=self.export_url_name,
            title=str(self.export_title),
            columns=exporting.demand_columns(),
            rows=exporting.export_rows(state.rows),
        )


def _detail_url_pattern() -> str | None:
    # One reverse per page, not per row; None while the detail page is not installed.
    try:
        return reverse("demands:detail", args=[987654321]).replace("987654321", "{pk}")
    except NoReverseMatch:
        return None


def rows_html(
    rows: list[Demand],
    *,
    at: dt.datetime,
    bulk: bool = False,
    checked: set[str] | frozenset[str] = frozenset(),
    own_department_id: int | None = None,
    return_visit_cutoff: dt.datetime | None = None,
) -> str:
    """The table rows, built in one pass with every label translated once per page: through
    the template language, 50 rows cost more than the queries behind them."""
    today = workdays.shanghai_date(at)
    detail = _detail_url_pattern()
    labels = {
        "legacy": format_html(' <span class="badge bg-purple-lt ms-1">{}</span>', _("遗留问题")),
        "supervised": format_html(' <span class="badge bg-orange-lt ms-1">{}</span>', _("督办")),
        "co": format_html(' <span class="badge bg-azure-lt ms-1">{}</span>', _("协办")),
        "visit": format_html(
            ' <span class="badge bg-red-lt" data-testid="return-visit">{}</span>', _("待回访")
        ),
        "rating": format_html(' <span class="badge bg-secondary-lt">{}</span>', _("待评价")),
        "overdue": format_html(
            ' <span class="badge bg-red-lt" data-testid="overdue-badge">{}</span>', _("已超期")
        ),
    }
    states = dict(DemandState.choices)
    choose = _("选择诉求 %(pk)s")
    out: list[str] = []
    # f-strings with the standard library's escape (what Django's wraps): `format_html` for each
    # cell of fifty rows cost as much as the page's queries. Every text from the database or a
    # translation goes through `esc`; the labels above are already safe HTML.
    esc = html.escape
    for d in rows:
        pk = d.pk
        url = esc(detail.format(pk=pk)) if detail else None
        is_open = d.state != DemandState.CLOSED
        badges = [
            labels["legacy"] if d.is_legacy else "",
            labels["supervised"] if d.supervised_at and is_open else "",
            ' <span class="badge bg-yellow-lt ms-1">'
            + esc(_("申请延期 %(n)s 个工作日") % {"n": d.extension_workdays})
            + "</span>"
            if d.extension_workdays and is_open
            else "",
            labels["co"] if own_department_id and d.lead_department_id != own_department_id else "",
        ]
        state_badge = ""
        if return_visit_cutoff is not None and d.state == DemandState.REPLIED and d.replied_at:
            state_badge = labels["visit"] if d.replied_at < return_visit_cutoff else labels["rating"]
        overdue = bool(d.due_on and d.due_on < today and d.state in CLOCK_STATES)
        description = esc(Truncator(d.description).chars(60))
        checkbox = (
            '<td><input class="form-check-input m-0" type="checkbox" name="demands" '
            f'value="{pk}" aria-label="{esc(choose % {"pk": pk})}"'
            f"{' checked' if str(pk) in checked else ''}>"
            f'<input type="hidden" name="v{pk}" value="{d.version}"></td>'
            if bulk
            else ""
        )
        number = f'<a href="{url}">#{pk}</a>' if url else f"#{pk}"
        summary = f'<a href="{url}" class="text-reset">{description}</a>' if url else description
        department = esc(d.lead_department.name) if d.lead_department else "—"
        out.append(
            f'<tr data-testid="demand-row" data-pk="{pk}">{checkbox}<td class="text-nowrap">{number}</td>'
            f'<td style="min-width: 10rem">{esc(d.enterprise.name)}</td>'
            f'<td class="text-nowrap">{esc(d.category.name)}</td>'
            f'<td style="min-width: 12rem">{summary}{"".join(badges)}</td>'
            f'<td class="text-nowrap">{esc(str(states.get(d.state, d.state)))}{state_badge}</td>'
            f'<td class="text-nowrap">{department}</td>'
            f'<td class="text-nowrap">{d.due_on.isoformat() if d.due_on else "—"}'
            f"{labels['overdue'] if overdue else ''}</td>"
            f'<td class="text-nowrap">{timezone.localtime(d.received_at).strftime("%Y-%m-%d %H:%M")}</td></tr>'
        )
    return mark_safe("\n".join(out))


class DemandListView(DemandListMixin, View):
    """Every demand the user may see, newest first, with filters and search."""

    allowed_roles = tuple(r for r in Role if r not in (Role.ENTERPRISE, Role.FINANCE))

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_list(request)


class DemandListExportView(DemandListView):
    """The register's filtered rows as an .xlsx file."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.export(request)


class DemandInboxView(DemandListMixin, View):
    """The department handler's inbox: the demands their department leads or co-handles, by
    where they stand (待签收, 办理中, 即将到期, 已超期, 已答复, 全部)."""

    allowed_roles = (Role.DEPARTMENT_HANDLER,)
    page_template = "demands/inbox.html"
    list_url_name = "demands:inbox"
    export_url_name = "demands:inbox_export"
    export_title = gettext_lazy("部门诉求")
    show_department_filter = False
    parts: queries.DepartmentDemands | None = None
    #: `parts.led` and `parts.co_only` with the request's filters (set by `count_tabs`).
    filtered_parts: list[QuerySet[Demand]]

    def department_id(self, request: HttpRequest) -> int | None:
        staff = getattr(request.user, "staff", None)
        return staff.department_id if staff is not None else None

    def base(self, request: HttpRequest, state: dict[str, Any]) -> QuerySet[Demand]:
        department_id = self.department_id(request)
        if department_id is None:
            state["notice"] = _("您的账号尚未关联部门，请联系管理员。")
            self.parts = None
            return Demand.objects.none()
        self.parts = queries.department_demands(department_id, user=request.user)
        return self.parts.all

    def tabs(self, request: HttpRequest, at: dt.datetime) -> list[queries.Tab]:
        department_id = self.department_id(request)
        return queries.inbox_tabs(at=at, department_id=department_id or 0)

    def count_tabs(
        self, queryset: QuerySet[Demand], tabs: list[queries.Tab], at: dt.datetime
    ) -> dict[str, int]:
        if self.parts is None:
            return queries.inbox_counts([queryset], tabs)
        # The same filters on each disjoint part, so their counts add up to the union's.
        self.filtered_parts = [
            queries.demand_list(self.parts.led, self.filter_params, at=at)[0].qs,
            queries.demand_list(self.parts.co_only, self.filter_params, at=at, bigrams=False)[0].qs,
        ]
        return queries.inbox_counts(self.filtered_parts, tabs)

    def page_ids(self, state: ListState) -> Any:
        if self.parts is None or state.tab not in state.counts:
            return super().page_ids(state)
        # Each part's page along its own index (the led part by department and date).
        parts = [part.filter(state.condition) for part in self.filtered_parts]
        return queries.MergedIds(parts, state.counts[state.tab])

    def extra_context(self, request: HttpRequest, state: ListState, at: dt.datetime) -> dict[str, Any]:
        return {"own_department_id": self.department_id(request)}

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_list(request)


class DemandInboxExportView(DemandInboxView):
    """The inbox tab's filtered rows as an .xlsx file."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.export(request)


class DemandBoardView(DemandListMixin, View):
    """The service office's board: new demands to assign (in bulk), sent back, overdue, due
    soon, extension requests, escalated, awaiting rating or return visit, under supervision."""

    allowed_roles = BOARD_ROLES
    page_template = "demands/board.html"
    list_url_name = "demands:board"
    export_url_name = "demands:board_export"
    export_title = gettext_lazy("诉求督办台")

    def tabs(self, request: HttpRequest, at: dt.datetime) -> list[queries.Tab]:
        return queries.board_tabs(at=at)

    def count_tabs(
        self, queryset: QuerySet[Demand], tabs: list[queries.Tab], at: dt.datetime
    ) -> dict[str, int]:
        visit = queries.Tab("return_visit", "", queries.awaiting_return_visit_condition(at=at))
        return queries.tab_counts(queryset, [*tabs, visit])

    def extra_context(self, request: HttpRequest, state: ListState, at: dt.datetime) -> dict[str, Any]:
        context: dict[str, Any] = {"return_visit_count": state.counts.get("return_visit", 0)}
        if state.tab == "replied":
            cutoff = queries.return_visit_cutoff(at=at)
            context["return_visit_cutoff"] = cutoff
        if state.tab == "received" and has_role(request.user, ASSIGN_ROLES):
            context["bulk_form"] = BulkAssignForm(user=request.user, choices=[])
        query = search_query(request)
        if query:
            # The board holds open work only; closed demands are found in the register.
            context["register_search_url"] = f"{reverse('demands:list')}?{urlencode({'q': query})}"
            context["register_search_q"] = query
        return context

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_list(request)


class DemandBoardExportView(DemandBoardView):
    """The board tab's filtered rows as an .xlsx file."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.export(request)


@dataclass
class BulkOutcome:
    assigned: list[Demand] = field(default_factory=list)
    failed: list[tuple[Any, str]] = field(default_factory=list)


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join(m for messages in exc.message_dict.values() for m in messages)
    return "；".join(exc.messages)


class DemandBulkAssignView(RoleRequiredMixin, View):
    """Assigns the demands ticked on the board's 新受理 tab, each in its own transaction with
    the version the page showed, and reports how many went through and why each other did not
    (changed by a colleague since, or no longer in a state that allows assignment)."""

    allowed_roles = BOARD_ROLES

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BulkAssignForm(request.POST, user=request.user)
        if not form.is_valid():
            board = DemandBoardView()
            board.setup(request)
            # The board re-rendered on its 新受理 tab with the errors and the ticks kept.
            board.forced_tab = "received"
            checked = {str(v) for v in request.POST.getlist("demands")}
            return board.render_list(request, bulk_form=form, checked=checked, status=200)
        outcome = self.assign(request, form)
        return render(
            request,
            "demands/board_assign_result.html",
            {"outcome": outcome, "board_url": reverse("demands:board") + "?tab=received"},
        )

    def assign(self, request: HttpRequest, form: BulkAssignForm) -> BulkOutcome:
        ids: list[int] = form.cleaned_data["demands"]
        department = form.cleaned_data.get("department")
        limit = form.cleaned_data.get("workdays_limit")
        use_default = form.cleaned_data.get("use_default")
        found = permissions.access_demands(request.user, ids)
        outcome = BulkOutcome()
        for pk in ids:
            demand = found.get(pk)
            if demand is None:
                outcome.failed.append((f"#{pk}", _("诉求不存在或无权查看")))
                continue
            version = form.version_of(pk)
            if version is None:
                outcome.failed.append((demand, _("页面未提供该诉求的版本号，请刷新后重试")))
                continue
            target, n = department, limit
            if use_default:
                target, n = queries.default_routing(demand)
                if target is None:
                    outcome.failed.append(
                        (demand, _("类别“%(category)s”未配置默认牵头部门") % {"category": demand.category})
                    )
                    continue
            assert target is not None and n is not None  # the form requires both without use_default
            try:
                assigned = actions.assign_demand(
                    demand=demand,
                    actor=acting_user(request),
                    expected_version=version,
                    department=target,
                    workdays_limit=n,
                    note=_("批量交办"),
                )
            except (StaleVersion, TransitionNotAllowed) as exc:
                outcome.failed.append((demand, exc.message))
            except ValidationError as exc:
                outcome.failed.append((demand, _message(exc)))
            else:
                outcome.assigned.append(assigned)
        return outcome


class DemandLegacyView(DemandListMixin, View):
    """Legacy problems (遗留问题) and how far clearing them has come (清零): totals, the cleared
    share and a bar per lead department, then the list, open ones first."""

    allowed_roles = BOARD_ROLES
    page_template = "demands/legacy.html"
    list_url_name = "demands:legacy"
    export_url_name = "demands:legacy_export"
    export_title = gettext_lazy("遗留问题")

    def base(self, request: HttpRequest, state: dict[str, Any]) -> QuerySet[Demand]:
        return permissions.visible(request.user).filter(is_legacy=True)

    def order(self, queryset: QuerySet[Demand]) -> QuerySet[Demand]:
        # Open first on both databases (PostgreSQL sorts NULL last by default, SQLite first).
        return queryset.order_by(F("closed_at").asc(nulls_first=True), "-received_at", "-pk")

    def extra_context(self, request: HttpRequest, state: ListState, at: dt.datetime) -> dict[str, Any]:
        # Progress is of the whole park: the target is that every legacy problem is cleared.
        return {"progress": queries.legacy_progress(permissions.visible(request.user))}

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_list(request)


class DemandLegacyExportView(DemandLegacyView):
    """The filtered legacy problems as an .xlsx file."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.export(request)
