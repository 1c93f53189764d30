"""The tag vocabulary (企业标签), shared by every jurisdiction: add, change, merge and delete
tags. Each action runs in one transaction and locks the tags it changes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from lianqi.core.actors import Actor

from ..models import Enterprise, Tag


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
