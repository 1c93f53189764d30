"""The pages of the land supermarket: the map with its filters (全方位看地), a parcel with
everything an investor asks and the reservation form, smart selection (智能化选地), the
reservations and their steps (淘宝式买地), the GeoJSON import, the enterprise file's section and
the enterprise's reservations under its code. Thin: objects come through the `access_*`
loaders, reads from `queries`, and every write is an action."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import scope_queryset
from lianqi.core.views import RoleRequiredMixin, export_xlsx, paginate
from lianqi.core.views.steps import take_step
from lianqi.core.workflow import StaleVersion
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.views.code import CodeTokenMixin

from . import actions, mapping, queries, selection
from .choices import STATUS_COLOURS, USE_COLOURS, LandUse, ParcelAction, ParcelStatus, ReservationAction
from .forms import ImportForm, NeedsForm, ParcelForm, ReserveForm, StepForm, step_form
from .models import Parcel, Reservation
from .permissions import (
    MANAGERS,
    READERS,
    RESERVERS,
    access_enterprise,
    access_parcel,
    access_reservation,
    visible_parcels,
)
from .workflow import parcel_workflow, workflow

#: How many ranked parcels selection shows with their reasons.
SELECTION_SHOWN = 30


def _legend() -> dict[str, Any]:
    return {
        "status_legend": [(STATUS_COLOURS[s], s.label) for s in ParcelStatus],
        "use_legend": [(USE_COLOURS[u], u.label) for u in LandUse],
    }


class MapView(RoleRequiredMixin, View):
    """The park's parcels drawn from their own boundaries, coloured by status (fill) and use
    (outline), filtered; the filtered parcels listed below the map."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        found, drawn = queries.map_parcels(request.user, request.GET)
        svg = mapping.render_svg(drawn, label=_("园区地块图"))
        context = paginate(request, found.qs, default_size=25)
        context.update(
            {
                "filter_form": found.form,
                "svg": mark_safe(svg),
                "summary": queries.status_summary(request.user),
                "can_import": has_role(request.user, (Role.SERVICE_OFFICE, Role.ADMIN)),
                "geojson_url": reverse("land:geojson")
                + ("?" + request.GET.urlencode() if request.GET else ""),
                **_legend(),
            }
        )
        return render(request, "land/map.html", context)


class GeoJsonView(RoleRequiredMixin, View):
    """The filtered parcels as a GeoJSON FeatureCollection (WGS84), for GIS tools."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        found = queries.parcel_list(request.user, request.GET)
        response = HttpResponse(queries.geojson_text(found.qs), content_type="application/geo+json")
        response["Content-Disposition"] = 'attachment; filename="parcels.geojson"'
        return response


class ParcelExportView(RoleRequiredMixin, View):
    """The map's parcels as filtered, one row per parcel with its terms and 标准地 indicators,
    as an Excel file (recorded in the export log)."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        found = queries.parcel_list(request.user, request.GET)
        columns = [
            Column("code", _("地块编号")),
            Column("location", _("坐落")),
            Column("zone", _("功能分区")),
            Column("land_use", _("用地性质")),
            Column("area_mu", _("面积（亩）")),
            Column("area_m2", _("面积（平方米）")),
            Column("price_kind", _("价格类型")),
            Column("price", _("价格（元）")),
            Column("investment_per_mu_min", _("亩均投资强度下限（万元/亩）")),
            Column("tax_per_mu_min", _("亩均税收下限（万元/亩·年）")),
            Column("power_kva", _("供电容量（千伏安）")),
            Column("state", _("状态")),
            Column("centre", _("中心点")),
        ]
        rows = (
            [
                row.code,
                row.location,
                row.zone,
                row.get_land_use_display(),
                row.area_mu,
                row.area_m2,
                row.get_price_kind_display(),
                row.price,
                row.investment_per_mu_min,
                row.tax_per_mu_min,
                row.power_kva,
                row.get_state_display(),
                f"{row.centre_lon:.6f},{row.centre_lat:.6f}",
            ]
            for row in found.qs
        )
        return export_xlsx(request, export="land.parcels", title=_("地块"), columns=columns, rows=rows)


class ReservationExportView(RoleRequiredMixin, View):
    """The reservations as filtered, one row per reservation with its project's promises and
    where the purchase stands, as an Excel file (recorded in the export log)."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        found = queries.reservation_list(request.user, request.GET)
        columns = [
            Column("parcel", _("地块编号")),
            Column("enterprise", _("企业")),
            Column("project_name", _("项目名称")),
            Column("industry_code", _("项目行业代码")),
            Column("total_investment", _("项目总投资（元）")),
            Column("investment_per_mu", _("承诺亩均投资（万元/亩）")),
            Column("tax_per_mu", _("承诺亩均税收（万元/亩·年）")),
            Column("state", _("状态")),
            Column("reserved_on", _("预订日期")),
            Column("expires_on", _("预留截止日")),
            Column("deal_price", _("成交价（元）")),
            Column("contract_no", _("出让合同编号")),
        ]
        rows = (
            [
                row.parcel.code,
                row.enterprise.name,
                row.project_name,
                row.industry_code,
                row.total_investment,
                row.investment_per_mu,
                row.tax_per_mu,
                row.get_state_display(),
                row.reserved_on,
                row.expires_on,
                row.deal_price,
                row.contract_no,
            ]
            for row in found.qs.select_related("parcel", "enterprise")
        )
        return export_xlsx(
            request, export="land.reservations", title=_("用地预订"), columns=columns, rows=rows
        )


def _reserve_form(request: HttpRequest, data: Any = None) -> ReserveForm | None:
    """The reservation form for a user who may reserve: an enterprise for itself, the office
    for one of its enterprises (picked)."""
    user = request.user
    if has_role(user, (Role.SERVICE_OFFICE,)):
        enterprises = scope_queryset(Enterprise.objects.order_by("name"), user)
        return ReserveForm(data, enterprises=enterprises, prefix="reserve")
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        return ReserveForm(data, prefix="reserve")
    return None


def _parcel_page(
    request: HttpRequest, row: Parcel, *, reserve: ReserveForm | None = None, failed: StepForm | None = None
) -> HttpResponse:
    actor = acting_user(request)
    steps = []
    for action in parcel_workflow.allowed_actions(row, actor):
        form = failed if failed is not None and failed.prefix == f"parcel-{action}" else None
        steps.append(
            {
                "action": action,
                "label": action.label,
                "form": form or step_form(action, version=row.version, parcel=True),
                "url": reverse("land:parcel_step", args=[row.pk, action]),
            }
        )
    shape = mapping.MapParcel(
        pk=row.pk,
        code=row.code,
        rings=row.boundary["coordinates"],
        fill=STATUS_COLOURS.get(row.state, "#adb5bd"),
        stroke=USE_COLOURS.get(row.land_use, "#475569"),
        url=row.get_absolute_url(),
        title=row.code,
    )
    if reserve is None and row.state == ParcelStatus.AVAILABLE:
        reserve = _reserve_form(request)
    context = {
        "row": row,
        "svg": mark_safe(mapping.render_svg([shape], label=row.code, codes=False)),
        "events": queries.parcel_history(row),
        "reservations": queries.parcel_reservations(request.user, row),
        "steps": steps,
        "reserve_form": reserve if row.state == ParcelStatus.AVAILABLE else None,
        "reserve_url": reverse("land:reserve", args=[row.pk]),
        "hold_workdays": actions.hold_workdays(),
        "can_edit": row.state in actions.EDITABLE_STATES
        and has_role(request.user, (Role.SERVICE_OFFICE, Role.ADMIN)),
    }
    return render(request, "land/parcel.html", context)


class ParcelView(RoleRequiredMixin, View):
    """One parcel: where it is, what may be built, its price, infrastructure, 标准地 indicators,
    status and dates, its history, and the reservation form while it is available."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _parcel_page(request, access_parcel(request.user, pk))


class ParcelStepView(RoleRequiredMixin, View):
    """Take one of a parcel's own steps (on the shelf, off it, built)."""

    allowed_roles = MANAGERS

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        row = access_parcel(request.user, pk)
        take = actions.PARCEL_STEPS.get(action)
        if take is None:
            raise Http404
        return take_step(
            request,
            row=row,
            subject="parcel",
            take=take,
            form=step_form(action, request.POST, parcel=True),
            label=ParcelAction(action).label,
            page=lambda failed: _parcel_page(request, row, failed=failed),
        )


class ReserveView(RoleRequiredMixin, View):
    """Reserve the parcel for a project: refused with the field named (the parcel taken, a
    promise below the 标准地 indicators, a barred industry) and the form kept."""

    allowed_roles = RESERVERS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_parcel(request.user, pk)
        form = _reserve_form(request, request.POST)
        if form is None:
            raise Http404
        if form.is_valid():
            own = getattr(request.user, "enterprise_id", None) or 0
            enterprise = form.cleaned_data.get("enterprise") or Enterprise.objects.get(pk=own)
            try:
                reservation = actions.reserve_parcel(
                    parcel=row, enterprise=enterprise, project=form.project(), actor=acting_user(request)
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(
                    request,
                    _("已预订地块 %(code)s，保留至 %(day)s")
                    % {"code": row.code, "day": f"{reservation.expires_on:%Y-%m-%d}"},
                )
                return redirect(reservation.get_absolute_url())
        row.refresh_from_db()
        return _parcel_page(request, row, reserve=form)


class SelectView(RoleRequiredMixin, View):
    """Smart selection: a project's needs in, the parcels ranked with their reasons out."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        form = NeedsForm(request.GET or None)
        context: dict[str, Any] = {"form": form, "ranked": None}
        if form.is_bound and form.is_valid():
            needs = form.needs()
            ranked = selection.select(needs, queries.offers(visible_parcels(request.user)))
            context.update(
                {
                    "ranked": ranked[:SELECTION_SHOWN],
                    "eligible": sum(1 for r in ranked if r.verdict is selection.MET),
                    "pending": sum(1 for r in ranked if r.verdict is selection.UNKNOWN),
                    "total": len(ranked),
                }
            )
        return render(request, "land/select.html", context)


class ImportView(RoleRequiredMixin, View):
    """Import the park's parcels from a GeoJSON export: every bad feature listed, nothing saved
    unless all pass."""

    allowed_roles = (Role.SERVICE_OFFICE, Role.ADMIN)

    def _page(
        self, request: HttpRequest, form: ImportForm, problems: list[str] | None = None
    ) -> HttpResponse:
        return render(request, "land/import.html", {"form": form, "problems": problems or []})

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        jurisdiction = getattr(request.user, "jurisdiction", None)
        if not form.is_valid() or jurisdiction is None:
            if jurisdiction is None:
                form.add_error(None, _("您的账号没有所属辖区，不能导入地块"))
            return self._page(request, form)
        try:
            result = actions.import_parcels(
                jurisdiction=jurisdiction,
                data=form.cleaned_data["geojson"],
                actor=acting_user(request),
                publish=form.cleaned_data.get("publish", False),
            )
        except ValidationError as invalid:
            add_action_errors(form, invalid)
            return self._page(request, form)
        if not result.ok:
            return self._page(request, form, result.problems)
        messages.success(request, _("已导入 %(count)s 个地块") % {"count": len(result.created)})
        return redirect("land:map")


def _parcel_form_page(request: HttpRequest, form: ParcelForm, row: Parcel | None = None) -> HttpResponse:
    return render(request, "land/parcel_form.html", {"form": form, "row": row})


def _parcel_refused(form: ParcelForm, invalid: ValidationError) -> None:
    # The action measures in square metres and calls the boundary by its own name; the form
    # asks for mu.
    add_action_errors(form, invalid, renames={"area_m2": "area_mu"})


class ParcelCreateView(RoleRequiredMixin, View):
    """Register one parcel from a page: every bad field named (an open or self-crossing
    boundary, an area far from the boundary's, a number the park already uses), nothing lost."""

    allowed_roles = (Role.SERVICE_OFFICE, Role.ADMIN)

    def get(self, request: HttpRequest) -> HttpResponse:
        return _parcel_form_page(request, ParcelForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ParcelForm(request.POST)
        jurisdiction = getattr(request.user, "jurisdiction", None)
        if jurisdiction is None:
            form.add_error(None, _("您的账号没有所属辖区，不能登记地块"))
        if not form.is_valid() or jurisdiction is None:
            return _parcel_form_page(request, form)
        try:
            row = actions.create_parcel(
                jurisdiction=jurisdiction,
                actor=acting_user(request),
                publish=form.cleaned_data.get("publish", False),
                **form.values(),
            )
        except ValidationError as invalid:
            _parcel_refused(form, invalid)
            return _parcel_form_page(request, form)
        messages.success(request, _("已登记地块 %(code)s") % {"code": row.code})
        return redirect(row.get_absolute_url())


class ParcelEditView(RoleRequiredMixin, View):
    """Correct a planned or available parcel's terms; a change made meanwhile by someone else
    is not overwritten (the version the page showed must still be current)."""

    allowed_roles = (Role.SERVICE_OFFICE, Role.ADMIN)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_parcel(request.user, pk)
        return _parcel_form_page(request, ParcelForm(initial=ParcelForm.initial_for(row), editing=True), row)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_parcel(request.user, pk)
        form = ParcelForm(request.POST, editing=True)
        if not form.is_valid():
            return _parcel_form_page(request, form, row)
        try:
            row = actions.update_parcel(
                parcel=row,
                actor=acting_user(request),
                expected_version=form.cleaned_data.get("expected_version") or 0,
                **form.values(),
            )
        except StaleVersion as stale:
            form.add_error(None, stale.message)
            return _parcel_form_page(request, form, row)
        except ValidationError as invalid:
            _parcel_refused(form, invalid)
            return _parcel_form_page(request, form, row)
        messages.success(request, _("已保存地块 %(code)s") % {"code": row.code})
        return redirect(row.get_absolute_url())


class ReservationListView(RoleRequiredMixin, View):
    """Every reservation the user may see, searched and filtered, newest first."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        found = queries.reservation_list(request.user, request.GET)
        context = paginate(request, found.qs)
        context["filter_form"] = found.form
        return render(request, "land/reservations.html", context)


def _reservation_page(request: HttpRequest, row: Reservation, failed: StepForm | None = None) -> HttpResponse:
    steps = []
    for action in workflow.allowed_actions(row, acting_user(request)):
        form = failed if failed is not None and failed.prefix == action else None
        steps.append(
            {
                "action": action,
                "label": action.label,
                "form": form or step_form(action, version=row.version),
                "url": reverse("land:step", args=[row.pk, action]),
            }
        )
    context = {"row": row, "parcel": row.parcel, "events": queries.history(row), "steps": steps}
    return render(request, "land/reservation.html", context)


class ReservationView(RoleRequiredMixin, View):
    """One reservation: the project's figures, the dates, the deal, its history and the steps."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _reservation_page(request, access_reservation(request.user, pk))


class ReservationStepView(RoleRequiredMixin, View):
    """Take one step of a reservation with the version the page showed."""

    allowed_roles = READERS

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        row = access_reservation(request.user, pk)
        take = actions.STEPS.get(action)
        if take is None:
            raise Http404
        return take_step(
            request,
            row=row,
            subject="reservation",
            take=take,
            form=step_form(action, request.POST),
            label=ReservationAction(action).label,
            page=lambda failed: _reservation_page(request, row, failed=failed),
        )


class EnterpriseSectionView(RoleRequiredMixin, View):
    """The land section of the enterprise's file (一企一档): its reservations the user may see."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        context = {"enterprise": enterprise, "rows": queries.for_enterprise(request.user, enterprise)[:20]}
        return render(request, "land/enterprise_section.html", context)


class CodeListView(CodeTokenMixin):
    """`/c/<token>/land/`: the enterprise's reservations under way, through its code (the
    enterprise's own data: whoever holds the code confirms one of its phones first)."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        context: dict[str, Any] = {
            **self.base_context(),
            "rows": queries.open_for_enterprise(self.enterprise),
        }
        return render(request, "land/code_list.html", context)
