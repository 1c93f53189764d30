"""The pages of this wing: the list, one item with its history and the steps the user may
take, registering an item from the enterprise's file, its section of that file, and the
enterprise's own items under its code. Thin: objects come through the `access_*` loaders,
reads from `queries`, and every write is an action."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from openpyxl import Workbook

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column, append_header
from lianqi.core.forms import add_action_errors
from lianqi.core.privacy import Holder, PhonePolicy
from lianqi.core.roles import has_role
from lianqi.core.scoping import path_visible, scope_queryset
from lianqi.core.views import RoleRequiredMixin, export_xlsx, paginate, xlsx_download
from lianqi.core.views.pickers import PickerView
from lianqi.core.views.steps import take_step
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.views.code import CodeAccess, CodeTokenMixin
from lianqi.org.models import Jurisdiction
from lianqi.rules.formats import condition_json

from . import actions, checks, drawing, lenient, queries
from . import draw as draw_engine
from . import items as items_sheet
from .choices import InspectionAction, LenientKind
from .forms import (
    DrawForm,
    DrawPerformForm,
    FrequencyCapsForm,
    InspectionForm,
    InspectionItemForm,
    InspectorForm,
    ItemImportForm,
    LenientImportForm,
    QuietPeriodForm,
    RatingForm,
    ReportForm,
    StepForm,
    lenient_choices,
    step_form,
)
from .models import Inspection, InspectionDraw, InspectionItem
from .permissions import (
    MANAGERS,
    READERS,
    REGISTRARS,
    access_enterprise,
    access_inspection,
    access_inspector,
    access_item,
    access_quiet_period,
)
from .workflow import workflow


class InspectionListView(RoleRequiredMixin, View):
    """Every item the user may see, searched and filtered, newest first."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        found = queries.inspection_list(request.user, request.GET)
        context = paginate(request, found.qs)
        context["filter_form"] = found.form
        context["export_query"] = request.GET.urlencode()
        return render(request, "inspections/list.html", context)


class InspectionExportView(RoleRequiredMixin, View):
    """The list as filtered, one row per inspection, as an Excel file (recorded in the export
    log)."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        found = queries.inspection_list(request.user, request.GET)
        columns = [
            Column("code", _("检查码")),
            Column("task", _("检查事项")),
            Column("enterprise", _("企业")),
            Column("department", _("检查部门")),
            Column("trigger", _("检查来源")),
            Column("planned_on", _("计划检查日期")),
            Column("state", _("状态")),
            Column("registered_at", _("登记时间")),
            Column("finding", _("检查结论")),
            Column("rectification_due_on", _("整改截止日期")),
            Column("follow_up", _("整改复查结果")),
            Column("rectified_on", _("整改完成日期")),
            Column("lenient_item", _("适用的柔性执法清单事项")),
        ]
        rows = (
            [
                row.code,
                row.task,
                row.enterprise.name,
                row.department.name,
                row.get_trigger_display(),
                row.planned_on,
                row.get_state_display(),
                timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M"),
                row.get_finding_display(),
                row.rectification_due_on,
                row.get_follow_up_display(),
                row.rectified_on,
                str(row.lenient_item) if row.lenient_item else "",
            ]
            for row in found.qs.select_related("department", "lenient_item")
        )
        return export_xlsx(
            request, export="inspections.list", title=_("执法检查"), columns=columns, rows=rows
        )


def _detail(request: HttpRequest, row: Inspection, failed: StepForm | None = None) -> HttpResponse:
    """One item's page: its fields, its history and a form for each step the user may take
    (the one that failed keeps what was typed, with its errors)."""
    steps = []
    for action in workflow.allowed_actions(row, acting_user(request)):
        form = failed if failed is not None and failed.prefix == action else None
        steps.append(
            {
                "action": action,
                "label": action.label,
                "form": form or step_form(action, version=row.version, row=row),
                "url": reverse("inspections:step", args=[row.pk, action]),
            }
        )
    context = {"row": row, "events": queries.history(row), "steps": steps, "today": timezone.localdate()}
    return render(request, "inspections/detail.html", context)


class InspectionDetailView(RoleRequiredMixin, View):
    """One item: its fields, its history and the steps the user may take now."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _detail(request, access_inspection(request.user, pk))


class LenientItemPickerView(PickerView):
    """The finding form's search of the lenient-list items its inspection may cite (by number,
    violation or legal basis): the several hundred items of the three lists are found by a
    word, not scrolled. `?inspection=` names the inspection, loaded in the user's scope."""

    allowed_roles = READERS
    search_fields = ("violation", "legal_basis", "measure")
    ordering = ("kind", "number")

    def rows(self, request: HttpRequest) -> QuerySet[Any]:
        try:
            pk = int(request.GET.get("inspection", ""))
        except ValueError as bad:
            raise Http404 from bad
        return lenient_choices(access_inspection(request.user, pk))


class InspectionStepView(RoleRequiredMixin, View):
    """Take one step of an item with the version the page showed. A refused or stale step is
    told above the page; bad input is shown next to its field with what was typed."""

    allowed_roles = READERS

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        row = access_inspection(request.user, pk)
        take = actions.STEPS.get(action)
        if take is None:
            raise Http404
        return take_step(
            request,
            row=row,
            subject="inspection",
            take=take,
            form=step_form(action, request.POST, row=row),
            label=InspectionAction(action).label,
            page=lambda failed: _detail(request, row, failed=failed),
        )


def _form_page(request: HttpRequest, enterprise: Enterprise, form: InspectionForm) -> HttpResponse:
    return render(request, "inspections/form.html", {"enterprise": enterprise, "form": form})


class InspectionCreateView(RoleRequiredMixin, View):
    """Register an inspection of the enterprise whose file it was opened from."""

    allowed_roles = REGISTRARS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _form_page(
            request,
            access_enterprise(request.user, pk),
            InspectionForm(enterprise=access_enterprise(request.user, pk), user=request.user),
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        form = InspectionForm(request.POST, enterprise=enterprise, user=request.user)
        proposal = form.joint_proposal() if form.is_valid() else ""
        if proposal:
            form.add_error("join", proposal)
        elif form.is_valid():
            inputs = {k: v for k, v in form.cleaned_data.items() if k != "offered"}
            try:
                row = actions.register_inspection(enterprise=enterprise, actor=acting_user(request), **inputs)
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已登记检查，检查码：%(code)s") % {"code": row.code})
                return redirect(row.get_absolute_url())
        return _form_page(request, enterprise, form)


class InspectionEnterpriseSectionView(RoleRequiredMixin, View):
    """This wing's section of the enterprise's file (一企一档): the enterprise's items the user
    may see, an HTML fragment the file page loads by itself."""

    allowed_roles = REGISTRARS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        context = {
            "enterprise": enterprise,
            "rows": queries.for_enterprise(request.user, enterprise)[:20],
            "create_url": reverse("inspections:create", args=[enterprise.pk]),
        }
        return render(request, "inspections/enterprise_section.html", context)


class InspectionCodeListView(CodeTokenMixin):
    """`/c/<token>/inspections/`: the inspections registered for the enterprise — task,
    department, legal basis, inspectors, date, code —, a rating form for each visit made and
    not yet rated, and where to report an unregistered entry. They are the enterprise's own
    data: the mixin's default access (`CodeAccess.MEMBER`) sends whoever holds the code to
    confirm one of the enterprise's registered phones first."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self.show()

    def show(self, failed: tuple[int, RatingForm] | None = None) -> HttpResponse:
        rows = []
        for row in queries.for_code_page(self.enterprise):
            form = None
            if queries.rateable(row):
                form = (
                    failed[1]
                    if failed is not None and failed[0] == row.pk
                    else RatingForm(prefix=f"r{row.pk}")
                )
            rows.append({"row": row, "rating_form": form})
        context: dict[str, Any] = {**self.base_context(), "rows": rows, "today": timezone.localdate()}
        return render(self.request, "inspections/code_list.html", context)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        """Rate one visit (the form is prefixed by the inspection's number)."""
        try:
            pk = int(request.POST.get("inspection", ""))
        except ValueError:
            raise Http404 from None
        row = queries.for_code_page(self.enterprise).filter(pk=pk).first()
        if row is None:
            raise Http404
        form = RatingForm(request.POST, prefix=f"r{row.pk}")
        if form.is_valid():
            try:
                actions.rate_inspection(inspection=row, enterprise=self.enterprise, **form.cleaned_data)
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("感谢您的评价"))
                return redirect("codes:inspections_list", token=token)
        return self.show(failed=(row.pk, form))


class InspectionCodeReportView(CodeTokenMixin):
    """`/c/<token>/inspections/report/`: the enterprise reports someone who came in to inspect
    without a registered inspection; it becomes a demand (category 执法检查). Anyone who
    confirmed a phone may report (`CodeAccess.FILER`), as for any demand."""

    access = CodeAccess.FILER

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self.show(ReportForm())

    def show(self, form: ReportForm) -> HttpResponse:
        return render(self.request, "inspections/code_report.html", {**self.base_context(), "form": form})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        form = ReportForm(request.POST)
        viewer = self.contact()
        if viewer is None:  # `CodeAccess.FILER` let no one else in
            raise Http404
        if form.is_valid():
            try:
                demand = actions.report_unregistered_entry(
                    enterprise=self.enterprise,
                    description=form.cleaned_data["description"],
                    contact_name=viewer.name,
                    contact_phone=viewer.phone,
                    actor=viewer.account,
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                return redirect("codes:demand_submitted", token=token, pk=demand.pk)
        return self.show(form)


class LenientListPublicView(View):
    """`/inspections/lenient/<code>/`: a jurisdiction's three lenient-enforcement lists,
    published for anyone (they are public law: what could be printed on a factory gate)."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        jurisdiction = get_object_or_404(Jurisdiction, code=code)
        lists = queries.lenient_lists(jurisdiction.path)
        context = {
            "jurisdiction": jurisdiction,
            "lists": [(LenientKind(kind).label, items) for kind, items in lists.items()],
        }
        return render(request, "inspections/lenient_public.html", context)


def _own_jurisdiction(request: HttpRequest) -> Jurisdiction:
    """The jurisdiction whose lists a member of staff manages: their own (an account without
    one has none to manage)."""
    jurisdiction = acting_user(request).jurisdiction
    if jurisdiction is None:
        raise Http404
    return jurisdiction


class LenientListManageView(RoleRequiredMixin, View):
    """The office's page of its jurisdiction's lists: export them to Excel (``?format=xlsx``)
    and replace them by importing a file; a bad file's rows are named and nothing changes."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        jurisdiction = _own_jurisdiction(request)
        if request.GET.get("format") == "xlsx":
            return export_xlsx(
                request,
                export="inspections.lenient",
                title=_("柔性执法清单"),
                columns=lenient.COLUMNS,
                rows=queries.lenient_rows(jurisdiction.path),
            )
        return self.show(LenientImportForm())

    def show(self, form: LenientImportForm) -> HttpResponse:
        jurisdiction = _own_jurisdiction(self.request)
        lists = queries.lenient_lists(jurisdiction.path)
        context = {
            "form": form,
            "jurisdiction": jurisdiction,
            "counts": [(LenientKind(kind).label, len(items)) for kind, items in lists.items()],
        }
        return render(self.request, "inspections/lenient_manage.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LenientImportForm(request.POST, request.FILES)
        if form.is_valid():
            actor = acting_user(request)
            try:
                count = actions.import_lenient_lists(
                    jurisdiction=_own_jurisdiction(request), source=form.cleaned_data["file"], actor=actor
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已导入 %(count)s 项") % {"count": count})
                return redirect("inspections:lenient_manage")
        return self.show(form)


class DrawCreateView(RoleRequiredMixin, View):
    """Run a random draw (双随机) for a department of the user's jurisdiction: the pools come
    from the app, the result is registered and its document published."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.show(DrawForm(user=request.user))

    def show(self, form: DrawForm) -> HttpResponse:
        return render(self.request, "inspections/draw_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DrawForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if data.pop("announce_only"):
                    data.pop("entropy")
                    row = actions.announce_draw(actor=acting_user(request), **data)
                else:
                    row = actions.run_draw(actor=acting_user(request), **data)
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                return redirect(row.get_absolute_url())
        return self.show(form)


class DrawPublicView(View):
    """`/inspections/draws/<pk>/`: a draw's published result (一公开) for anyone — the task, the
    department, the drawn enterprises and teams by their published identifiers, the seed's
    commitment — and its document, which ``python -m lianqi.inspections.draw.verify`` checks."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = get_object_or_404(InspectionDraw.objects.select_related("department"), pk=pk)
        if request.GET.get("format") == "json":
            response = HttpResponse(
                draw_engine.dumps(row.document, indent=2), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="draw-{row.pk}.json"'
            return response
        context = {
            "row": row,
            "result": list(drawing.assignments(row.document)) if row.is_drawn else [],
            "perform": DrawPerformForm() if not row.is_drawn and _may_draw(request, row) else None,
        }
        return render(request, "inspections/draw_public.html", context)


class InspectorPoolView(RoleRequiredMixin, View):
    """The departments' pools of inspectors (执法人员库): who may be registered for an
    inspection or drawn for one, with their certificates and when they expire; the office adds
    a member of a department's staff with their certificate."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.show(InspectorForm(user=request.user))

    def show(self, form: InspectorForm) -> HttpResponse:
        request = self.request
        department = request.GET.get("department", "")
        rows = queries.inspector_pool(request.user, int(department) if department.isdigit() else None)
        context = paginate(request, rows)
        department_field = form.fields["department"]
        assert isinstance(department_field, forms.ModelChoiceField)
        context.update(
            form=form,
            departments=department_field.queryset,
            department=department,
            today=timezone.localdate(),
        )
        return render(request, "inspections/inspector_pool.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InspectorForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                inspector = actions.add_inspector(**form.cleaned_data, actor=acting_user(request))
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已将 %(name)s 加入执法人员库") % {"name": inspector})
                return redirect("inspections:inspectors")
        return self.show(form)


class InspectorRemoveView(RoleRequiredMixin, View):
    """Take an inspector out of the pool."""

    allowed_roles = MANAGERS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspector = access_inspector(request.user, pk)
        actions.remove_inspector(inspector=inspector, actor=acting_user(request))
        messages.success(request, _("已将 %(name)s 移出执法人员库") % {"name": inspector})
        return redirect("inspections:inspectors")


class QuietPeriodListView(RoleRequiredMixin, View):
    """The enterprises exempted from inspections on plan and by draw (免检、无事不扰), the
    soonest to end first (``?all=1`` also lists those over); the office sets a new period."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.show(QuietPeriodForm(user=request.user))

    def show(self, form: QuietPeriodForm) -> HttpResponse:
        request = self.request
        show_all = request.GET.get("all") == "1"
        context = paginate(request, queries.quiet_periods(request.user, current_only=not show_all))
        context.update(form=form, show_all=show_all, today=timezone.localdate())
        return render(request, "inspections/quiet_periods.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = QuietPeriodForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                period = actions.add_quiet_period(**form.cleaned_data, actor=acting_user(request))
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(
                    request,
                    _("已为 %(name)s 设置免检期 %(start)s 至 %(end)s")
                    % {"name": period.enterprise.name, "start": period.starts_on, "end": period.ends_on},
                )
                return redirect("inspections:quiet_periods")
        return self.show(form)


class QuietPeriodEndView(RoleRequiredMixin, View):
    """End a quiet period today."""

    allowed_roles = MANAGERS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        period = access_quiet_period(request.user, pk)
        period = actions.end_quiet_period(period=period, actor=acting_user(request))
        messages.success(request, _("免检期已结束于 %(day)s") % {"day": period.ends_on})
        return redirect("inspections:quiet_periods")


class JointVisitListView(RoleRequiredMixin, View):
    """The joint visits (综合查一次): several departments' inspections of one enterprise made
    in one visit, newest first, each with its inspections."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        context = paginate(request, queries.joint_visits(request.user))
        visits = list(context["object_list"])
        members = queries.inspections_of_joint_visits([v.pk for v in visits])
        context["rows"] = [(visit, members.get(visit.pk, [])) for visit in visits]
        return render(request, "inspections/joint_visits.html", context)


class ItemListView(RoleRequiredMixin, View):
    """The departments' inspection lists (检查事项清单) the user manages, one department's with
    ``?department=<pk>``: add an item, publish or withdraw one, export the list to Excel
    (``?format=xlsx``) and import a file (every bad field named by row, nothing half-imported)."""

    allowed_roles = REGISTRARS

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = queries.managed_items(request.user, request.GET.get("department"))
        if request.GET.get("format") == "xlsx":
            return export_xlsx(
                request,
                export="inspections.items",
                title=_("检查事项清单"),
                columns=items_sheet.COLUMNS,
                rows=queries.item_rows(rows),
            )
        return self.show(InspectionItemForm(user=request.user), ItemImportForm())

    def show(self, form: InspectionItemForm, upload: ItemImportForm) -> HttpResponse:
        request = self.request
        context = paginate(request, queries.managed_items(request.user, request.GET.get("department")))
        jurisdiction = acting_user(request).jurisdiction
        context.update(form=form, upload=upload, jurisdiction=jurisdiction)
        return render(request, "inspections/items.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        actor = acting_user(request)
        form = InspectionItemForm(user=request.user)
        upload = ItemImportForm()
        if "file" in request.FILES or request.POST.get("import"):
            upload = ItemImportForm(request.POST, request.FILES)
            if upload.is_valid():
                try:
                    count = actions.import_inspection_items(
                        jurisdiction=_own_jurisdiction(request),
                        source=upload.cleaned_data["file"],
                        actor=actor,
                    )
                except ValidationError as invalid:
                    add_action_errors(upload, invalid)
                else:
                    messages.success(request, _("已导入 %(count)s 项") % {"count": count})
                    return redirect("inspections:items")
            return self.show(form, upload)
        form = InspectionItemForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                item = actions.save_inspection_item(actor=actor, **form.cleaned_data)
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(
                    request, _("已添加检查事项“%(name)s”，公布后方可据此登记检查") % {"name": item.name}
                )
                return redirect("inspections:items")
        return self.show(form, upload)


class ItemEditView(RoleRequiredMixin, View):
    """Change an item of a list the user manages."""

    allowed_roles = REGISTRARS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = access_item(request.user, pk)
        initial = {
            "department": item.department,
            "name": item.name,
            "law": item.law,
            "article": item.article,
            "kind": item.kind,
            "yearly_cap": item.yearly_cap,
            "eligibility": condition_json(item.rule["rules"][0]["eligibility"]) if item.rule else "",
            "rule_note": item.rule_note,
        }
        return self.show(item, InspectionItemForm(initial=initial, user=request.user))

    def show(self, item: InspectionItem, form: InspectionItemForm) -> HttpResponse:
        return render(self.request, "inspections/item_form.html", {"item": item, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = access_item(request.user, pk)
        form = InspectionItemForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                actions.save_inspection_item(actor=acting_user(request), item=item, **form.cleaned_data)
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已保存检查事项“%(name)s”") % {"name": form.cleaned_data["name"]})
                return redirect("inspections:items")
        return self.show(item, form)


class ItemPublishView(RoleRequiredMixin, View):
    """Publish an item (``/publish/``) or withdraw it (``/withdraw/``)."""

    allowed_roles = REGISTRARS

    def post(self, request: HttpRequest, pk: int, verb: str) -> HttpResponse:
        if verb not in ("publish", "withdraw"):
            raise Http404
        item = access_item(request.user, pk)
        try:
            item = actions.publish_inspection_item(
                item=item, actor=acting_user(request), published=verb == "publish"
            )
        except ValidationError as invalid:
            messages.error(request, "；".join(invalid.messages))
        else:
            done = _("已公布“%(name)s”") if item.is_published else _("已撤回“%(name)s”")
            messages.success(request, done % {"name": item.name})
        return redirect("inspections:items")


class ItemPublicView(View):
    """`/inspections/items/public/<code>/`: every department's published inspection items in a
    jurisdiction, for anyone — what each may inspect, on which legal basis, how often at most
    (nothing personal: no enterprise and no inspector is named)."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        jurisdiction = get_object_or_404(Jurisdiction, code=code)
        groups: dict[str, list[InspectionItem]] = {}
        for item in queries.published_items(jurisdiction.path):
            groups.setdefault(item.department.name, []).append(item)
        context = {"jurisdiction": jurisdiction, "groups": list(groups.items())}
        return render(request, "inspections/items_public.html", context)


def _may_draw(request: HttpRequest, row: InspectionDraw) -> bool:
    """Whether the visitor is staff who may draw this announced draw (the public page offers
    them the button; everyone else sees the announcement only)."""
    user = request.user
    return bool(
        user.is_authenticated and has_role(user, MANAGERS) and path_visible(user, row.jurisdiction_path)
    )


class DrawPerformView(RoleRequiredMixin, View):
    """Draw an announced draw: the seed is revealed, the result published and the drawn
    inspections registered; the public page shows it."""

    allowed_roles = MANAGERS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = get_object_or_404(scope_queryset(InspectionDraw.objects.all(), request.user), pk=pk)
        form = DrawPerformForm(request.POST)
        if form.is_valid():
            try:
                actions.perform_draw(draw_row=row, actor=acting_user(request), **form.cleaned_data)
            except ValidationError as invalid:
                messages.error(request, "；".join(invalid.messages))
            else:
                messages.success(request, _("已抽取，种子和结果已公示"))
        return redirect(row.get_absolute_url())


class FrequencyCapsView(RoleRequiredMixin, View):
    """The caps on inspections of one enterprise in the user's jurisdiction (default Chengdu's
    1 a day, 2 a week, 3 a month): over one, a registration is refused unless the office
    approves it."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        jurisdiction = _own_jurisdiction(request)
        caps = dict(checks.caps_for(jurisdiction.path))
        initial: dict[str, object] = {
            "per_day": caps["day"],
            "per_week": caps["week"],
            "per_month": caps["month"],
            "joint_window_days": checks.joint_window(jurisdiction.path),
        }
        settings = checks.settings_for(jurisdiction.path)
        if settings is not None and settings.quiet_rule:
            rule = settings.quiet_rule["rules"][0]["eligibility"]
            initial.update(quiet_eligibility=condition_json(rule), quiet_note=settings.quiet_note)
        return self.show(FrequencyCapsForm(initial=initial))

    def show(self, form: FrequencyCapsForm) -> HttpResponse:
        context = {"form": form, "jurisdiction": _own_jurisdiction(self.request)}
        return render(self.request, "inspections/caps.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = FrequencyCapsForm(request.POST)
        if form.is_valid():
            try:
                actions.set_frequency_caps(
                    jurisdiction=_own_jurisdiction(request), actor=acting_user(request), **form.cleaned_data
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已保存检查频次上限和无事不扰条件"))
                return redirect("inspections:caps")
        return self.show(form)


# --- Statistics and the lists' Excel files ---------------------------------------------------


def _statistics_year(request: HttpRequest) -> tuple[int, str]:
    """The year asked for (``?year=``), or this year with a message saying why the one asked
    for was not taken."""
    today = timezone.localdate()
    raw = request.GET.get("year", "").strip()
    if not raw:
        return today.year, ""
    if raw.isdigit() and STATISTICS_YEARS[0] <= int(raw) <= STATISTICS_YEARS[1]:
        return int(raw), ""
    problem = _("年度应为 %(first)s 至 %(last)s 之间的整数，已按 %(year)s 年统计") % {
        "first": STATISTICS_YEARS[0],
        "last": STATISTICS_YEARS[1],
        "year": today.year,
    }
    return today.year, problem


#: The years the statistics accept.
STATISTICS_YEARS = (2000, 2100)


class InspectionStatisticsView(RoleRequiredMixin, View):
    """Inspection statistics (执法检查统计) of a year for the office and the leaders (a
    department handler sees its own department): the headline, a table by department and one
    by month, the distribution over enterprises, each figure with its definition."""

    allowed_roles = REGISTRARS

    def get(self, request: HttpRequest) -> HttpResponse:
        year, problem = _statistics_year(request)
        result = queries.inspection_statistics(request.user, year)
        rows = queries.ROW_DEFINITIONS
        headline_definitions = queries.HEADLINE_DEFINITIONS
        context = {
            "year": year,
            "problem": problem,
            "result": result,
            "headline": [(rows[k], result.total.figures[k]) for k in rows]
            + [(headline_definitions[k], result.headline[k]) for k in headline_definitions],
            "table_definitions": list(rows.values()),
            "department_rows": [(row, list(row.figures.values())) for row in result.departments],
            "month_rows": [(row, list(row.figures.values())) for row in result.months],
            "total": list(result.total.figures.values()),
            "distribution_definition": queries.DISTRIBUTION_DEFINITION,
            "definitions": [*rows.values(), *headline_definitions.values(), queries.DISTRIBUTION_DEFINITION],
            "export_url": reverse("inspections:statistics_export") + f"?year={year}",
        }
        return render(request, "inspections/statistics.html", context)


def statistics_workbook(result: queries.InspectionStatistics) -> bytes:
    """The statistics as an .xlsx: by department (with the total), by month, the distribution
    and the headline, and the definitions; a rate is written as percent with its numerator and
    denominator in columns of their own."""
    workbook = Workbook(write_only=True)

    def number(value: Any) -> Any:
        return float(value) if value is not None else "—"

    titles = [_("统计对象")]
    for definition in queries.ROW_DEFINITIONS.values():
        name = str(definition.name)
        if definition.kind == "rate":
            titles += [f"{name}（%）", _("%(name)s分子") % {"name": name}, _("%(name)s分母") % {"name": name}]
        else:
            titles.append(name)

    def line(row: queries.StatisticsRow) -> list[Any]:
        values: list[Any] = [row.label]
        for key, definition in queries.ROW_DEFINITIONS.items():
            figure = row.figures[key]
            values.append(number(figure.value))
            if definition.kind == "rate":
                values += [figure.numerator, figure.denominator]
        return values

    for title, rows in ((_("按部门"), result.departments), (_("按月份"), result.months)):
        sheet = workbook.create_sheet(title=title)
        append_header(sheet, titles)
        for row in rows:
            sheet.append(line(row))
        sheet.append(line(result.total))
    sheet = workbook.create_sheet(title=_("企业受检次数分布"))
    append_header(sheet, [_("检查次数"), _("企业数")])
    for label, count in result.distribution:
        sheet.append([label, count])
    sheet = workbook.create_sheet(title=_("指标口径"))
    append_header(sheet, [_("指标"), _("数值"), _("口径"), _("目标"), _("统计区间")])
    span = f"{result.period.start.isoformat()} — {result.period.end.isoformat()}"
    figures = {**result.total.figures, **result.headline}
    for definition in (
        *queries.ROW_DEFINITIONS.values(),
        *queries.HEADLINE_DEFINITIONS.values(),
        queries.DISTRIBUTION_DEFINITION,
    ):
        figure = figures.get(definition.key)
        sheet.append(
            [
                str(definition.name),
                number(figure.value) if figure is not None else "",
                str(definition.definition),
                str(definition.target),
                span,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class InspectionStatisticsExportView(RoleRequiredMixin, View):
    """The statistics page of a year as an .xlsx file (recorded in the export log)."""

    allowed_roles = REGISTRARS

    def get(self, request: HttpRequest) -> HttpResponse:
        year, _problem = _statistics_year(request)
        result = queries.inspection_statistics(request.user, year)
        title = _("执法检查统计")
        # Counts only, no person in it: nothing to mask, but the file is written down.
        return xlsx_download(
            request,
            statistics_workbook(result),
            f"{title}-{year}-{timezone.localtime():%Y%m%d-%H%M}.xlsx",
            export="inspections.statistics",
            title=title,
            rows=len(result.departments) + len(result.months) + 2,
        )


class InspectorPoolExportView(RoleRequiredMixin, View):
    """The pools of inspectors (of one department with ``?department=``) as an Excel file; a
    phone number the user may not see in full is masked."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        department = request.GET.get("department", "")
        rows = queries.inspector_pool(request.user, int(department) if department.isdigit() else None)
        phones = PhonePolicy(request.user, Holder.STAFF)
        columns = [
            Column("name", _("人员")),
            Column("phone", _("手机号")),
            Column("department", _("执法部门")),
            Column("certificate_no", _("执法证号")),
            Column("qualified_until", _("执法资格有效期至")),
            Column("state", _("状态")),
        ]
        return export_xlsx(
            request,
            export="inspections.inspectors",
            title=_("执法人员库"),
            columns=columns,
            rows=(
                [
                    row.staff.name,
                    phones.show(row.staff.phone, path=row.staff.jurisdiction_path),
                    row.department.name,
                    row.certificate_no,
                    row.qualified_until,
                    _("在库") if row.is_active else _("已移出"),
                ]
                for row in rows
            ),
            masked={"phone"} if phones.masks_column else (),
        )


class QuietPeriodExportView(RoleRequiredMixin, View):
    """The quiet periods (those running today or later; ``?all=1`` every one) as an Excel file."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = queries.quiet_periods(request.user, current_only=request.GET.get("all") != "1")
        columns = [
            Column("enterprise", _("企业")),
            Column("starts_on", _("开始日期")),
            Column("ends_on", _("结束日期")),
            Column("reason", _("免检原因")),
        ]
        return export_xlsx(
            request,
            export="inspections.quiet_periods",
            title=_("免检企业"),
            columns=columns,
            rows=([row.enterprise.name, row.starts_on, row.ends_on, row.reason] for row in rows),
        )


class JointVisitExportView(RoleRequiredMixin, View):
    """The joint visits as an Excel file, one row per visit, the departments merged into it
    named in one cell."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        visits = list(queries.joint_visits(request.user))
        members = queries.inspections_of_joint_visits([v.pk for v in visits])
        columns = [
            Column("planned_on", _("计划日期")),
            Column("enterprise", _("企业")),
            Column("lead_department", _("牵头部门")),
            Column("count", _("合并的检查数")),
            Column("inspections", _("合并的检查")),
        ]
        return export_xlsx(
            request,
            export="inspections.joint_visits",
            title=_("联合检查"),
            columns=columns,
            rows=(
                [
                    visit.planned_on,
                    visit.enterprise.name,
                    visit.lead_department.name,
                    len(members.get(visit.pk, [])),
                    "；".join(f"{row.department.name}：{row.task}" for row in members.get(visit.pk, [])),
                ]
                for visit in visits
            ),
        )
