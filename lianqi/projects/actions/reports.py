"""Progress reports and the problems projects raise. A report is one month's investment and
progress; a problem, referred to the demands' intake, becomes a demand supervised like any other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.uploads import check_upload, store_upload
from lianqi.core.workflow import StaleVersion, required_text
from lianqi.demands.actions.intake import submit_demand
from lianqi.demands.choices import Channel
from lianqi.demands.models import Category

from ..choices import MAX_PHOTOS, ProjectAction
from ..models import Problem, ProgressReport, Project, ReportPhoto
from ..workflow import roles_for, workflow
from .checks import amount
from .milestones import touch


def open_periods(today: dt.date) -> tuple[dt.date, dt.date]:
    """The months a report may still be filed for: this month and the one before (a month closes
    when the next has ended, so late figures have a month to come in)."""
    this_month = today.replace(day=1)
    previous = (this_month - dt.timedelta(days=1)).replace(day=1)
    return previous, this_month


def may_report(project: Project, actor: Actor | None) -> bool:
    """Who reports on a project: the office or a leader over it, or its owner enterprise's account."""
    if actor is None:
        return False
    own = has_role(actor, (Role.ENTERPRISE,)) and project.enterprise_id is not None
    return bool(roles_for(project, actor)) or (own and actor.enterprise_id == project.enterprise_id)


def _locked_for_report(project: Project, actor: Actor | None, expected_version: int) -> Project:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.version != expected_version:
        raise StaleVersion(workflow, locked)
    if not may_report(locked, actor):
        raise ValidationError(_("您不能为该项目报送进度"))
    return locked


#: What a photo may be: a picture, checked by its first bytes too (`core.uploads`).
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")


def _check_photos(photos: Sequence[UploadedFile]) -> None:
    """Every photo is checked before anything is written, so a refused one leaves no trace."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("每次报送最多 %(max)s 张照片") % {"max": MAX_PHOTOS}})
    for photo in photos:
        name = photo.name or ""
        if Path(name).suffix.lower() not in PHOTO_SUFFIXES:
            raise ValidationError(
                {"photos": _("“%(name)s”不是照片，可上传：jpg、jpeg、png") % {"name": name}}
            )
        check_upload(photo, field="photos")


def submit_report(
    *,
    project: Project,
    actor: Actor | None,
    expected_version: int,
    period: dt.date,
    invested: Decimal,
    progress: str,
    problems: str = "",
    photos: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> ProgressReport:
    """File a project's report for one open month: the investment of the month (yuan to the
    fen), the year's cumulative figure computed from the year's earlier reports, the physical
    progress, the problems (each problem line is also kept as a problem of the project) and up
    to `MAX_PHOTOS` photos of the site. Refused: a closed or future month, a second report of a
    month, a cumulative investment above the project's total (the total is revised first), and a
    photo that is not a JPEG or PNG picture within the size limit."""
    at = at or timezone.now()
    _check_photos(photos)
    period = period.replace(day=1)
    earliest, latest = open_periods(timezone.localdate(at))
    if period > latest:
        raise ValidationError({"period": _("不能报送未来月份的进度")})
    if period < earliest:
        raise ValidationError({"period": _("该月份已关账，不能再报送")})
    invested = amount(invested, "invested")
    progress = required_text(progress, "progress", _("请填写形象进度"))
    with transaction.atomic():
        locked = _locked_for_report(project, actor, expected_version)
        reports = ProgressReport.objects.filter(project=locked)
        if reports.filter(period=period).exists():
            raise ValidationError({"period": _("该月份已报送过进度")})
        before = reports.filter(period__lt=period)
        so_far = before.aggregate(total=Sum("invested"))["total"] or Decimal(0)
        if so_far + invested > locked.total_investment:
            raise ValidationError({"invested": _("累计完成投资将超过项目总投资，请先调整总投资")})
        year_before = before.filter(period__year=period.year).aggregate(total=Sum("invested"))["total"]
        report = ProgressReport.objects.create(
            project=locked,
            period=period,
            invested=invested,
            year_to_date=(year_before or Decimal(0)) + invested,
            progress=progress,
            problems=problems.strip(),
            reported_by=actor,
        )
        for line in filter(None, (line.strip() for line in problems.splitlines())):
            Problem.objects.create(project=locked, description=line, raised_by=actor)
        for upload in photos:
            store_upload(ReportPhoto(report=report, uploaded_by=actor, at=at), upload)
        touch(locked, action=ProjectAction.REPORT, actor=actor, at=at, note=f"{period:%Y-%m}")
    return report


def refer_problem(
    *, problem: Problem, actor: Actor, category: Category, at: dt.datetime | None = None
) -> Problem:
    """Pass a project's problem to the demands' intake as a demand of the project's owner (channel
    重点项目调度会), so it is assigned, supervised and rated like any demand; once only."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = (
            Problem.objects.select_for_update(of=("self",))
            .select_related("project__enterprise")
            .get(pk=problem.pk)
        )
        project = locked.project
        if not roles_for(project, actor):
            raise ValidationError(_("您不能转办该项目的问题"))
        if locked.demand_id is not None:
            raise ValidationError(_("该问题已转为诉求"))
        if project.enterprise is None:
            raise ValidationError(_("业主企业尚未注册，问题暂不能转为诉求"))
        demand = submit_demand(
            enterprise=project.enterprise,
            category=category,
            channel=Channel.DISPATCH_MEETING,
            description=_("【%(project)s】%(problem)s")
            % {"project": project.name, "problem": locked.description},
            actor=actor,
            at=at,
        )
        locked.demand = demand
        locked.save(update_fields=["demand", "updated_at"])
        workflow.record(
            project,
            action=ProjectAction.REFER_PROBLEM,
            from_state=project.state,
            actor=actor,
            at=at,
            note=locked.description,
        )
    return locked
