"""Pages of the one-on-one liaison layout: coverage, assignment by hand, in bulk, from Excel and
by rules, and the handover of a departing cadre. Views stay thin: reads come from `queries`,
writes go through `actions`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column
from lianqi.core.forms import add_action_errors
from lianqi.core.views import RoleRequiredMixin, export_xlsx, paginate, url_if_allowed
from lianqi.core.views.pickers import PickerView
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.permissions import visible as enterprises_visible
from lianqi.enterprises.queries import enterprise_list
from lianqi.org.models import Staff
from lianqi.org.permissions import staff_phone, staff_phones

from . import actions, queries
from .choices import AssignmentMethod
from .forms import AssignForm, BulkAssignForm, HandoverForm, ImportForm, RulesForm
from .importing import LIAISON_COLUMNS
from .permissions import (
    ACT_ROLES,
    HISTORY_ROLES,
    VIEW_ROLES,
    access_enterprise,
    access_import_job,
    access_staff,
    can_act,
    import_jobs_visible,
)

#: Filter parameters of the enterprise list that the bulk page carries from GET to POST.
BULK_FILTER_PARAMS = (
    "q",
    "kind",
    "status",
    "industry",
    "tag",
    "jurisdiction",
    "liaison",
    "uncovered",
    "sort",
)


#: Where an assignment's refusal shows on the assignment forms: next to the cadre chosen.
ON_STAFF = {"liaison": "staff", "enterprise": "staff", "plan": "staff"}


# --- Coverage ---------------------------------------------------------------------------------


class CoverageView(RoleRequiredMixin, View):
    """Coverage of the user's scope: who is uncovered, each liaison's load, who left holding."""

    allowed_roles = VIEW_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        sort = request.GET.get("sort", queries.DEFAULT_LOAD_SORT)
        if sort not in queries.LOAD_SORTS:
            sort = queries.DEFAULT_LOAD_SORT
        stats = queries.load_stats(user)
        loads = list(queries.load_per_liaison(user, sort))
        overloaded_count = 0
        for staff in loads:
            flag = staff.is_active and stats.overloaded(staff.load, staff.tier)  # type: ignore[attr-defined]
            staff.overloaded = flag  # type: ignore[attr-defined]
            overloaded_count += int(flag)
        distribution = queries.load_distribution(user)
        context = {
            "summary": queries.coverage_summary(user),
            "stats": stats,
            "loads": loads,
            "overloaded_count": overloaded_count,
            "sort": sort,
            "left_holding": queries.left_staff_holding(user),
            "chart": {
                "labels": [str(load) for load, _n in distribution],
                "values": [n for _load, n in distribution],
                "threshold": stats.threshold,
            },
            "can_act": can_act(user),
            **paginate(request, queries.uncovered(user), default_size=20),
        }
        return render(request, "liaisons/coverage.html", context)


class CoverageExportView(RoleRequiredMixin, View):
    """The load table as an .xlsx file."""

    allowed_roles = VIEW_ROLES

    def columns(self) -> tuple[Column, ...]:
        # Built per request, so the headers follow the user's language.
        return (
            Column("name", _("联企干部")),
            Column("phone", _("手机号")),
            Column("department", _("部门")),
            Column("tier", _("层级")),
            Column("status", _("在岗")),
            Column("load", _("联系在园企业数")),
            Column("held", _("联系企业总数")),
            Column("overloaded", _("负载过重")),
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        stats = queries.load_stats(request.user)
        phones = staff_phones(request.user)
        rows = (
            (
                s.name,
                staff_phone(request.user, s, phones),
                s.department.name if s.department else "",
                s.get_tier_display(),
                _("在岗") if s.is_active else _("已离岗"),
                s.load,  # type: ignore[attr-defined]
                s.held,  # type: ignore[attr-defined]
                _("是") if s.is_active and stats.overloaded(s.load, s.tier) else "",  # type: ignore[attr-defined]
            )
            for s in queries.load_per_liaison(request.user, request.GET.get("sort"))
        )
        return export_xlsx(
            request,
            export="liaisons.load",
            title=_("联企干部负载"),
            columns=self.columns(),
            rows=rows,
            masked={"phone"} if phones.masks_column else (),
            filename=f"liaison-load-{timezone.localdate():%Y%m%d}.xlsx",
        )


# --- On the enterprise's file -------------------------------------------------------------------


class EnterpriseLiaisonSectionView(RoleRequiredMixin, View):
    """The enterprise's liaison and every change of it (section ``liaisons.history`` of the
    enterprise's file), with the way to change it for those who may."""

    allowed_roles = HISTORY_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        liaison = enterprise.liaison
        context = {
            "enterprise": enterprise,
            "liaison_phone": staff_phone(request.user, liaison) if liaison else "",
            "liaison_changes": queries.history_for(enterprise),
            "assign_url": url_if_allowed(request.user, "liaisons:assign", enterprise.pk),
        }
        return render(request, "liaisons/enterprise_section.html", context)


# --- By hand ------------------------------------------------------------------------------------


class AssignView(RoleRequiredMixin, View):
    """Choose the liaison of one enterprise by hand, with a reason; shows its history."""

    allowed_roles = ACT_ROLES

    def render_page(self, request: HttpRequest, enterprise: Enterprise, form: AssignForm) -> HttpResponse:
        context = {
            "enterprise": enterprise,
            "form": form,
            "history": queries.history_for(enterprise)[:50],
        }
        return render(request, "liaisons/assign.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        form = AssignForm(user=request.user, initial={"staff": enterprise.liaison_id})
        return self.render_page(request, enterprise, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        form = AssignForm(request.POST, user=request.user)
        if form.is_valid():
            staff = form.cleaned_data["staff"]
            if staff.pk == enterprise.liaison_id:
                messages.info(request, _("%(name)s 已经是该企业的联企干部，未作变更") % {"name": staff.name})
                return redirect("liaisons:assign", pk=enterprise.pk)
            try:
                actions.assign_liaison(
                    enterprise=enterprise,
                    staff=staff,
                    actor=acting_user(request),
                    method=AssignmentMethod.MANUAL,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_action_errors(form, error, ON_STAFF)
            else:
                messages.success(
                    request,
                    _("已将 %(enterprise)s 的联企干部设为 %(name)s")
                    % {"enterprise": enterprise.name, "name": staff.name},
                )
                return redirect("liaisons:assign", pk=enterprise.pk)
        return self.render_page(request, enterprise, form)


# --- In bulk ------------------------------------------------------------------------------------


class BulkAssignView(RoleRequiredMixin, View):
    """Filter the register, tick enterprises (or take all that match) and give them one liaison."""

    allowed_roles = ACT_ROLES

    def render_page(
        self,
        request: HttpRequest,
        params: Any,
        form: BulkAssignForm,
        status: int = 200,
    ) -> HttpResponse:
        filterset, queryset = enterprise_list(request.user, params)
        for field in filterset.form.fields.values():
            css = "form-select" if getattr(field.widget, "input_type", "") == "select" else "form-control"
            field.widget.attrs.setdefault("class", f"{css} form-control-sm")
        filters = {k: params.get(k) for k in BULK_FILTER_PARAMS if params.get(k) not in (None, "")}
        ticked = {str(v) for v in request.POST.getlist("ids")} if request.method == "POST" else set()
        context = {
            "filterset": filterset,
            "filters": filters,
            "form": form,
            "ticked": ticked,
            **paginate(request, queryset, default_size=50),
        }
        return render(request, "liaisons/bulk.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        form = BulkAssignForm(user=request.user, enterprises=enterprises_visible(request.user))
        return self.render_page(request, request.GET, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        visible = enterprises_visible(request.user)
        form = BulkAssignForm(request.POST, user=request.user, enterprises=visible)
        if form.is_valid():
            targets: QuerySet[Enterprise]
            if form.cleaned_data["scope"] == BulkAssignForm.SCOPE_ALL:
                _filterset, targets = enterprise_list(request.user, request.POST)
                expected = form.cleaned_data.get("expected")
                actual = targets.count()
                if expected is not None and expected != actual:
                    form.add_error(
                        "scope",
                        _("符合筛选条件的企业已变为 %(n)d 家，请核对后再提交") % {"n": actual},
                    )
                    return self.render_page(request, request.POST, form)
            else:
                targets = form.cleaned_data["ids"]
            staff = form.cleaned_data["staff"]
            plan = {pk: staff for pk in targets.values_list("pk", flat=True)}
            try:
                changed = actions.set_liaisons(
                    plan=plan,
                    actor=acting_user(request),
                    method=AssignmentMethod.BULK,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_action_errors(form, error, ON_STAFF)
            else:
                messages.success(
                    request,
                    _("已为 %(n)d 家企业指定联企干部 %(name)s（其中 %(same)d 家原本就是）")
                    % {"n": len(plan), "name": staff.name, "same": len(plan) - changed},
                )
                filters = {k: request.POST[k] for k in BULK_FILTER_PARAMS if request.POST.get(k)}
                query = urlencode(filters)
                return HttpResponseRedirect(f"{reverse('liaisons:bulk')}{'?' + query if query else ''}")
        return self.render_page(request, request.POST, form)


# --- From Excel ---------------------------------------------------------------------------------


class ImportView(RoleRequiredMixin, View):
    """Upload a liaison spreadsheet; it is checked and shown before anything changes."""

    allowed_roles = ACT_ROLES

    def render_page(self, request: HttpRequest, form: ImportForm) -> HttpResponse:
        jobs = import_jobs_visible(request.user).select_related("owner")[:10]
        return render(request, "liaisons/import.html", {"form": form, "jobs": jobs})

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request, ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = actions.stage_liaison_import(
                    actor=acting_user(request),
                    source=upload,
                    original_name=upload.name,
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                if job.error:
                    form.add_error("file", job.error)
                else:
                    return redirect("liaisons:import_preview", pk=job.pk)
        return self.render_page(request, form)


class ImportPreviewView(RoleRequiredMixin, View):
    """Every bad row with its reason and the valid rows; applying takes all valid rows at once."""

    allowed_roles = ACT_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = access_import_job(request.user, pk)
        valid = job.result.get("valid", [])
        context = {
            "job": job,
            "errors": job.result.get("errors", []),
            "valid": valid[:500],
            "valid_count": len(valid),
            "unchanged": job.result.get("unchanged", 0),
            "applied": job.result.get("applied"),
        }
        return render(request, "liaisons/import_preview.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = access_import_job(request.user, pk)
        try:
            changed = actions.apply_liaison_import(job=job, actor=acting_user(request))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("导入完成：%(n)d 家企业的联企干部已更新") % {"n": changed})
        return redirect("liaisons:import_preview", pk=job.pk)


class ImportTemplateView(RoleRequiredMixin, View):
    """The import spreadsheet, filled with the active enterprises in scope and their current
    liaisons, so that the office edits names rather than typing codes."""

    allowed_roles = ACT_ROLES
    columns = (
        LIAISON_COLUMNS[0],
        Column("name", "企业名称"),  # a file column the import reads, not an interface label
        LIAISON_COLUMNS[1],
        LIAISON_COLUMNS[2],
    )

    def get(self, request: HttpRequest) -> HttpResponse:
        phones = staff_phones(request.user)
        return export_xlsx(
            request,
            export="liaisons.import_template",
            title=_("联企干部"),
            columns=self.columns,
            rows=queries.template_rows(request.user, phones),
            masked={LIAISON_COLUMNS[2].key} if phones.masks_column else (),
            filename="liaison-import-template.xlsx",
        )


# --- By rules -----------------------------------------------------------------------------------


class RulesView(RoleRequiredMixin, View):
    """What the tier-and-industry rules would do, and applying them."""

    allowed_roles = ACT_ROLES

    def jurisdiction(self, request: HttpRequest) -> Any:
        jurisdiction = getattr(request.user, "jurisdiction", None)
        if jurisdiction is None:
            raise Http404
        return jurisdiction

    def get(self, request: HttpRequest) -> HttpResponse:
        jurisdiction = self.jurisdiction(request)
        form = RulesForm(request.GET) if "leader_quota" in request.GET else RulesForm()
        options = {"only_uncovered": True, "leader_quota": RulesForm.base_fields["leader_quota"].initial}
        if form.is_bound and form.is_valid():
            options = form.cleaned_data
        context = {"form": form, "options": options, **queries.rules_preview(jurisdiction, **options)}
        return render(request, "liaisons/rules.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        jurisdiction = self.jurisdiction(request)
        form = RulesForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("分配参数有误，请重新预览"))
            return redirect("liaisons:rules")
        try:
            changed = actions.assign_by_rules(
                jurisdiction=jurisdiction,
                actor=acting_user(request),
                only_uncovered=form.cleaned_data["only_uncovered"],
                leader_quota=form.cleaned_data["leader_quota"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("liaisons:rules")
        messages.success(request, _("已按规则为 %(n)d 家企业分配联企干部") % {"n": changed})
        return redirect("liaisons:coverage")


# --- Handover -----------------------------------------------------------------------------------


class HandoverView(RoleRequiredMixin, View):
    """Hand a departing cadre's enterprises to one successor or spread them over the department
    by load, preview the plan, then move them and mark the cadre as left in one step."""

    allowed_roles = ACT_ROLES

    def render_page(
        self,
        request: HttpRequest,
        departing: Staff,
        form: HandoverForm,
        plan: list[dict[str, Any]] | None = None,
    ) -> HttpResponse:
        context = {
            "departing": departing,
            "form": form,
            "held": queries.held_by(departing),
            "plan": plan,
        }
        return render(request, "liaisons/handover.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        departing = access_staff(request.user, pk)
        return self.render_page(request, departing, HandoverForm(user=request.user, departing=departing))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        departing = access_staff(request.user, pk)
        form = HandoverForm(request.POST, user=request.user, departing=departing)
        if not form.is_valid():
            return self.render_page(request, departing, form)
        if request.POST.get("step") == "confirm":
            return self.confirm(request, departing, form)
        return self.preview(request, departing, form)

    def preview(self, request: HttpRequest, departing: Staff, form: HandoverForm) -> HttpResponse:
        successor = None
        if form.cleaned_data["mode"] == HandoverForm.MODE_ONE:
            successor = form.cleaned_data["successor"]
        plan, unassigned = queries.handover_plan(departing, successor=successor)
        if unassigned:
            form.add_error(
                "mode",
                _("有 %(n)d 家企业在本部门找不到可以接替的在岗干部，请改为全部移交给一名干部")
                % {"n": unassigned},
            )
            return self.render_page(request, departing, form)
        return self.render_page(request, departing, form, plan=plan)

    def confirm(self, request: HttpRequest, departing: Staff, form: HandoverForm) -> HttpResponse:
        wanted: dict[int, int] = {}
        for key in request.POST:
            if not key.startswith("plan_"):
                continue
            try:
                wanted[int(key.removeprefix("plan_"))] = int(request.POST.get(key, ""))
            except ValueError:
                form.add_error(None, _("移交计划有误，请重新预览"))
                return self.render_page(request, departing, form)
        choices = {s.pk: s for s in form.fields["successor"].queryset.filter(pk__in=set(wanted.values()))}  # type: ignore[attr-defined]
        if set(wanted.values()) - set(choices):
            form.add_error(None, _("接替干部须为本辖区在岗干部，请重新预览"))
            return self.render_page(request, departing, form)
        mode_note = (
            _("%(name)s 离岗，整体移交")
            if form.cleaned_data["mode"] == HandoverForm.MODE_ONE
            else _("%(name)s 离岗，按负载分给本部门干部")
        ) % {"name": departing.name}
        note = form.cleaned_data["reason"]
        try:
            changed = actions.hand_over_and_deactivate(
                departing=departing,
                plan={eid: choices[sid] for eid, sid in wanted.items()},
                actor=acting_user(request),
                left_on=form.cleaned_data["left_on"],
                reason=f"{mode_note}：{note}" if note else mode_note,
            )
        except ValidationError as error:
            add_action_errors(form, error)
            return self.render_page(request, departing, form)
        messages.success(
            request,
            _("%(name)s 已标记为离岗，%(n)d 家企业已移交") % {"name": departing.name, "n": changed},
        )
        return redirect("liaisons:coverage")


class LiaisonPickerView(PickerView):
    """The liaison pickers' answer: active staff of the user's subtree by name or department,
    each with their current load (what whoever assigns weighs); no phone."""

    allowed_roles = ACT_ROLES
    search_fields = ("name", "department__name")

    def rows(self, request: HttpRequest) -> QuerySet[Staff]:
        return queries.staff_choices(request.user)

    def label(self, obj: Any) -> str:
        return queries.staff_label(obj, phone=False)
