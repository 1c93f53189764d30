"""The monthly report (项目月报) built in the background: a manager asks for a month's report as
Word or PDF and comes back for the file, watching its progress. The task runs `run_report_build`,
which is safe to run twice: a build already done is left as it is."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor

from ..choices import REPORT_STEPS, ReportBuildStatus, ReportFormat
from ..documents import monthly_report_docx, monthly_report_for, monthly_report_pdf
from ..models import ReportBuild

logger = logging.getLogger(__name__)


def request_report_build(*, actor: Actor, year: int, month: int, format: str) -> ReportBuild:
    """Queue the month's report of the actor's portfolio as Word or PDF; the task builds it
    once the request is committed."""
    if format not in ReportFormat.values:
        raise ValidationError({"format": _("请选择文件格式")})
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("请选择月份")})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("请填写正确的年份")})
    build = ReportBuild.objects.create(owner=actor, year=year, month=month, format=format)
    transaction.on_commit(lambda: _enqueue(build.pk))
    return build


def _enqueue(build_id: int) -> None:
    from ..tasks import build_monthly_report  # the task module imports this one

    build_monthly_report.enqueue(build_id)


def _step(build_id: int, done: int) -> None:
    ReportBuild.objects.filter(pk=build_id).update(steps_done=done)


def run_report_build(*, build_id: int, today: dt.date | None = None) -> None:
    """Build a queued report: read the figures the owner may see, lay out the document, store
    the file, counting the steps as it goes. A build already done, or gone, is left alone; one
    that fails keeps the reason and can be asked for again."""
    with transaction.atomic():
        build = ReportBuild.objects.select_for_update().filter(pk=build_id).first()
        if build is None or build.status == ReportBuildStatus.DONE:
            return
        build.status, build.steps_done, build.error = ReportBuildStatus.RUNNING, 0, ""
        build.save(update_fields=["status", "steps_done", "error", "updated_at"])
    try:
        content = monthly_report_for(build.owner, build.year, build.month, today or timezone.localdate())
        _step(build.pk, 1)
        if build.format == ReportFormat.PDF:
            data = monthly_report_pdf(content)
        else:
            data = monthly_report_docx(content)
        _step(build.pk, 2)
        build.file.save(
            f"monthly-report-{build.year}-{build.month:02d}.{build.format}", ContentFile(data), save=False
        )
    except Exception as error:  # recorded on the build for the user, not lost in a worker's log
        logger.exception("monthly report build %s failed", build.pk)
        ReportBuild.objects.filter(pk=build.pk).update(
            status=ReportBuildStatus.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        return
    build.status, build.steps_done, build.finished_at = ReportBuildStatus.DONE, REPORT_STEPS, timezone.now()
    build.save(update_fields=["file", "status", "steps_done", "finished_at", "updated_at"])
