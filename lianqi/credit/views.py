"""The pages of the credit work: the lists (commitments, honours, dishonesty records, repairs,
collective interviews, conveniences), one record with its repair steps, the scoring rule page
with every enterprise's class and its reasons, the Excel import, what the office records from
the enterprise's file and its section of that file, and the enterprise's own credit under its
code. Thin: objects come through the `access_*` loaders, reads from `queries`, and every write
is an action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import has_role
from lianqi.core.views import RoleRequiredMixin, export_xlsx, paginate
from lianqi.core.views.steps import take_step
from lianqi.enterprises import permissions as enterprises_permissions
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.views.code import CodeTokenMixin

from . import actions, queries, scoring
from .choices import CreditClass, RepairAction
from .forms import (
    CodeRepairForm,
    CommitmentForm,
    ConvenienceForm,
    HonourForm,
    ImportForm,
    InterviewForm,
    RecordForm,
    RuleForm,
    StepForm,
    XindaiForm,
    step_form,
)
from .models import Commitment, Convenience, DishonestyRecord, Honour, Interview, XindaiRegistration
from .permissions import (
    MANAGERS,
    PUBLISHERS,
    READERS,
    access_convenience,
    access_enterprise,
    access_record,
    visible_rows,
)
from .workflow import workflow

# --- Lists -----------------------------------------------------------------------------------


def _table(
    request: HttpRequest,
    *,
    title: Any,
    headers: list[Any],
    rows: QuerySet[Any],
    cells: Callable[[Any], list[Any]],
    link: Callable[[Any], str] | None = None,
    actions_: list[tuple[Any, str]] | None = None,
    testid: str = "list",
    export: str = "",
) -> HttpResponse:
    """A list page: the rows the user may see, paged, each as its cells (the first links to
    the row's page when `link` is given), with buttons above for what the user may add and,
    when `export` names the list in the export log, one for the whole list as an Excel file
    (``?format=xlsx``: the same cells, every row, no page). No credit list shows a person's
    phone, so no column is masked."""
    if export and request.GET.get("format") == "xlsx":
        return export_xlsx(
            request,
            export=export,
            title=str(title),
            columns=[Column(f"c{n}", str(header)) for n, header in enumerate(headers)],
            rows=(cells(row) for row in rows),
        )
    if export:
        actions_ = [*(actions_ or []), (_("导出 Excel"), "?format=xlsx")]
    context = paginate(request, rows)
    context.update(
        {
            "title": title,
            "headers": headers,
            "lines": [(cells(row), link(row) if link else "") for row in context["object_list"]],
            "buttons": actions_ or [],
            "testid": testid,
        }
    )
    return render(request, "credit/table.html", context)


def _enterprise_link(row: Any) -> str:
    return reverse("enterprises:detail", args=[row.enterprise_id])


class CommitmentListView(RoleRequiredMixin, View):
    """Every credit commitment the user may see, newest first."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return _table(
            request,
            title=_("信用承诺书"),
            headers=[_("企业"), _("承诺书版本"), _("签署日期"), _("签署人"), _("扫描件")],
            rows=visible_rows(Commitment, request.user).select_related("enterprise"),
            cells=lambda r: [
                r.enterprise.name,
                r.text_version,
                r.signed_on,
                r.signed_by,
                _("有") if r.scan else "—",
            ],
            link=_enterprise_link,
            export="credit.commitments",
        )


class HonourListView(RoleRequiredMixin, View):
    """Every credit honour the user may see, by year."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return _table(
            request,
            title=_("诚信荣誉"),
            headers=[_("企业"), _("荣誉称号"), _("年度"), _("授予单位")],
            rows=visible_rows(Honour, request.user).select_related("enterprise"),
            cells=lambda r: [r.enterprise.name, r.title, r.year, r.awarded_by or "—"],
            link=_enterprise_link,
            export="credit.honours",
        )


def _record_cells(row: DishonestyRecord) -> list[Any]:
    return [
        row.enterprise.name,
        row.get_kind_display(),
        row.authority,
        row.decided_on,
        row.get_state_display(),
    ]


RECORD_HEADERS = [
    gettext_lazy("企业"),
    gettext_lazy("记录类型"),
    gettext_lazy("认定机关"),
    gettext_lazy("认定日期"),
    gettext_lazy("修复状态"),
]


class RecordListView(RoleRequiredMixin, View):
    """Every dishonesty record the user may see, newest decision first."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return _table(
            request,
            title=_("失信记录"),
            headers=RECORD_HEADERS,
            rows=queries.records(request.user),
            cells=_record_cells,
            link=lambda r: r.get_absolute_url(),
            actions_=[(_("从 Excel 导入"), reverse("credit:import"))],
            export="credit.records",
        )


class RepairListView(RoleRequiredMixin, View):
    """Records whose repair was applied for, with where each stands."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return _table(
            request,
            title=_("信用修复"),
            headers=[*RECORD_HEADERS, _("申请日期"), _("修复日期")],
            rows=queries.repairs(request.user),
            cells=lambda r: [*_record_cells(r), r.applied_on or "—", r.repaired_on or "—"],
            link=lambda r: r.get_absolute_url(),
            testid="repairs",
            export="credit.repairs",
        )


class InterviewListView(RoleRequiredMixin, View):
    """The collective interviews the user may see."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = visible_rows(Interview, request.user).prefetch_related("enterprises")
        return _table(
            request,
            title=_("失信企业集体约谈"),
            headers=[_("约谈日期"), _("约谈主题"), _("地点"), _("约谈企业")],
            rows=rows,
            cells=lambda r: [
                r.held_on,
                r.topic,
                r.place or "—",
                "、".join(e.name for e in r.enterprises.all()),
            ],
            actions_=[(_("登记约谈"), reverse("credit:interview_create"))],
            export="credit.interviews",
        )


class ConvenienceListView(RoleRequiredMixin, View):
    """The credit-based conveniences (信易+) of the user's jurisdiction and below, withdrawn
    ones marked; a publisher opens one to edit or withdraw it."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        publisher = has_role(request.user, PUBLISHERS)
        return _table(
            request,
            title=_("信易+便利"),
            headers=[_("名称"), _("便利类型"), _("便利内容"), _("信用条件"), _("提供部门"), _("状态")],
            rows=queries.conveniences_visible(request.user),
            cells=lambda r: [
                r.name,
                r.get_benefit_display(),
                r.description,
                _condition(r),
                r.department.name if r.department else "—",
                _("生效中") if r.active else _("已撤回"),
            ],
            link=(lambda r: reverse("credit:convenience_edit", args=[r.pk])) if publisher else None,
            actions_=[(_("新增便利"), reverse("credit:convenience_create"))] if publisher else [],
            export="credit.conveniences",
        )


def _condition(row: Any) -> str:
    text = _("信用等级%(cls)s级及以上") % {"cls": row.lowest_class}
    if row.no_record_in_force:
        text += _("，且无未修复失信记录")
    return text


# --- One record and its repair ---------------------------------------------------------------


def _detail(request: HttpRequest, row: DishonestyRecord, failed: StepForm | None = None) -> HttpResponse:
    """One record's page: its fields, its history and a form for each repair step the user may
    take (the one that failed keeps what was typed, with its errors)."""
    steps = []
    for action in workflow.allowed_actions(row, acting_user(request)):
        form = failed if failed is not None and failed.prefix == action else None
        steps.append(
            {
                "action": action,
                "label": action.label,
                "form": form or step_form(action, version=row.version),
                "url": reverse("credit:step", args=[row.pk, action]),
            }
        )
    context = {
        "row": row,
        "events": queries.history(row),
        "steps": steps,
        "perms_file": has_role(request.user, MANAGERS),
    }
    return render(request, "credit/detail.html", context)


class RecordDetailView(RoleRequiredMixin, View):
    """One dishonesty record: its fields, its history and the repair steps the user may take."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _detail(request, access_record(request.user, pk))


class RecordStepView(RoleRequiredMixin, View):
    """Take one repair step with the version the page showed. A refused or stale step is told
    above the page; bad input is shown next to its field with what was typed."""

    allowed_roles = READERS

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        row = access_record(request.user, pk)
        take = actions.STEPS.get(action)
        if take is None:
            raise Http404
        return take_step(
            request,
            row=row,
            subject="record",
            take=take,
            form=step_form(action, request.POST),
            label=RepairAction(action).label,
            page=lambda failed: _detail(request, row, failed=failed),
        )


# --- What the office records ------------------------------------------------------------------


def _form_page(request: HttpRequest, title: Any, form: forms.Form, **extra: Any) -> HttpResponse:
    return render(request, "credit/form.html", {"title": title, "form": form, **extra})


class _EnterpriseFormView(RoleRequiredMixin, View):
    """Record something of the enterprise whose file it was opened from; back to the file."""

    allowed_roles = MANAGERS
    title: Any = ""
    form_class: type[forms.Form] = forms.Form

    def save(self, request: HttpRequest, enterprise: Enterprise, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        return _form_page(request, self.title, self.form_class(), enterprise=enterprise)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        form = self.form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                self.save(request, enterprise, form.cleaned_data)
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已登记：%(what)s") % {"what": self.title})
                return redirect(reverse("enterprises:detail", args=[enterprise.pk]) + "#section-credit")
        return _form_page(request, self.title, form, enterprise=enterprise)


class CommitmentCreateView(_EnterpriseFormView):
    title = gettext_lazy("信用承诺书")
    form_class = CommitmentForm

    def save(self, request: HttpRequest, enterprise: Enterprise, data: dict[str, Any]) -> Any:
        return actions.sign_commitment(enterprise=enterprise, actor=acting_user(request), **data)


class HonourCreateView(_EnterpriseFormView):
    title = gettext_lazy("诚信荣誉")
    form_class = HonourForm

    def save(self, request: HttpRequest, enterprise: Enterprise, data: dict[str, Any]) -> Any:
        return actions.award_honour(enterprise=enterprise, actor=acting_user(request), **data)


class RecordCreateView(_EnterpriseFormView):
    title = gettext_lazy("失信记录")
    form_class = RecordForm

    def save(self, request: HttpRequest, enterprise: Enterprise, data: dict[str, Any]) -> Any:
        return actions.record_dishonesty(enterprise=enterprise, actor=acting_user(request), **data)


class XindaiCreateView(_EnterpriseFormView):
    title = gettext_lazy("湘信贷注册")
    form_class = XindaiForm

    def save(self, request: HttpRequest, enterprise: Enterprise, data: dict[str, Any]) -> Any:
        return actions.register_xindai(enterprise=enterprise, actor=acting_user(request), **data)


class RecordImportView(RoleRequiredMixin, View):
    """Import dishonesty records from an Excel workbook: every bad row is listed and nothing
    is saved until the whole file is right."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return _form_page(request, _("导入失信记录"), ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows = actions.read_workbook(form.cleaned_data["file"].read())
                made = actions.import_records(rows=rows, actor=acting_user(request))
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已导入 %(count)s 条失信记录") % {"count": len(made)})
                return redirect("credit:records")
        return _form_page(request, _("导入失信记录"), form)


class InterviewCreateView(RoleRequiredMixin, View):
    """Record a collective interview in the user's jurisdiction."""

    allowed_roles = MANAGERS

    def _form(self, request: HttpRequest, data: Any = None) -> InterviewForm:
        return InterviewForm(data, enterprises=enterprises_permissions.visible(request.user))

    def get(self, request: HttpRequest) -> HttpResponse:
        return _form_page(request, _("登记集体约谈"), self._form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, request.POST)
        jurisdiction = getattr(request.user, "jurisdiction", None)
        if form.is_valid() and jurisdiction is not None:
            try:
                actions.hold_interview(
                    jurisdiction=jurisdiction, actor=acting_user(request), **form.cleaned_data
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已登记：%(what)s") % {"what": form.cleaned_data["topic"]})
                return redirect("credit:interviews")
        return _form_page(request, _("登记集体约谈"), form)


def _convenience_form(request: HttpRequest, data: Any = None, **kwargs: Any) -> ConvenienceForm:
    return ConvenienceForm(data, departments=queries.convenience_departments(request.user), **kwargs)


class ConvenienceCreateView(RoleRequiredMixin, View):
    """Offer a credit-based convenience in the user's jurisdiction."""

    allowed_roles = PUBLISHERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return _form_page(request, _("新增信易+便利"), _convenience_form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = _convenience_form(request, request.POST)
        jurisdiction = getattr(request.user, "jurisdiction", None)
        if form.is_valid() and jurisdiction is not None:
            try:
                actions.offer_convenience(
                    jurisdiction=jurisdiction, actor=acting_user(request), **form.cleaned_data
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                return redirect("credit:conveniences")
        return _form_page(request, _("新增信易+便利"), form)


class ConvenienceEditView(RoleRequiredMixin, View):
    """Edit a convenience of the user's jurisdiction or below (what it gives, which classes,
    the department), or withdraw it; bad input is refused next to its field."""

    allowed_roles = PUBLISHERS

    def show(self, request: HttpRequest, row: Convenience, form: ConvenienceForm) -> HttpResponse:
        withdraw = reverse("credit:convenience_withdraw", args=[row.pk]) if row.active else ""
        return render(
            request,
            "credit/convenience_form.html",
            {"title": _("修改信易+便利"), "form": form, "row": row, "withdraw_url": withdraw},
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_convenience(request.user, pk)
        initial = {name: getattr(row, name) for name in ConvenienceForm.base_fields}
        return self.show(request, row, _convenience_form(request, initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_convenience(request.user, pk)
        form = _convenience_form(request, request.POST)
        if form.is_valid():
            try:
                actions.edit_convenience(convenience=row, actor=acting_user(request), **form.cleaned_data)
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已保存：%(what)s") % {"what": form.cleaned_data["name"]})
                return redirect("credit:conveniences")
        return self.show(request, row, form)


class ConvenienceWithdrawView(RoleRequiredMixin, View):
    """Withdraw a convenience: offered to no one from now on, still listed as withdrawn."""

    allowed_roles = PUBLISHERS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = access_convenience(request.user, pk)
        try:
            actions.withdraw_convenience(convenience=row, actor=acting_user(request))
        except ValidationError as invalid:
            messages.error(request, "；".join(invalid.messages))
        else:
            messages.success(request, _("已撤回：%(what)s") % {"what": row.name})
        return redirect("credit:conveniences")


# --- The scoring rule and every enterprise's class ------------------------------------------


def _user_path(user: Any) -> str:
    jurisdiction = getattr(user, "jurisdiction", None)
    return jurisdiction.path if jurisdiction is not None else ""


class ClassListView(RoleRequiredMixin, View):
    """The published scoring rule over the user's jurisdiction, and every enterprise the user
    may see with its class and the reasons for it (filtered by class)."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        path = _user_path(request.user)
        published = queries.published_rule(path) if path else None
        rule = queries.rule_values(published) if published else scoring.DEFAULT_RULE
        enterprises = enterprises_permissions.visible(request.user).order_by("name", "pk")
        found = queries.grades(enterprises)
        chosen = request.GET.get("class", "")
        counts = {c: sum(1 for g in found.values() if g.credit_class == c) for c in scoring.CLASSES}
        wanted = [pk for pk, grade in found.items() if not chosen or grade.credit_class == chosen]
        if request.GET.get("format") == "xlsx":
            return _export_classes(request, enterprises.filter(pk__in=wanted), found)
        context = paginate(request, enterprises.filter(pk__in=wanted))
        context.update(
            {
                "published": published,
                "rule": rule,
                "rule_rows": _rule_rows(rule),
                "lines": [(e, found[e.pk]) for e in context["object_list"]],
                "counts": [(c, CreditClass(c).label, counts[c]) for c in scoring.CLASSES],
                "chosen": chosen,
                "export_query": urlencode({"class": chosen, "format": "xlsx"}),
                "may_publish": bool(path) and has_role(request.user, PUBLISHERS),
            }
        )
        return render(request, "credit/classes.html", context)


def _reasons_text(grade: scoring.Grade) -> str:
    """The reasons of a class in words, as the page lists them (the base score left out)."""
    parts = [
        f"{_(reason.label)}{f'×{reason.count}' if reason.count > 1 else ''} {reason.points:+d}"
        for reason in grade.reasons[1:]
    ]
    text = "；".join(parts)
    return f"{text} · {_('一票否决')}" if grade.vetoed else text


def _export_classes(
    request: HttpRequest, enterprises: QuerySet[Enterprise], found: dict[int, scoring.Grade]
) -> HttpResponse:
    """The scoring results as shown (the class filter kept), every row, as an Excel file."""
    columns = [
        Column("enterprise", _("企业")),
        Column("credit_code", _("统一社会信用代码")),
        Column("class", _("等级")),
        Column("score", _("得分")),
        Column("reasons", _("依据")),
    ]
    rows = (
        [e.name, e.credit_code, found[e.pk].credit_class, found[e.pk].score, _reasons_text(found[e.pk])]
        for e in enterprises
    )
    return export_xlsx(request, export="credit.classes", title=_("信用评价"), columns=columns, rows=rows)


def _rule_rows(rule: scoring.Rule) -> list[tuple[Any, Any]]:
    """The rule in words, one line per field, in the form's order and labels."""
    form = RuleForm()
    return [(form.fields[name].label, getattr(rule, name)) for name in form.fields if name != "note"]


class RuleVersionsView(RoleRequiredMixin, View):
    """Every version of the scoring rule over the user's jurisdiction: when each was in force,
    who published it and why, and the classes it gives the user's enterprises (on today's
    facts, so the versions compare); a publisher publishes the next version from here."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        path = _user_path(request.user)
        enterprises = enterprises_permissions.visible(request.user)
        versions = queries.rule_versions(path, enterprises) if path else []
        context = {
            "versions": versions,
            "labels": {c: CreditClass(c).label for c in scoring.CLASSES},
            "may_publish": bool(path) and has_role(request.user, PUBLISHERS),
        }
        return render(request, "credit/rule_versions.html", context)


class RuleEditView(RoleRequiredMixin, View):
    """Publish a new version of the scoring rule of the user's jurisdiction, from the one in
    force."""

    allowed_roles = PUBLISHERS

    def get(self, request: HttpRequest) -> HttpResponse:
        rule = queries.rule_for(_user_path(request.user))
        initial = {name: getattr(rule, name) for name in actions.RULE_NAMES}
        return _form_page(request, _("修订信用评分规则"), RuleForm(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RuleForm(request.POST)
        jurisdiction = getattr(request.user, "jurisdiction", None)
        if jurisdiction is None:
            raise Http404
        if form.is_valid():
            data = dict(form.cleaned_data)
            note = data.pop("note")
            try:
                row = actions.publish_rule(
                    jurisdiction=jurisdiction, values=data, note=note, actor=acting_user(request)
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已发布评分规则第 %(version)s 版") % {"version": row.version})
                return redirect("credit:classes")
        return _form_page(request, _("修订信用评分规则"), form)


# --- The enterprise's file and its code -------------------------------------------------------


def _credit_context(enterprise: Enterprise) -> dict[str, Any]:
    grade = queries.grade_of(enterprise)
    return {
        "enterprise": enterprise,
        "grade": grade,
        "class_label": CreditClass(grade.credit_class).label,
        "offered": queries.conveniences_for(enterprise, grade),
    }


class EnterpriseSectionView(RoleRequiredMixin, View):
    """The credit section of the enterprise's file (一企一档): its class with the reasons, its
    commitments, honours, records, 湘信贷 registration and interviews, the conveniences it
    enjoys, and links to record more. An HTML fragment the file page loads by itself."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        context = _credit_context(enterprise)
        context.update(
            {
                "commitments": Commitment.objects.filter(enterprise=enterprise),
                "honours": Honour.objects.filter(enterprise=enterprise),
                "records": DishonestyRecord.objects.filter(enterprise=enterprise),
                "xindai": XindaiRegistration.objects.filter(enterprise=enterprise).first(),
                "interviews": Interview.objects.filter(enterprises=enterprise),
                "links": [
                    (_("登记承诺书"), reverse("credit:commitment_create", args=[pk])),
                    (_("登记荣誉"), reverse("credit:honour_create", args=[pk])),
                    (_("录入失信记录"), reverse("credit:record_create", args=[pk])),
                    (_("登记湘信贷注册"), reverse("credit:xindai_create", args=[pk])),
                ],
            }
        )
        return render(request, "credit/enterprise_section.html", context)


class CreditCodeView(CodeTokenMixin):
    """`/c/<token>/credit/`: the enterprise's own credit class, why, and the conveniences it
    enjoys. Its own data: whoever holds the code confirms one of its phones first."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        context: dict[str, Any] = {**self.base_context(), **_credit_context(self.enterprise)}
        context["records"] = queries.open_for_enterprise(self.enterprise)
        context["may_apply"] = queries.repairable_for(self.enterprise).exists()
        return render(request, "credit/code_page.html", context)


class CreditRepairCodeView(CodeTokenMixin):
    """`/c/<token>/credit/repair/`: the enterprise applies for the repair of one of its own
    records in force, saying what it corrected; the record enters the repair workflow and the
    service office is told. Only the enterprise's registered contacts (or its account) may, as
    for the rest of its credit; a wrong or retired code answers the plain page naming no one."""

    def _form(self, data: Any = None) -> CodeRepairForm:
        return CodeRepairForm(data, records=queries.repairable_for(self.enterprise))

    def show(self, form: CodeRepairForm) -> HttpResponse:
        return render(self.request, "credit/code_repair.html", {**self.base_context(), "form": form})

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self.show(self._form())

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        form = self._form(request.POST)
        viewer = self.contact()
        if viewer is None:  # `CodeAccess.MEMBER` let no one else in
            raise Http404
        if form.is_valid():
            try:
                actions.apply_repair_by_code(
                    record=form.cleaned_data["record"],
                    enterprise=self.enterprise,
                    correction=form.cleaned_data["correction"],
                    contact_name=viewer.name,
                    contact_phone=viewer.phone,
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("修复申请已提交，园区营商办将审核您的整改材料"))
                return redirect("codes:credit", token=token)
        return self.show(form)
