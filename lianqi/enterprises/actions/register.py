"""Writes to the register itself: filing and changing an enterprise, its yearly figures and its
contacts. Each action is keyword-only, runs in one transaction and leaves field history to
django-simple-history (who, when, what changed)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.scoping import path_visible
from lianqi.org.models import Jurisdiction, Staff

from .. import creditcode
from ..models import Contact, Enterprise, Tag, YearFigure
from ..signals import CREATED, LiaisonSet, announce_change, announce_liaisons_set
from ..validators import validate_liaison

YEAR_FIGURE_FIELDS = ("output_value", "revenue", "tax", "rd_spending")
CONTACT_FIELDS = ("name", "title", "phone", "is_primary")

EDITABLE_FIELDS = (
    "name",
    "kind",
    "status",
    "industry",
    "legal_representative",
    "address",
    "founded_on",
    "registered_capital",
    "employees",
)


def _check_jurisdiction(actor: Actor | None, jurisdiction: Jurisdiction) -> None:
    if actor is not None and not path_visible(actor, jurisdiction.path):
        raise ValidationError({"jurisdiction": _("不能在您管辖范围以外建档")})


def _check_tags(tags: Iterable[Tag], jurisdiction_path: str, field: str = "tags") -> None:
    """Refuse tags an enterprise of `jurisdiction_path` may not carry (`Tag.applies_to`): another
    park's, or one of a jurisdiction below the enterprise's."""
    foreign = sorted({t.name for t in tags if not t.applies_to(jurisdiction_path)})
    if foreign:
        raise ValidationError(
            {field: _("以下标签不适用于企业所在辖区：%(names)s") % {"names": "、".join(foreign)}}
        )


def create_enterprise(
    *,
    actor: Actor | None,
    credit_code: str,
    jurisdiction: Jurisdiction,
    values: Mapping[str, Any],
    tags: Iterable[Tag] = (),
    liaison: Staff | None = None,
) -> Enterprise:
    """Register a new enterprise. `values` holds the fields in EDITABLE_FIELDS. When a liaison
    is given the enterprise is covered from its first moment: the register sets it and tells the
    liaison layout (`signals.liaisons_set`), which records it in this same transaction. Its tags
    must be ones its jurisdiction may carry (`Tag.applies_to`)."""
    _check_jurisdiction(actor, jurisdiction)
    tags = list(tags)
    _check_tags(tags, jurisdiction.path)
    enterprise = Enterprise(
        credit_code=creditcode.normalise(credit_code),
        jurisdiction=jurisdiction,
        **{k: v for k, v in values.items() if k in EDITABLE_FIELDS},
    )
    enterprise._history_user = actor  # type: ignore[attr-defined]
    enterprise.full_clean()
    with transaction.atomic():
        if liaison is not None:
            # Locked, so that a cadre marked as left meanwhile does not take the enterprise.
            # (Ordered by key alone: the default order joins the nullable department, which
            # PostgreSQL refuses to lock.)
            liaison = Staff.objects.select_for_update().filter(pk=liaison.pk).order_by("pk").first()
            if liaison is None:
                raise ValidationError({"liaison": _("指定的联企干部不存在")})
            validate_liaison(liaison, jurisdiction.path)
            enterprise.liaison = liaison
        enterprise.save()
        enterprise.tags.set(tags)
        if liaison is not None:
            announce_liaisons_set(
                [LiaisonSet(enterprise.pk, enterprise.jurisdiction_path, None, liaison.pk)],
                actor=actor,
                method=CREATED,
                reason="",
                at=timezone.now(),
            )
        announce_change(enterprise.pk, created=True)
    return enterprise


def update_enterprise(
    *,
    enterprise: Enterprise,
    actor: Actor | None,
    values: Mapping[str, Any],
    tags: Iterable[Tag] | None = None,
    jurisdiction: Jurisdiction | None = None,
) -> Enterprise:
    """Change an enterprise's fields (not its credit code, not its liaison: those have their
    own actions). Locks the row so two editors cannot silently overwrite each other. Its tags,
    given or kept, must be ones its jurisdiction may carry."""
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        for name, value in values.items():
            if name in EDITABLE_FIELDS:
                setattr(locked, name, value)
        if jurisdiction is not None:
            _check_jurisdiction(actor, jurisdiction)
            locked.jurisdiction = jurisdiction
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.full_clean()
        path = locked.jurisdiction.path
        if tags is not None:
            tags = list(tags)
            _check_tags(tags, path)
        elif jurisdiction is not None:
            # Moved without saying which tags it keeps: those of its old park must not follow.
            _check_tags(locked.tags.all(), path, field="jurisdiction")
        locked.save()
        if tags is not None:
            locked.tags.set(tags)
        announce_change(locked.pk)
    return locked


def _note_on_enterprise(enterprise: Enterprise, actor: Actor | None, reason: str) -> None:
    """Add a row to the enterprise's field history that says what changed beside it (its
    figures, its contacts), so the detail page shows one timeline of who changed what."""
    enterprise._history_user = actor  # type: ignore[attr-defined]
    enterprise._change_reason = reason  # type: ignore[attr-defined]
    enterprise.save(update_fields=["updated_at"])


def save_year_figure(
    *, enterprise: Enterprise, actor: Actor | None, year: int, values: Mapping[str, Any]
) -> YearFigure:
    """Record or correct one year's figures of an enterprise (one row per year). Earlier
    values stay in the figure's own history."""
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        figure = YearFigure.objects.select_for_update().filter(enterprise=locked, year=year).first()
        created = figure is None
        if figure is None:
            figure = YearFigure(enterprise=locked, year=year)
        for name in YEAR_FIGURE_FIELDS:
            if name in values:
                setattr(figure, name, values[name])
        figure._history_user = actor  # type: ignore[attr-defined]
        figure.full_clean()
        figure.save()
        reason = _("新增 %(year)d 年度数据") if created else _("修改 %(year)d 年度数据")
        _note_on_enterprise(locked, actor, reason % {"year": year})
        announce_change(locked.pk)
    return figure


def save_contact(
    *,
    enterprise: Enterprise,
    actor: Actor | None,
    values: Mapping[str, Any],
    contact: Contact | None = None,
) -> Contact:
    """Add a contact to an enterprise, or change one of its contacts. Marking a contact as
    primary unmarks the others, so an enterprise has at most one primary contact."""
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if contact is None:
            target = Contact(enterprise=locked)
        else:
            target = Contact.objects.select_for_update().get(pk=contact.pk, enterprise=locked)
        for name in CONTACT_FIELDS:
            if name in values:
                setattr(target, name, values[name])
        target.full_clean()
        target.save()
        if target.is_primary:
            Contact.objects.filter(enterprise=locked, is_primary=True).exclude(pk=target.pk).update(
                is_primary=False
            )
        reason = _("新增联系人 %(name)s") if contact is None else _("修改联系人 %(name)s")
        _note_on_enterprise(locked, actor, reason % {"name": target.name})
    return target


def delete_contact(*, contact: Contact, actor: Actor | None) -> None:
    """Remove a contact from an enterprise; the removal is noted in the enterprise's history."""
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=contact.enterprise_id)
        target = Contact.objects.select_for_update().get(pk=contact.pk, enterprise=locked)
        name = target.name
        target.delete()
        _note_on_enterprise(locked, actor, _("删除联系人 %(name)s") % {"name": name})
