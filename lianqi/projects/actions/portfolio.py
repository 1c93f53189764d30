"""Registering a key project, revising its plan, and one typed action per stage of the table
(`workflow.TABLE`) on core's `take_step`, each with the date the stage was reached."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document

from lianqi.core.actors import Actor
from lianqi.core.scoping import path_visible
from lianqi.core.uploads import check_upload
from lianqi.core.workflow import Step, required_text, take_step
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department, Jurisdiction

from ..choices import STAGE_DATE_FIELDS, ProjectAction, ProjectKind, ProjectLevel
from ..models import ProgressReport, Project, ReportWording
from ..workflow import workflow
from .checks import amount, not_before
from .milestones import locked_project, touch


def _check_plan(total_investment: Decimal, year_plan: Decimal) -> tuple[Decimal, Decimal]:
    total = amount(total_investment, "total_investment", positive=True)
    plan = amount(year_plan, "year_plan")
    if plan > total:
        raise ValidationError({"year_plan": _("年度计划投资不能超过总投资")})
    return total, plan


def create_project(
    *,
    actor: Actor,
    name: str,
    department: Department,
    kind: str,
    level: str,
    total_investment: Decimal,
    plan_year: int,
    year_plan: Decimal,
    leader: str,
    signed_on: dt.date,
    enterprise: Enterprise | None = None,
    owner_name: str = "",
    industry: str = "",
    location: str = "",
    task_force: str = "",
    at: dt.datetime | None = None,
) -> Project:
    """Register a key project at its signing, in the responsible department's jurisdiction, with
    the first event of its history. Its owner is a registered enterprise of the actor's
    jurisdiction or, until the project company is registered, that company's name."""
    at = at or timezone.now()
    name = required_text(name, "name", _("请填写项目名称"))
    leader = required_text(leader, "leader", _("请填写责任领导"))
    if kind not in ProjectKind.values:
        raise ValidationError({"kind": _("请选择项目类别")})
    if level not in ProjectLevel.values:
        raise ValidationError({"level": _("请选择项目级别")})
    if not path_visible(actor, department.jurisdiction_path):
        raise ValidationError({"department": _("请选择您管辖范围内的责任单位")})
    if enterprise is not None and not path_visible(actor, enterprise.jurisdiction_path):
        raise ValidationError({"enterprise": _("不能为您管辖范围以外的企业登记项目")})
    if enterprise is None and not owner_name.strip():
        raise ValidationError({"owner_name": _("请选择业主企业，或填写待注册的项目公司名称")})
    total, plan = _check_plan(total_investment, year_plan)
    if signed_on > timezone.localdate(at):
        raise ValidationError({"signed_on": _("签约日期不能晚于今天")})
    with transaction.atomic():
        row = Project.objects.create(
            jurisdiction_id=department.jurisdiction_id,
            name=name,
            enterprise=enterprise,
            owner_name="" if enterprise else owner_name.strip(),
            kind=kind,
            level=level,
            industry=industry.strip(),
            location=location.strip(),
            total_investment=total,
            plan_year=plan_year,
            year_plan=plan,
            leader=leader,
            department=department,
            task_force=task_force.strip(),
            signed_on=signed_on,
            last_actor=actor,
            last_changed_at=at,
        )
        workflow.record(row, action=ProjectAction.CREATE, from_state="", actor=actor, at=at)
    return row


def revise_plan(
    *,
    project: Project,
    actor: Actor,
    expected_version: int,
    total_investment: Decimal,
    year_plan: Decimal,
    reason: str,
    at: dt.datetime | None = None,
) -> Project:
    """Revise a project's total investment and its yearly plan (调整投资计划), saying why: the
    plan not above the total, the total not below the investment already reported. The history
    keeps both figures before and after; completion is counted against the new plan."""
    at = at or timezone.now()
    total, plan = _check_plan(total_investment, year_plan)
    reason = required_text(reason, "reason", _("请填写调整原因"))
    with transaction.atomic():
        locked = locked_project(project, actor, expected_version)
        reported = ProgressReport.objects.filter(project=locked).aggregate(total=Sum("invested"))["total"]
        if reported is not None and total < reported:
            raise ValidationError(
                {
                    "total_investment": _("总投资不能低于已报送的累计完成投资（%(done)s 元）")
                    % {"done": f"{reported:,.2f}"}
                }
            )
        note = _("总投资 %(old_total)s → %(total)s 元，年度计划 %(old_plan)s → %(plan)s 元：%(reason)s") % {
            "old_total": f"{locked.total_investment:,.2f}",
            "total": f"{total:,.2f}",
            "old_plan": f"{locked.year_plan:,.2f}",
            "plan": f"{plan:,.2f}",
            "reason": reason,
        }
        locked.total_investment, locked.year_plan = total, plan
        locked.save(update_fields=["total_investment", "year_plan", "updated_at"])
        touch(locked, action=ProjectAction.REVISE_PLAN, actor=actor, at=at, note=note)
    return locked


def _stage(action: str) -> Callable[..., Project]:
    """The action of one stage step: it stores the date the stage was reached, which may be
    neither in the future nor before the stage before it."""

    def take(
        *,
        project: Project,
        actor: Actor | None,
        expected_version: int,
        on: dt.date,
        at: dt.datetime | None = None,
    ) -> Project:
        def change(step: Step[Project]) -> None:
            row = step.row
            if not isinstance(on, dt.date):
                raise ValidationError({"on": _("请填写日期")})
            if on > timezone.localdate(step.at):
                raise ValidationError({"on": _("日期不能晚于今天")})
            previous = getattr(row, STAGE_DATE_FIELDS[step.from_state])
            not_before(on, previous, "on", _("日期不能早于上一阶段的日期（%(day)s）") % {"day": previous})
            setattr(row, STAGE_DATE_FIELDS[step.transition.next_state], on)
            step.note = f"{on:%Y-%m-%d}"

        return take_step(
            workflow,
            row=project,
            action=action,
            actor=actor,
            expected_version=expected_version,
            at=at,
            change=change,
        )

    label = ProjectAction(action).label
    take.__name__ = f"{action}_project"
    take.__doc__ = f"Move a project to its next stage ({label}) on the date it was reached."
    return take


obtain_land_project = _stage(ProjectAction.OBTAIN_LAND)
start_project = _stage(ProjectAction.START)
top_out_project = _stage(ProjectAction.TOP_OUT)
complete_project = _stage(ProjectAction.COMPLETE)
produce_project = _stage(ProjectAction.PRODUCE)

#: The action of each step by the table's name for it.
STEPS: dict[str, Callable[..., Project]] = {
    ProjectAction.OBTAIN_LAND: obtain_land_project,
    ProjectAction.START: start_project,
    ProjectAction.TOP_OUT: top_out_project,
    ProjectAction.COMPLETE: complete_project,
    ProjectAction.PRODUCE: produce_project,
}


def _check_letterhead(upload: UploadedFile) -> None:
    """A letterhead is a Word document (.docx) that python-docx can open, checked like every upload."""
    name = upload.name or ""
    if Path(name).suffix.lower() != ".docx":
        raise ValidationError({"letterhead": _("请上传 Word 文档（.docx）")})
    check_upload(upload, "letterhead")
    try:
        Document(upload)
    except Exception as error:  # a zip that is not a Word document: python-docx raises several kinds
        raise ValidationError(
            {"letterhead": _("“%(name)s”不是可以打开的 Word 文档") % {"name": name}}
        ) from error
    finally:
        upload.seek(0)


def save_report_wording(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    title: str = "",
    issuer: str = "",
    intro: str = "",
    signature: str = "",
    letterhead: UploadedFile | None = None,
    clear_letterhead: bool = False,
) -> ReportWording:
    """Keep a jurisdiction's own wording of its monthly report (title, issuing office, opening
    paragraph, signature) and, when one is uploaded, the Word letterhead its Word report starts
    from (or drop it); blank fields fall back to the standard wording. Only for a jurisdiction
    inside the actor's; a refused letterhead changes nothing."""
    if not path_visible(actor, jurisdiction.path):
        raise ValidationError({"title": _("请选择您管辖范围内的区域")})
    if letterhead is not None:
        _check_letterhead(letterhead)
    values = {
        "title": title.strip(),
        "issuer": issuer.strip(),
        "intro": intro.strip(),
        "signature": signature.strip(),
        "updated_by": actor,
    }
    with transaction.atomic():
        wording, _created = ReportWording.objects.select_for_update().update_or_create(
            jurisdiction=jurisdiction, defaults=values
        )
        if letterhead is not None:
            wording.letterhead.save(letterhead.name or "letterhead.docx", letterhead, save=False)
            wording.letterhead_name = (letterhead.name or "")[-200:]
        elif clear_letterhead and wording.letterhead:
            wording.letterhead = ""
            wording.letterhead_name = ""
        wording.save(update_fields=["letterhead", "letterhead_name", "updated_at"])
    return wording
