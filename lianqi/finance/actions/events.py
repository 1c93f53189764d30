"""Bank–enterprise matching events (银企对接会): holding one with the institutions that came,
and recording the agreements signed there. By the office of the event's jurisdiction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import required_text
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Jurisdiction

from ..choices import ProductKind
from ..models import Agreement, Attendance, Institution, MatchingEvent
from ..permissions import ancestor_paths
from .checks import check_office, yuan_to_fen


def create_event(
    *,
    jurisdiction: Jurisdiction,
    title: str,
    held_on: dt.date,
    institutions: Iterable[Institution],
    actor: Actor,
    place: str = "",
) -> MatchingEvent:
    """Record a matching event of `jurisdiction` with the institutions serving it that came."""
    check_office(actor, jurisdiction.path, "jurisdiction")
    title = required_text(title, "title", _("请填写活动名称"))
    chosen = list(institutions)
    if not chosen:
        raise ValidationError({"institutions": _("请选择参会机构")})
    serving = set(ancestor_paths(jurisdiction.path))
    if any(institution.jurisdiction_path not in serving for institution in chosen):
        raise ValidationError({"institutions": _("参会机构须服务本辖区")})
    with transaction.atomic():
        event = MatchingEvent.objects.create(
            jurisdiction=jurisdiction, title=title, held_on=held_on, place=place.strip()[:200]
        )
        event.institutions.set(chosen)
    return event


def record_attendance(*, event: MatchingEvent, enterprise: Enterprise, actor: Actor) -> Attendance:
    """Record that an enterprise of the event's jurisdiction came (once per enterprise)."""
    check_office(actor, event.jurisdiction_path, "event")
    if not enterprise.jurisdiction_path.startswith(event.jurisdiction_path):
        raise ValidationError({"enterprise": _("企业须属于活动所在辖区")})
    with transaction.atomic():
        MatchingEvent.objects.select_for_update().get(pk=event.pk)
        if Attendance.objects.filter(event=event, enterprise=enterprise).exists():
            raise ValidationError({"enterprise": _("该企业已登记参会")})
        return Attendance.objects.create(event=event, enterprise=enterprise, recorded_by=actor)


def record_agreement(
    *,
    event: MatchingEvent,
    enterprise: Enterprise,
    institution: Institution,
    amount_yuan: Decimal | str,
    kind: ProductKind | str,
    actor: Actor,
) -> Agreement:
    """An agreement signed at `event`: an enterprise of the event's jurisdiction, one of the
    event's institutions, the amount (yuan to the fen) and the kind of financing."""
    check_office(actor, event.jurisdiction_path, "event")
    errors: dict[str, str] = {}
    if not enterprise.jurisdiction_path.startswith(event.jurisdiction_path) or not path_visible(
        actor, enterprise.jurisdiction_path
    ):
        errors["enterprise"] = _("企业须属于活动所在辖区")
    if not event.institutions.filter(pk=institution.pk).exists():
        errors["institution"] = _("该机构未参加本次活动")
    if kind not in ProductKind.values:
        errors["kind"] = _("请选择融资类型")
    try:
        amount = yuan_to_fen(amount_yuan, "amount_yuan")
    except ValidationError as invalid:
        errors.update({key: value[0] for key, value in invalid.message_dict.items()})
        amount = 0
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        MatchingEvent.objects.select_for_update().get(pk=event.pk)
        return Agreement.objects.create(
            event=event,
            enterprise=enterprise,
            institution=institution,
            amount_fen=amount,
            kind=kind,
            recorded_by=actor,
        )
