"""The register's named figures (`lianqi.core.registry.Measure`)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.core.registry import Measure, Period

from .models import Enterprise


def _end_of(period: Period) -> dt.datetime:
    # The period's days are days in Shanghai (the project's time zone).
    return timezone.make_aware(dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min))


def registered(jurisdiction_path: str, period: Period) -> int:
    """Enterprises on the register under the jurisdiction at the period's end, whatever their
    status."""
    return Enterprise.objects.filter(
        jurisdiction_path__startswith=jurisdiction_path, created_at__lt=_end_of(period)
    ).count()


MEASURES = (
    Measure(
        "enterprises.registered",
        _("登记企业"),
        _("期末在册的市场主体数（含已注销、迁出），按所属辖区及下级辖区计。"),
        _("家"),
        registered,
    ),
)
