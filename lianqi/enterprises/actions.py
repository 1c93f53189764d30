"""Every write to the enterprise register. Actions are keyword-only, run in one transaction
and leave field history to django-simple-history (who, when, what changed)."""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from lianqi.core.actors import Actor
from lianqi.core.privacy import mask_phone
from lianqi.core.scoping import path_visible
from lianqi.core.sms import SmsMessage, send_sms
from lianqi.org.models import Jurisdiction, Staff
from lianqi.org.validators import normalise_mobile, validate_mobile

from . import creditcode, otp
from .models import (
    Contact,
    Enterprise,
    PhoneCode,
    RetiredCodeToken,
    Tag,
    YearFigure,
    new_code_token,
)
from .signals import announce_change, first_liaisons_named

logger = logging.getLogger("lianqi.enterprises")

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
    is given the enterprise is covered from its first moment, with that recorded (by the liaison
    layout, through `first_liaisons_named`, in this transaction)."""
    _check_jurisdiction(actor, jurisdiction)
    enterprise = Enterprise(
        credit_code=creditcode.normalise(credit_code),
        jurisdiction=jurisdiction,
        liaison=liaison,
        **{k: v for k, v in values.items() if k in EDITABLE_FIELDS},
    )
    enterprise._history_user = actor  # type: ignore[attr-defined]
    enterprise.full_clean()
    with transaction.atomic():
        enterprise.save()
        enterprise.tags.set(list(tags))
        if liaison is not None:
            first_liaisons_named.send(
                sender=Enterprise,
                enterprises=[enterprise],
                actor=actor,
                method="created",
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
    own actions). Locks the row so two editors cannot silently overwrite each other."""
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
        locked.save()
        if tags is not None:
            locked.tags.set(list(tags))
        announce_change(locked.pk)
    return locked


def rotate_code_token(*, enterprise: Enterprise, actor: Actor | None) -> Enterprise:
    """Issue a new code token; the old one keeps answering with a page that says it was
    replaced, so a printed code that was withdrawn is not mistaken for a fake one."""
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        RetiredCodeToken.objects.create(token=locked.code_token, enterprise=locked, retired_by=actor)
        locked.code_token = new_code_token()
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save(update_fields=["code_token", "updated_at"])
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


# --- The tag vocabulary (企业标签), shared by every jurisdiction ---------------------------------


def _check_tag_name(name: str, *, exclude_pk: int | None = None) -> str:
    """The tag's name as stored: trimmed, and not already taken (letters compared without case,
    so "ABC" and "abc" do not become two tags)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写标签名称")})
    taken = Tag.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": _("已有名为“%(name)s”的标签，不能重复") % {"name": name}})
    return name


def _save_tag(tag: Tag) -> None:
    tag.full_clean()
    try:
        # A savepoint, so that losing a race to an identical name leaves the outer
        # transaction usable and the user gets the same message as for a plain duplicate.
        with transaction.atomic():
            tag.save()
    except IntegrityError as exc:
        raise ValidationError({"name": _("已有名为“%(name)s”的标签，不能重复") % {"name": tag.name}}) from exc


def create_tag(*, actor: Actor | None, name: str, description: str = "", order: int = 100) -> Tag:
    """Add a tag to the national vocabulary; every park may then put it on its enterprises."""
    with transaction.atomic():
        tag = Tag(name=_check_tag_name(name), description=description.strip(), order=order)
        _save_tag(tag)
    return tag


def update_tag(*, tag: Tag, actor: Actor | None, name: str, description: str, order: int) -> Tag:
    """Rename a tag or change its description and place in lists. The enterprises carrying it
    keep it: they point at the tag, not at its name."""
    with transaction.atomic():
        locked = Tag.objects.select_for_update().get(pk=tag.pk)
        locked.name = _check_tag_name(name, exclude_pk=locked.pk)
        locked.description = description.strip()
        locked.order = order
        _save_tag(locked)
    return locked


def merge_tags(*, source: Tag, target: Tag, actor: Actor | None) -> int:
    """Fold `source` into `target` (two names for one thing, say 高企 and 高新技术企业): every
    enterprise carrying the source carries the target instead, in every jurisdiction, and the
    source is removed. Each enterprise touched gets a history row naming the merge and who did
    it, since tag changes are not field changes. Returns how many enterprises carried the source."""
    if source.pk == target.pk:
        raise ValidationError({"target": _("不能把标签合并到它自己")})
    with transaction.atomic():
        # Both tags locked in a fixed order, so two opposite merges cannot deadlock.
        pair = Tag.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")
        locked = {t.pk: t for t in pair}
        if source.pk not in locked or target.pk not in locked:
            raise ValidationError(_("标签已被删除或合并，请刷新后重试"))
        source, target = locked[source.pk], locked[target.pk]
        through = Enterprise.tags.through
        # Through a subquery rather than a join, so that only enterprise rows are locked.
        carriers = through.objects.filter(tag=source).values("enterprise_id")
        enterprises = list(Enterprise.objects.select_for_update().filter(pk__in=carriers).order_by("pk"))
        carrying_target = set(
            through.objects.filter(tag=target, enterprise__in=enterprises).values_list(
                "enterprise_id", flat=True
            )
        )
        through.objects.bulk_create(
            [through(enterprise=e, tag=target) for e in enterprises if e.pk not in carrying_target]
        )
        reason = _("标签“%(source)s”并入“%(target)s”") % {"source": source.name, "target": target.name}
        source.delete()
        now = timezone.now()
        for enterprise in enterprises:
            enterprise.updated_at = now
        bulk_update_with_history(
            enterprises,
            Enterprise,
            fields=["updated_at"],
            default_user=actor,
            default_change_reason=reason,
        )
    return len(enterprises)


def delete_tag(*, tag: Tag, actor: Actor | None) -> None:
    """Remove a tag nobody uses (a typo, a label never applied). A tag that any enterprise in
    any jurisdiction carries is refused: merging it into another keeps those enterprises
    labelled, deleting would silently strip them."""
    with transaction.atomic():
        locked = Tag.objects.select_for_update().filter(pk=tag.pk).first()
        if locked is None:
            return
        if Enterprise.objects.filter(tags=locked).exists():
            raise ValidationError(
                _("仍有企业（可能在其他辖区）带有标签“%(name)s”，不能删除；请把它合并到另一个标签。")
                % {"name": locked.name}
            )
        locked.delete()


# --- One-time codes for filing through the enterprise's code (营商码) ------------------------


def send_phone_code(
    *, enterprise: Enterprise, name: str, phone: str, at: dt.datetime | None = None
) -> PhoneCode:
    """Send a one-time code to `phone` for someone filing through `enterprise`'s code (no
    account), after checking the number and the resend limits (`otp`). The code goes out at
    once through the configured SMS sender, not the notification outbox: the filer is waiting
    for it. Only its hash is stored. A sender that fails undoes the row, so a code that never
    arrived neither counts against the limits nor can be guessed."""
    at = at or timezone.now()
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写联系人姓名")})
    phone = normalise_mobile(phone)
    try:
        validate_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    with transaction.atomic():
        # Locking the enterprise serialises its requests, so two quick clicks cannot both pass
        # the limits below.
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        _check_code_limits(token=locked.code_token, phone=phone, at=at)
        code = otp.new_code()
        salt = otp.new_salt()
        row = PhoneCode.objects.create(
            enterprise=locked,
            token=locked.code_token,
            phone=phone,
            name=name[:40],
            salt=salt,
            code_hash=otp.hash_code(salt, code),
            created_at=at,
            expires_at=at + otp.CODE_LIFETIME,
        )
        _deliver_code(phone=phone, code=code)
    return row


def _check_code_limits(*, token: str, phone: str, at: dt.datetime) -> None:
    hour = PhoneCode.objects.filter(created_at__gt=at - dt.timedelta(hours=1))
    last = hour.filter(phone=phone).order_by("-created_at").first()
    if last is not None and at - last.created_at < otp.RESEND_INTERVAL:
        wait = math.ceil((otp.RESEND_INTERVAL - (at - last.created_at)).total_seconds())
        raise ValidationError({"phone": _("验证码已发送，请%(seconds)s秒后再重新获取") % {"seconds": wait}})
    if hour.filter(phone=phone).count() >= otp.MAX_PER_PHONE_PER_HOUR:
        raise ValidationError({"phone": _("该手机号获取验证码次数过多，请一小时后再试")})
    if hour.filter(token=token).count() >= otp.MAX_PER_TOKEN_PER_HOUR:
        raise ValidationError({"phone": _("本企业获取验证码过于频繁，请稍后再试")})


def _deliver_code(*, phone: str, code: str) -> None:
    minutes = int(otp.CODE_LIFETIME.total_seconds() // 60)
    text = _("【联企】您的验证码为 %(code)s，%(minutes)s分钟内有效，仅用于营商码填报诉求，请勿告诉他人。") % {
        "code": code,
        "minutes": minutes,
    }
    # Sent straight through the configured sender, never through the outbox: a one-time code
    # must not sit in a table where it could be read back.
    try:
        send_sms(SmsMessage(address=phone, subject=text))
    except Exception as exc:  # any gateway failure; the filer can simply ask again
        logger.exception("one-time code to %s not sent", mask_phone(phone))
        raise ValidationError({"phone": _("短信发送失败，请稍后重试")}) from exc


_CODE_RE = re.compile(rf"^\d{{{otp.CODE_DIGITS}}}$")


def verify_phone_code(
    *, enterprise: Enterprise, phone: str, code: str, at: dt.datetime | None = None
) -> PhoneCode:
    """Check `code` against the latest code sent to `phone` under the enterprise's current code
    token; a newer code replaces older ones. A wrong guess is counted (and committed) before
    the error is raised; after `otp.MAX_ATTEMPTS` wrong guesses the code is dead."""
    at = at or timezone.now()
    phone = normalise_mobile(phone)
    code = (code or "").strip()
    if not _CODE_RE.match(code):
        raise ValidationError({"code": _("请输入%(n)s位数字验证码") % {"n": otp.CODE_DIGITS}})
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(token=enterprise.code_token, phone=phone)
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None or row.confirmed_at is not None:
            error = _("请先获取验证码")
        elif row.expires_at <= at:
            error = _("验证码已过期，请重新获取")
        elif row.attempts >= otp.MAX_ATTEMPTS:
            error = _("验证码错误次数过多，已失效，请重新获取")
        elif otp.code_matches(row.salt, row.code_hash, code):
            row.confirmed_at = at
            row.save(update_fields=["confirmed_at"])
            return row
        else:
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = otp.MAX_ATTEMPTS - row.attempts
            if left:
                error = _("验证码错误，还可尝试%(n)s次") % {"n": left}
            else:
                error = _("验证码错误次数过多，已失效，请重新获取")
    # Raised outside the transaction so that the counted attempt stays counted.
    raise ValidationError({"code": error})
