"""The form of the enterprise's code (营商码) pages that every app's code pages share:
confirming a phone with a one-time code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledForm
from lianqi.org.forms import MobileField

from .. import otp


class PhoneCodeForm(StyledForm):
    """Name and mobile of the person using the code, and the code sent to that mobile. The same
    form serves both steps: asking for a code (name and phone) and entering it."""

    name = forms.CharField(label=_("联系人姓名"), max_length=40)
    phone = MobileField(label=_("手机号"))
    code = forms.CharField(label=_("短信验证码"), max_length=otp.CODE_DIGITS, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"\d*"}
        )
