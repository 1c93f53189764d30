"""The tag vocabularies (企业标签): add, change, merge and delete tags. A tag is national or
belongs to one jurisdiction (see `models.Tag`); an actor changes only the tags
`permissions.can_change_tag` gives them. Each action runs in one transaction and locks what it
changes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.org.models import Jurisdiction

from ..models import Enterprise, Tag
from ..permissions import can_change_tag, line_paths, tags_above


def _duplicate(name: str) -> ValidationError:
    return ValidationError({"name": _("已有名为“%(name)s”的标签，不能重复") % {"name": name}})


def _lock_line(jurisdiction_path: str) -> None:
    """Serialise name checks along one line of the tree. The database holds one name per
    jurisdiction but cannot see a park's name clash with its city's; two offices creating the
    same name at once, one above the other, would both pass the check. Every write of a name
    therefore locks the jurisdictions from the root down to its own (a national tag: the roots),
    in path order, so such writes queue behind each other."""
    lines = Jurisdiction.objects.select_for_update()
    if jurisdiction_path:
        lines = lines.filter(path__in=line_paths(jurisdiction_path))
    else:
        lines = lines.filter(parent__isnull=True)
    list(lines.order_by("path").values_list("pk", flat=True))


def _check_tag_name(name: str, jurisdiction_path: str, *, exclude_pk: int | None = None) -> str:
    """The tag's name as stored: trimmed, and used nowhere along the tag's line of the tree —
    not by its own jurisdiction, not above it (a park would see two tags of one name), not below
    it (nor would the park below). Letters are compared without case, so "ABC" and "abc" do not
    become two tags."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写标签名称")})
    line = tags_above(jurisdiction_path) if jurisdiction_path else Q(jurisdiction__isnull=True)
    below = Q(jurisdiction_path__startswith=jurisdiction_path) & Q(jurisdiction__isnull=False)
    taken = Tag.objects.filter(line | below, name__iexact=name).select_related("jurisdiction")
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    clashes = list(taken)
    if any(t.jurisdiction_path == jurisdiction_path for t in clashes):
        raise _duplicate(name)
    above = next((t for t in clashes if jurisdiction_path.startswith(t.jurisdiction_path)), None)
    if above is not None and above.jurisdiction is None:
        raise ValidationError(
            {"name": _("“%(name)s”已是全国通用标签，本辖区可以直接使用，不必新增") % {"name": name}}
        )
    if above is not None and above.jurisdiction is not None:
        raise ValidationError(
            {
                "name": _("上级辖区“%(jurisdiction)s”已有标签“%(name)s”，本辖区可以直接使用，不必新增")
                % {"jurisdiction": above.jurisdiction.name, "name": name}
            }
        )
    if clashes:
        raise ValidationError(
            {"name": _("下级辖区已有名为“%(name)s”的标签；请先把它改名或合并，再在本级新增") % {"name": name}}
        )
    return name


def _save_tag(tag: Tag) -> None:
    # The constraints are checked by the database below, with the message of a plain duplicate.
    tag.full_clean(validate_constraints=False)
    try:
        # A savepoint, so that losing a race to an identical name leaves the outer
        # transaction usable and the user gets the same message as for a plain duplicate.
        with transaction.atomic():
            tag.save()
    except IntegrityError as exc:
        raise _duplicate(tag.name) from exc


def _check_may_change(actor: Actor | None, tag: Tag) -> None:
    # None is a management command or a migration; a person changes only what the pages offer.
    if actor is not None and not can_change_tag(actor, tag):
        raise PermissionDenied(
            _("您不能修改这个标签：全国通用标签只有管理员可以修改，其他辖区的标签由该辖区维护")
        )


def create_tag(
    *,
    actor: Actor | None,
    name: str,
    jurisdiction: Jurisdiction | None,
    description: str = "",
    order: int = 100,
) -> Tag:
    """Add a tag to a jurisdiction's vocabulary, where that jurisdiction, the ones below it and
    the ones above it see it; `jurisdiction=None` adds a national tag, which only an
    administrator may do. The name must be free along the jurisdiction's line of the tree."""
    if jurisdiction is None:
        if actor is not None and not has_role(actor, (Role.ADMIN,)):
            raise ValidationError({"jurisdiction": _("只有管理员可以新增全国通用标签")})
    elif actor is not None and not path_visible(actor, jurisdiction.path):
        raise ValidationError({"jurisdiction": _("不能为您管辖范围以外的辖区新增标签")})
    path = jurisdiction.path if jurisdiction is not None else ""
    with transaction.atomic():
        _lock_line(path)
        tag = Tag(
            name=_check_tag_name(name, path),
            jurisdiction=jurisdiction,
            description=description.strip(),
            order=order,
        )
        _save_tag(tag)
    return tag


def update_tag(*, tag: Tag, actor: Actor | None, name: str, description: str, order: int) -> Tag:
    """Rename a tag or change its description and place in lists. The enterprises carrying it
    keep it: they point at the tag, not at its name. A tag stays in its jurisdiction."""
    _check_may_change(actor, tag)
    with transaction.atomic():
        _lock_line(tag.jurisdiction_path)
        locked = Tag.objects.select_for_update().get(pk=tag.pk)
        locked.name = _check_tag_name(name, locked.jurisdiction_path, exclude_pk=locked.pk)
        locked.description = description.strip()
        locked.order = order
        _save_tag(locked)
    return locked


def check_merge_target(source: Tag, target: Tag) -> None:
    """A tag merges only into one that every enterprise carrying it may carry: a national tag, or
    one of the source's own jurisdiction or of a jurisdiction above it (a park's 高企 into the
    national 高新技术企业, into the city's tag, or into another tag of the park). A park's tag
    never merges into a township's or a sibling's, whose enterprises are elsewhere; a national
    tag only into another national one. Changing the target is not asked of the actor: it gains
    enterprises, its name and place stay."""
    if source.pk == target.pk:
        raise ValidationError({"target": _("不能把标签合并到它自己")})
    if not target.applies_to(source.jurisdiction_path) or (source.is_national and not target.is_national):
        raise ValidationError(
            {
                "target": _(
                    "只能并入全国通用标签，或与原标签同辖区、上级辖区的标签：否则带有原标签的企业看不到新标签"
                )
            }
        )


def merge_tags(*, source: Tag, target: Tag, actor: Actor | None) -> int:
    """Fold `source` into `target` (two names for one thing, say 高企 and 高新技术企业): every
    enterprise carrying the source carries the target instead, and the source is removed. The
    actor must be allowed to change the source (`permissions.can_change_tag`); the target is any
    tag `check_merge_target` admits. Each enterprise touched gets a history row naming the merge
    and who did it, since tag changes are not field changes. Returns how many enterprises
    carried the source."""
    _check_may_change(actor, source)
    check_merge_target(source, target)
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
    """Remove a tag nobody uses (a typo, a label never applied). A tag that any enterprise
    carries is refused: merging it into another keeps those enterprises labelled, deleting
    would silently strip them."""
    _check_may_change(actor, tag)
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
