"""The ledger's forms: one ledger step (built from what the step needs), an online
application, and the ledger's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import BoundedIntegerField, MultipleFileField, StyledForm
from lianqi.core.uploads import allowed_suffixes

from ..choices import FulfilmentAction, FulfilmentState
from ..money import FEN, MAX_DIGITS, MAX_YUAN


#: The input each ledger step needs, as form fields (the table's `needs` name them).
def _step_fields() -> dict[str, forms.Field]:
    return {
        "text": forms.CharField(
            label=_("申报说明"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
        ),
        "name": forms.CharField(label=_("申报联系人"), max_length=40, required=False),
        "phone": forms.CharField(label=_("联系电话"), max_length=20, required=False),
        "note": forms.CharField(
            label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
        ),
        "amount": forms.DecimalField(
            label=_("金额（元）"),
            help_text=_("以元为单位，精确到分，如 48602194.00"),
            max_digits=MAX_DIGITS,
            decimal_places=2,
            min_value=FEN,
            max_value=MAX_YUAN,
        ),
        "disbursed_on": forms.DateField(
            label=_("兑付日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
        ),
        "voucher": forms.CharField(label=_("凭证号"), max_length=60),
        "reason": forms.CharField(label=_("不予通过理由"), max_length=200),
        "materials": MultipleFileField(
            label=_("申报材料"), help_text=_("可多选；支持：%(types)s") % {"types": allowed_suffixes()}
        ),
    }


class FulfilmentStepForm(StyledForm):
    """The form of one ledger step, built from the step's needs (plus contact fields for an
    application, and its materials where the page takes files), so each step's form is
    written once."""

    def __init__(
        self,
        *args: Any,
        needs: tuple[str, ...],
        initial_amount: Any = None,
        versioned: bool = True,
        materials: bool = False,
        action: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if versioned:
            # The version the page showed: a step based on a stale page is refused.
            self.fields["expected_version"] = BoundedIntegerField(widget=forms.HiddenInput)
        available = _step_fields()
        names = (
            list(needs)
            + (["name", "phone"] if "text" in needs else [])
            + (["materials"] if materials else [])
        )
        for name in names:
            self.fields[name] = available[name]
        if "amount" in self.fields and initial_amount is not None:
            self.fields["amount"].initial = initial_amount
        if action in (FulfilmentAction.REVISE, FulfilmentAction.REVOKE):
            # The same input as a refusal's reason, read as why the amount or entry changes.
            self.fields["reason"].label = _("修订或撤销的原因")
        # Re-apply the Tabler classes to the fields added after the mixin ran.
        for field in self.fields.values():
            widget = field.widget
            if "class" not in widget.attrs and not isinstance(widget, forms.HiddenInput):
                widget.attrs["class"] = "form-select" if isinstance(widget, forms.Select) else "form-control"


class LedgerFilterForm(StyledForm):
    """Ledger filters: enterprise words, state, policy, period, overdue, 免申即享."""

    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("企业或政策名称")})
    )
    state = forms.ChoiceField(label=_("状态"), required=False)
    period = BoundedIntegerField(label=_("兑现年度"), required=False, min_value=2000, max_value=2100)
    overdue = forms.BooleanField(label=_("仅看超期"), required=False)
    no_application = forms.BooleanField(label=_("仅看免申即享"), required=False)
    #: One policy's entries (a link from the policy's page); kept through the other filters.
    policy = BoundedIntegerField(label=_("政策"), required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("全部状态")), *FulfilmentState.choices]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            key: data.get(key)
            for key in ("q", "state", "period", "overdue", "no_application", "policy")
            if data.get(key)
        }
