"""Validators for organisation fields, with messages a clerk understands."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
JURISDICTION_CODE_RE = re.compile(r"^[0-9A-Za-z]{2,24}$")
INDUSTRY_PREFIX_RE = re.compile(r"^([A-T]|\d{2,4})$")


def normalise_mobile(value: str) -> str:
    """Drop the spaces, dashes and +86 people type around a mobile number."""
    digits = re.sub(r"[\s\-()（）]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def validate_mobile(value: str) -> None:
    """A mainland mobile number: 11 digits starting 13–19."""
    if not MOBILE_RE.match(normalise_mobile(value)):
        raise ValidationError(
            _("请输入11位中国大陆手机号码（以13至19开头），例如 13812345678"), code="mobile"
        )


def validate_jurisdiction_code(value: str) -> None:
    # A slash would break the path that every scoped row copies, so codes are letters and digits.
    if not JURISDICTION_CODE_RE.match(value or ""):
        raise ValidationError(_("行政区划代码只能由2至24位数字或字母组成"), code="jurisdiction_code")


def parse_industry_prefixes(value: str) -> list[str]:
    """Split 'C, 38，39' into ['C', '38', '39'] (full-width commas too)."""
    parts = re.split(r"[,，、\s]+", value or "")
    return [p.strip().upper() for p in parts if p.strip()]


def validate_industry_prefixes(value: str) -> None:
    bad = [p for p in parse_industry_prefixes(value) if not INDUSTRY_PREFIX_RE.match(p)]
    if bad:
        raise ValidationError(
            _("行业代码前缀“%(bad)s”无效：应为门类字母（A–T）或2至4位行业代码数字") % {"bad": "、".join(bad)},
            code="industry_prefix",
        )
