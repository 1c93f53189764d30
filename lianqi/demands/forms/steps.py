"""The form of any step of a demand's lifecycle, built from the step's `needs` in
`workflow.TABLE`: one class for every step, so a new step or a new need shows on the page
without a new form. Its `cleaned_data` is what `dispatch.perform` takes. And the form that
adds files to a demand."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianqi.core import workdays
from lianqi.core.forms import BoundedIntegerField, MultipleFileField, PickerSelect, StyledForm
from lianqi.core.uploads import allowed_suffixes, max_bytes

from .. import queries
from ..choices import DemandAction as A
from ..choices import Outcome, Satisfaction, Venue
from ..models import Demand
from ..workflow import TABLE

#: Steps that take the same form as another: the answers, not the button, decide whether a
#: rating closes the demand or sends it back (`dispatch.perform` picks either), so the page
#: offers one "rate" and one "return visit" form.
ALIASES: dict[A, A] = {A.RATE_REDO: A.RATE, A.RETURN_VISIT_REDO: A.RETURN_VISIT}

#: Steps that may also take co-handling departments besides the lead one.
WITH_CO_DEPARTMENTS = (A.ASSIGN, A.DECIDE_REASSIGN)

#: Outcomes a step may end with; the others are reached through their own step (withdraw,
#: merge) or make no sense there (a department does not reply "duplicate").
OUTCOMES: dict[A, tuple[Outcome, ...]] = {
    A.REPLY: (Outcome.SOLVED, Outcome.EXPLAINED, Outcome.NOT_REMIT),
    A.CLOSE: (Outcome.SOLVED, Outcome.EXPLAINED, Outcome.NOT_REMIT, Outcome.DUPLICATE),
    A.DECIDE_CLOSE: (Outcome.SOLVED, Outcome.EXPLAINED, Outcome.NOT_REMIT),
}

#: What the free text means for each step (the default is a plain note).
NOTE_LABELS: dict[A, Any] = {
    A.SOLVE_ON_SPOT: gettext_lazy("解决办法"),
    A.REPLY: gettext_lazy("答复内容"),
    A.CLOSE: gettext_lazy("办结说明"),
    A.DECIDE_REASSIGN: gettext_lazy("协调结论"),
    A.DECIDE_CLOSE: gettext_lazy("协调结论"),
    A.WITHDRAW: gettext_lazy("撤回原因"),
    A.MERGE: gettext_lazy("合并说明"),
    A.SUPERVISE: gettext_lazy("督办意见"),
    A.REMIND: gettext_lazy("催办说明"),
}
REASON_LABELS: dict[A, Any] = {
    A.SEND_BACK: gettext_lazy("退回理由"),
    A.REQUEST_EXTENSION: gettext_lazy("延期理由"),
}
WORKDAYS_LABELS: dict[A, Any] = {A.REQUEST_EXTENSION: gettext_lazy("申请延期（工作日）")}

YES_NO = (("1", gettext_lazy("是")), ("0", gettext_lazy("否")))


def form_action(action: str) -> A:
    """The step whose form serves `action` (a redo rating shares the rating's form)."""
    step = A(action)
    return ALIASES.get(step, step)


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes laid out as Tabler's `form-check` rows."""

    template_name = "demands/action_choice_list.html"
    option_template_name = "demands/action_choice_option.html"


class RadioList(forms.RadioSelect):
    """Radio buttons laid out as Tabler's `form-check` rows."""

    template_name = "demands/action_choice_list.html"
    option_template_name = "demands/action_choice_option.html"


class DemandChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"#{obj.pk} {obj.category} · {obj.get_state_display()} · {obj.description[:40]}"


def staff_label(obj: Any) -> str:
    """A cadre as the owner choice and its picker show them: name and department."""
    department = f"（{obj.department}）" if obj.department_id else ""
    return f"{obj.name}{department}"


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return staff_label(obj)


class DemandActionForm(StyledForm):
    """The input of one step, built from its `needs`; `expected_version` carries the version
    the user saw, so a colleague's change in between is refused instead of overwritten."""

    expected_version = BoundedIntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, demand: Demand, action: str, user: Any, **kwargs: Any) -> None:
        self.demand = demand
        self.user = user
        self.action = form_action(action)
        self._initial: dict[str, Any] = kwargs.setdefault("initial", {})
        self._initial.setdefault("expected_version", demand.version)
        self._extra: dict[str, forms.Field] = {}
        self.needs = self._needs()
        for need in self.needs:
            getattr(self, f"_add_{need}")()
        if "note" not in self._extra:
            # Every step may carry a remark for the record, required only where the table says.
            self._add_note(required=False)
        # The step's fields join the declared ones before the form is built, so the styling
        # and error marking of `StyledForm` apply to them as to any declared field.
        self.base_fields = {**type(self).base_fields, **self._extra}  # type: ignore[misc]
        super().__init__(*args, **kwargs)
        self.order_fields(
            [
                *("department", "co_departments", "workdays", "outcome", "into", "into_pk"),
                *("contacted", "solved", "satisfaction", "venue", "meeting", "meeting_on", "owner"),
                *("reason", "note"),
            ]
        )

    def _needs(self) -> tuple[str, ...]:
        # Not allowed in this state (the view answers 409 before showing such a form, but the
        # page after a stale write may still show it): any state's needs for the step will do.
        matching = [(s, t) for (s, step), t in TABLE.items() if step == self.action]
        for state, transition in matching:
            if state == self.demand.state:
                return transition.needs
        return matching[0][1].needs if matching else ()

    # --- One builder per need -----------------------------------------------------------------

    def _add_note(self, required: bool = True) -> None:
        self._extra["note"] = forms.CharField(
            label=NOTE_LABELS.get(self.action, gettext_lazy("说明")),
            required=required,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def _add_reason(self) -> None:
        self._extra["reason"] = forms.CharField(
            label=REASON_LABELS.get(self.action, gettext_lazy("理由")),
            max_length=200,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def _add_department(self) -> None:
        departments = queries.departments_for_demand(self.demand, self.user)
        self._extra["department"] = forms.ModelChoiceField(
            label=gettext_lazy("牵头部门"),
            queryset=departments,
            empty_label=gettext_lazy("请选择部门"),
        )
        if self.action in WITH_CO_DEPARTMENTS:
            self._extra["co_departments"] = forms.ModelMultipleChoiceField(
                label=gettext_lazy("协办部门"),
                queryset=departments,
                required=False,
                widget=CheckboxList,
                help_text=gettext_lazy("可不选；与牵头部门相同的会被忽略"),
            )
        if self.action == A.ASSIGN:
            department, limit = queries.default_routing(self.demand)
            if department is not None:
                self._initial.setdefault("department", department.pk)
            self._initial.setdefault("workdays", limit)
        elif self.action == A.REROUTE and self.demand.lead_department_id:
            self._initial.setdefault("department", self.demand.lead_department_id)

    def _add_workdays(self) -> None:
        message = _("时限须为 1 至 %(max)s 个工作日") % {"max": workdays.MAX_WORKDAYS}
        self._extra["workdays"] = BoundedIntegerField(
            label=WORKDAYS_LABELS.get(self.action, gettext_lazy("答复时限（工作日）")),
            min_value=1,
            max_value=workdays.MAX_WORKDAYS,
            error_messages={"min_value": message, "max_value": message, "invalid": message},
            help_text=gettext_lazy("按工作日计，法定节假日不计，调休上班日计入"),
        )

    def _add_outcome(self) -> None:
        allowed = OUTCOMES.get(self.action, tuple(Outcome))
        self._extra["outcome"] = forms.ChoiceField(
            label=gettext_lazy("办理结果"),
            choices=[("", gettext_lazy("请选择")), *((o.value, o.label) for o in allowed)],
            error_messages={"required": gettext_lazy("请选择办理结果")},
        )

    def _yes_no(self, name: str, label: Any) -> None:
        self._extra[name] = forms.TypedChoiceField(
            label=label,
            choices=YES_NO,
            coerce=lambda value: value == "1",
            widget=RadioList,
            error_messages={"required": gettext_lazy("请选择")},
        )

    def _add_contacted(self) -> None:
        self._yes_no("contacted", gettext_lazy("办理部门是否与企业联系"))

    def _add_solved(self) -> None:
        self._yes_no("solved", gettext_lazy("诉求是否解决"))

    def _add_satisfaction(self) -> None:
        self._extra["satisfaction"] = forms.ChoiceField(
            label=gettext_lazy("满意度"),
            choices=Satisfaction.choices,
            widget=RadioList,
            help_text=gettext_lazy("选择“不满意”或“未解决”时，诉求退回牵头部门重办"),
            error_messages={"required": gettext_lazy("请选择满意度")},
        )

    def _add_venue(self) -> None:
        self._extra["venue"] = forms.ChoiceField(
            label=gettext_lazy("提级协调方式"),
            choices=[("", gettext_lazy("请选择")), *Venue.choices],
            help_text=gettext_lazy("选择专家专项协商的诉求将标记为遗留问题"),
        )

    def _add_meeting(self) -> None:
        self._extra["meeting"] = forms.CharField(label=gettext_lazy("会议名称"), max_length=100)

    def _add_meeting_on(self) -> None:
        self._extra["meeting_on"] = forms.DateField(
            label=gettext_lazy("会议日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
        )

    def _add_owner(self) -> None:
        self._extra["owner"] = StaffChoiceField(
            label=gettext_lazy("协调责任人"),
            queryset=queries.owners_for_demand(self.demand, self.user),
            empty_label=gettext_lazy("请选择责任人"),
            # Every active cadre of the park and the levels above: a searchable picker.
            widget=PickerSelect("demands:pick_owner", query=f"demand={self.demand.pk}"),
        )

    def _add_into(self) -> None:
        candidates = [
            d
            for d, _score in queries.likely_duplicates(
                enterprise_id=self.demand.enterprise_id,
                category_id=self.demand.category_id,
                description=self.demand.description,
                exclude_pk=self.demand.pk,
            )
        ]
        self._extra["into"] = DemandChoiceField(
            label=gettext_lazy("保留的诉求（疑似重复）"),
            queryset=Demand.objects.filter(pk__in=[d.pk for d in candidates]).select_related("category"),
            required=False,
            empty_label=gettext_lazy("请选择或在下方填写诉求编号"),
        )
        self._extra["into_pk"] = BoundedIntegerField(
            label=gettext_lazy("或填写诉求编号"),
            required=False,
            min_value=1,
            help_text=gettext_lazy("同一企业仍在办理的其他诉求的编号"),
        )

    # --- Validation ---------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "into" in self.fields:
            data["into"] = self._resolve_into(data)
        return data

    def _resolve_into(self, data: dict[str, Any]) -> Demand | None:
        chosen, number = data.get("into"), data.get("into_pk")
        if chosen is not None and number is not None and number != chosen.pk:
            self.add_error("into_pk", _("请只选择一条保留的诉求"))
            return None
        if chosen is not None:
            return chosen
        if number is None:
            if "into_pk" not in self.errors:
                self.add_error("into", _("请选择保留的诉求，或填写其编号"))
            return None
        # Looked up among what the user may see, for the same enterprise, still open.
        found = queries.merge_target(self.user, self.demand, number)
        if found is None:
            self.add_error(
                "into_pk", _("未找到本企业仍在办理、编号为 %(number)s 的其他诉求") % {"number": number}
            )
        return found

    def step_data(self) -> dict[str, Any]:
        """The cleaned input under the names `dispatch.perform` takes."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("expected_version", "into_pk")}
        if "co_departments" in data:
            data["co_departments"] = list(data["co_departments"])
        return data


class AttachmentForm(StyledForm):
    """Upload files to a demand; type and size are checked by `actions.add_attachments`, the
    help text names the rule so that nobody has to guess it."""

    attachments = MultipleFileField(label=gettext_lazy("上传附件"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attachments"]
        field.help_text = _("可多选。接受的类型：%(types)s；单个文件不超过 %(limit)s MB") % {
            "types": allowed_suffixes(),
            "limit": max_bytes() // (1024 * 1024),
        }
        field.widget.attrs["accept"] = ",".join(f".{s}" for s in allowed_suffixes().split("、"))
        field.error_messages["required"] = _("请选择要上传的文件")
