"""How a demand comes in and what documents it: filing a new demand (with its files, and,
when the liaison solved it there and then, the on-the-spot step in the same transaction) and
adding files later. Neither is a step of the table; both write their event through
`WORKFLOW.record`, so its `recorded` hook notifies and marks the statistics like any step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.scoping import path_visible
from lianqi.core.uploads import check_upload, store_upload
from lianqi.core.workflow import required_text
from lianqi.enterprises.models import Enterprise

from ..choices import Channel, DemandState
from ..models import Category, Demand, DemandAttachment
from ..workflow import WORKFLOW
from .lifecycle import solve_demand_on_spot

#: Event actions that are not transitions of the table (they start or annotate a history).
SUBMIT = "submit"
ATTACH = "attach"

#: How many files one demand may carry.
MAX_ATTACHMENTS = 20


def submit_demand(
    *,
    enterprise: Enterprise,
    category: Category,
    channel: Channel,
    description: str,
    actor: Actor | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    attachments: Sequence[UploadedFile] = (),
    solved_on_spot_note: str = "",
    at: dt.datetime | None = None,
) -> Demand:
    """Record a new demand of `enterprise`, with its attachments, in one transaction; with
    `solved_on_spot_note` the liaison also records, in the same transaction, that it was solved
    on the spot (当即解决) and how. The enterprise's current liaison is copied onto the demand,
    so a later change of liaison does not rewrite who was responsible at intake. `actor` is
    None when the enterprise files through its code; `contact_name` and `contact_phone` then
    say who filed it (the phone confirmed by a one-time code before this is called)."""
    at = at or timezone.now()
    description = required_text(description, "description", _("请填写诉求内容"))
    if actor is None and not contact_phone:
        raise ValidationError({"contact_phone": _("请填写并验证联系电话")})
    _check_uploads(attachments, already=0)
    if not category.is_active:
        raise ValidationError({"category": _("该诉求类别已停用")})
    if actor is not None and not (
        path_visible(actor, enterprise.jurisdiction_path) or actor.enterprise_id == enterprise.pk
    ):
        raise ValidationError({"enterprise": _("不能为您管辖范围以外的企业登记诉求")})
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        demand = Demand.objects.create(
            jurisdiction_id=locked.jurisdiction_id,
            enterprise=locked,
            liaison_id=locked.liaison_id,
            category=category,
            channel=channel,
            description=description,
            received_at=at,
            raised_by=actor,
            contact_name=contact_name.strip()[:40],
            contact_phone=contact_phone.strip()[:20],
            last_actor=actor,
            last_changed_at=at,
        )
        WORKFLOW.record(demand, action=SUBMIT, from_state="", actor=actor, at=at, note=description)
        for upload in attachments:
            _store_attachment(demand, upload, actor, at)
        if solved_on_spot_note.strip():
            demand = solve_demand_on_spot(
                demand=demand, actor=actor, expected_version=demand.version, note=solved_on_spot_note, at=at
            )
    return demand


def _check_uploads(uploads: Sequence[UploadedFile], *, already: int) -> None:
    if already + len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("每条诉求最多 %(max)s 个附件") % {"max": MAX_ATTACHMENTS}})
    for upload in uploads:
        check_upload(upload)


def _store_attachment(
    demand: Demand, upload: UploadedFile, actor: Actor | None, at: dt.datetime
) -> DemandAttachment:
    attachment = DemandAttachment(demand=demand, uploaded_by=actor, by_enterprise=actor is None, at=at)
    store_upload(attachment, upload)
    return attachment


def add_attachments(
    *,
    demand: Demand,
    uploads: Sequence[UploadedFile],
    actor: Actor | None,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> list[DemandAttachment]:
    """Add files to a demand (staff who may see it, or the enterprise through its code while
    the demand is open). Every file is checked before any is stored; one event names them. The
    demand's version does not change: a file does not make a colleague's open form stale."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Demand.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=demand.pk)
        if actor is None and (enterprise is None or enterprise.pk != locked.enterprise_id):
            raise ValidationError({"attachments": _("只能为本企业的诉求上传附件")})
        if actor is not None and not WORKFLOW.roles_for(locked, actor, enterprise=enterprise):
            raise ValidationError({"attachments": _("您不能为该诉求上传附件")})
        if actor is None and locked.state == DemandState.CLOSED:
            raise ValidationError({"attachments": _("诉求已办结，不能再上传附件")})
        _check_uploads(uploads, already=locked.attachments.count())
        stored = [_store_attachment(locked, upload, actor, at) for upload in uploads]
        WORKFLOW.record(
            locked,
            action=ATTACH,
            from_state=locked.state,
            actor=actor,
            at=at,
            note="、".join(a.name for a in stored),
        )
    return stored
