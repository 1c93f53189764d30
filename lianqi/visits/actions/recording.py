"""Recording a visit: the liaison's check-in, whom they met and the answers, checked against
the questionnaire version the campaign pinned; every demand the answers raise is filed through
the demands' intake action (`lianqi.demands.actions.submit_demand`), with the visit named in
the demand's description and so in the first event of its timeline, and solved on the spot
there and then when the liaison says how. Submitting twice with the same idempotency key
returns the first visit and files nothing again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.roles import OFFICE_ROLES, Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.uploads import check_upload, store_upload
from lianqi.demands import actions as demand_actions
from lianqi.demands.choices import Channel
from lianqi.demands.models import Category
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Staff

from ..choices import CampaignState, VisitChannel
from ..models import Campaign, RaisedDemand, Visit, VisitFile
from ..queries import takes_in
from ..questionnaire import QuestionType, Raised, check, parse, raised
from ..texts import answer_label, render_all

#: Form fields that carry an answer are named after their question: ``answer_<key>``.
ANSWER_FIELD = "answer_%s"
MAX_FILES_PER_QUESTION = 9


def raised_key(question: str, answer: str) -> str:
    """How one raised demand is named (its detail and its on-the-spot solution): the question's
    key and the answer that raised it."""
    return f"{question}:{answer}"


def _channel(actor: Actor, enterprise: Enterprise) -> str | None:
    """How this actor may record a visit of `enterprise`: the enterprise's liaison, the office
    of its jurisdiction, or its own account filling the electronic form; None if not at all."""
    staff: Staff | None = getattr(actor, "staff", None)
    if has_role(actor, OFFICE_ROLES) and path_visible(actor, enterprise.jurisdiction_path):
        return VisitChannel.LIAISON
    if has_role(actor, (Role.LIAISON,)) and staff is not None and enterprise.liaison_id == staff.pk:
        return VisitChannel.LIAISON
    if has_role(actor, (Role.ENTERPRISE,)) and actor.enterprise_id == enterprise.pk:
        return VisitChannel.ELECTRONIC
    return None


def _check_campaign(campaign: Campaign, enterprise: Enterprise) -> None:
    if campaign.state != CampaignState.OPEN:
        raise ValidationError({"campaign": _("该走访活动未在进行中，不能登记走访")})
    if not takes_in(campaign, enterprise):
        raise ValidationError({"enterprise": _("该企业不在本次走访活动的范围内")})


def _check_files(files: Mapping[str, Sequence[UploadedFile]]) -> None:
    for key, uploads in files.items():
        field = ANSWER_FIELD % key
        if len(uploads) > MAX_FILES_PER_QUESTION:
            raise ValidationError({field: _("每题最多上传 %(max)s 个文件") % {"max": MAX_FILES_PER_QUESTION}})
        for upload in uploads:
            check_upload(upload, field)


def _check_file_questions(files: Mapping[str, Sequence[UploadedFile]], file_keys: set[str]) -> None:
    """Files come only as answers to photo or file questions (the API names them freely)."""
    wrong = sorted(set(files) - file_keys)
    if wrong:
        raise ValidationError({ANSWER_FIELD % key: _("该题不是照片或文件题，不能上传文件") for key in wrong})


def _coordinate(value: Any, field: str, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        raise ValidationError({field: _("定位坐标不正确")}) from None
    if not -limit <= number <= limit:
        raise ValidationError({field: _("定位坐标不正确")})
    return number


def _description(item: Raised, detail: str, campaign: Campaign | None, day: dt.date, who: str) -> str:
    """The demand's description: the question and answer that raised it, the liaison's detail,
    and the visit it came from — the intake event's note, so the demand's timeline shows it."""
    lines = [_("%(question)s：%(answer)s") % {"question": item.text, "answer": answer_label(item.answer)}]
    if detail.strip():
        lines.append(detail.strip())
    lines.append(
        _("来自走访：%(campaign)s，%(day)s，%(who)s")
        % {"campaign": campaign.title if campaign else _("日常走访"), "day": f"{day:%Y-%m-%d}", "who": who}
    )
    return "\n".join(lines)


def record_visit(
    *,
    enterprise: Enterprise,
    actor: Actor | None,
    idempotency_key: str,
    campaign: Campaign | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    answers: Mapping[str, Any] | None = None,
    files: Mapping[str, Sequence[UploadedFile]] | None = None,
    checked_in_at: dt.datetime | None = None,
    latitude: Any = None,
    longitude: Any = None,
    location: str = "",
    people_met: str = "",
    summary: str = "",
    details: Mapping[str, str] | None = None,
    solved: Mapping[str, str] | None = None,
    at: dt.datetime | None = None,
) -> Visit:
    """Record one visit of `enterprise` (in `campaign`, or a routine visit without one) with its
    answers and files, in one transaction, and file a demand for every answer that raises one
    (`details` adds the liaison's words to it, `solved` closes it as solved on the spot, both
    by `raised_key`). Answers are checked against the campaign's pinned questionnaire version;
    each wrong answer is an error on ``answer_<key>``. The same `idempotency_key` sent again by
    the same user returns the first visit unchanged (a retried submission).

    `actor` is None when the enterprise fills the campaign's electronic form through its code
    (营商码): `contact_name` and `contact_phone` then say who (the phone confirmed by a
    one-time code before this is called); it counts as the enterprise's own form, and the
    demands it raises are filed as the enterprise's, through its code."""
    at = at or timezone.now()
    key = (idempotency_key or "").strip()
    if not key or len(key) > 64:
        raise ValidationError({"idempotency_key": _("提交标识无效，请刷新页面后重试")})
    first = Visit.objects.filter(idempotency_key=key).first()
    if first is not None:
        # A retry is the same user's, or (through the code) the same enterprise's form.
        same = (
            first.recorded_by_id == actor.pk
            if actor is not None
            else (first.recorded_by_id is None and first.enterprise_id == enterprise.pk)
        )
        if not same:
            raise ValidationError({"idempotency_key": _("提交标识已被使用，请刷新页面后重试")})
        return first
    if actor is None:
        if not contact_phone:
            raise ValidationError({"contact_phone": _("请填写并验证联系电话")})
        channel: str | None = VisitChannel.ELECTRONIC
    else:
        channel = _channel(actor, enterprise)
    if channel is None:
        raise ValidationError({"enterprise": _("您不能为该企业登记走访")})
    if campaign is not None:
        _check_campaign(campaign, enterprise)
    elif channel == VisitChannel.ELECTRONIC:
        raise ValidationError({"campaign": _("请选择要填写的走访活动问卷")})
    files = {k: list(v) for k, v in (files or {}).items() if v}
    _check_files(files)
    if campaign is None or campaign.questionnaire_version is None:
        # A routine visit has no questionnaire, so no question a file could answer.
        _check_file_questions(files, set())
    lat = _coordinate(latitude, "latitude", 90)
    lng = _coordinate(longitude, "longitude", 180)
    version = campaign.questionnaire_version if campaign is not None else None
    values: dict[str, Any] = {}
    demands_raised: list[Raised] = []
    if version is not None:
        questionnaire = parse(version.definition)
        given = dict(answers or {})
        file_keys = {q.key for q in questionnaire.questions() if q.type == QuestionType.FILE}
        _check_file_questions(files, file_keys)
        for file_key in file_keys:
            # The files are checked for presence here and stored below; their stored names
            # become the answer.
            given[file_key] = [u.name or "" for u in files.get(file_key, [])]
        checked = check(questionnaire, given)
        if checked.errors:
            raise ValidationError(
                {ANSWER_FIELD % q: render_all(messages) for q, messages in checked.errors.items()}
            )
        values = checked.values
        demands_raised = raised(questionnaire, values)
        files = {k: v for k, v in files.items() if k in values}
    categories = {c.name: c for c in Category.objects.filter(name__in={r.category for r in demands_raised})}
    missing = sorted({r.category for r in demands_raised} - set(categories))
    if missing:
        raise ValidationError(_("诉求类别“%(names)s”不存在，请联系营商办") % {"names": "、".join(missing)})
    staff: Staff | None = getattr(actor, "staff", None)
    liaison = staff if channel == VisitChannel.LIAISON and staff is not None else enterprise.liaison
    if actor is None:
        people_met = people_met or contact_name
    checked_in = checked_in_at or at
    with transaction.atomic():
        try:
            with transaction.atomic():
                visit = Visit.objects.create(
                    jurisdiction_id=enterprise.jurisdiction_id,
                    enterprise=enterprise,
                    campaign=campaign,
                    liaison=liaison,
                    channel=channel,
                    checked_in_at=checked_in,
                    latitude=lat,
                    longitude=lng,
                    location=location.strip()[:200],
                    people_met=people_met.strip()[:200],
                    summary=summary.strip(),
                    idempotency_key=key,
                    questionnaire_version=version,
                    answers=values,
                    recorded_by=actor,
                )
        except IntegrityError:
            # The same submission, retried while the first was being saved, got in first.
            return Visit.objects.get(idempotency_key=key)
        if files:
            for question, uploads in files.items():
                stored = []
                for upload in uploads:
                    document = VisitFile(visit=visit, question=question, uploaded_by=actor, at=at)
                    store_upload(document, upload)
                    stored.append(document.file.name)
                values[question] = stored
            visit.answers = values
            visit.save(update_fields=["answers", "updated_at"])
        who = str(
            liaison.name if liaison is not None and channel == VisitChannel.LIAISON else enterprise.name
        )
        for item in demands_raised:
            demand = demand_actions.submit_demand(
                enterprise=enterprise,
                category=categories[item.category],
                channel=Channel.LIAISON if channel == VisitChannel.LIAISON else Channel.ENTERPRISE_CODE,
                description=_description(
                    item,
                    (details or {}).get(raised_key(item.question, item.answer), ""),
                    campaign,
                    checked_in.date(),
                    who,
                ),
                actor=actor,
                contact_name=contact_name,
                contact_phone=contact_phone,
                solved_on_spot_note=(solved or {}).get(raised_key(item.question, item.answer), "")
                if channel == VisitChannel.LIAISON
                else "",
                at=at,
            )
            RaisedDemand.objects.create(
                visit=visit, demand=demand, question=item.question, answer=item.answer
            )
    return visit
