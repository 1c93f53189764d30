"""Who may see and change enterprises, and the loaders pages and endpoints use: each
`access_*` answers 404 both for a row that does not exist and for one the user may not see, so
nobody learns that a row exists elsewhere."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lianqi.core.models import Job
from lianqi.core.privacy import Holder, Tie, sees_full_phone
from lianqi.core.roles import OFFICE_ROLES, STAFF_ROLES, Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped, path_visible, scope_paths, scope_queryset

from .models import Contact, Enterprise, Tag

#: Roles that browse the register (the enterprise's own user sees only itself, elsewhere).
REGISTER_ROLES = tuple(STAFF_ROLES)
#: Roles that create, edit and import enterprises, and rotate their codes.
EDIT_ROLES = tuple(OFFICE_ROLES)


def visible(user: Any) -> QuerySet[Enterprise]:
    """The enterprises a user may see: their jurisdiction's subtree for staff, their own
    enterprise for an enterprise user, nothing for anyone else."""
    queryset = Enterprise.objects.all()
    if has_role(user, REGISTER_ROLES):
        return scope_queryset(queryset, user)
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        return queryset.filter(pk=user.enterprise_id)
    return queryset.none()


def can_edit(user: Any) -> bool:
    return has_role(user, EDIT_ROLES)


def contact_ties(user: Any, enterprise: Enterprise) -> tuple[Tie, ...]:
    """How `user` is tied to the people of `enterprise`, for `core.privacy.sees_full_phone`:
    its own account (`OWN_ENTERPRISE`), or its liaison (`SERVES`)."""
    ties: list[Tie] = []
    if getattr(user, "enterprise_id", None) == enterprise.pk:
        ties.append(Tie.OWN_ENTERPRISE)
    staff = getattr(user, "staff", None) if getattr(user, "is_authenticated", False) else None
    if staff is not None and enterprise.liaison_id == staff.pk:
        ties.append(Tie.SERVES)
    return tuple(ties)


def can_see_contact_phone(user: Any, contact: Contact) -> bool:
    """Whether `user` sees a contact's number in full: the one rule of `core.privacy` (the
    leader, the office and the administrator of its jurisdiction, its liaison, the enterprise
    itself), with the ties the register knows."""
    enterprise = contact.enterprise
    return sees_full_phone(
        user, Holder.CONTACT, contact_ties(user, enterprise), path=enterprise.jurisdiction_path
    )


def import_jobs_visible(user: Any) -> QuerySet[Job]:
    """The enterprise imports of the user's jurisdiction and those below it, for the roles that
    import."""
    if not has_role(user, EDIT_ROLES):
        return Job.objects.none()
    return scope_queryset(
        Job.objects.filter(kind=Job.Kind.ENTERPRISE_IMPORT).select_related("owner", "jurisdiction"),
        user,
        field="jurisdiction__path",
    )


def access_enterprise(user: Any, pk: Any) -> Enterprise:
    """The enterprise `pk`, with what its pages show beside it, if the user may see it."""
    return get_object_or_404_scoped(
        visible(user).select_related("industry", "jurisdiction", "liaison", "liaison__department"), pk=pk
    )


def access_contact(user: Any, enterprise: Enterprise, pk: Any) -> Contact:
    """A contact of `enterprise` (already loaded through `access_enterprise`): another
    enterprise's contact is a 404 here, even one the user may see elsewhere."""
    return get_object_or_404_scoped(Contact.objects.filter(enterprise=enterprise), pk=pk)


def line_paths(path: str) -> list[str]:
    """The paths of a jurisdiction and of every jurisdiction above it, root first."""
    codes = path.strip("/").split("/") if path else []
    return ["".join(f"{code}/" for code in codes[:i]) for i in range(1, len(codes) + 1)]


def tags_above(path: str) -> Q:
    """The tags a jurisdiction sees from its own line: national ones, its own, and those of the
    jurisdictions above it. These are the tags its enterprises may carry."""
    return Q(jurisdiction__isnull=True) | Q(jurisdiction_path__in=line_paths(path))


def tags_visible(user: Any) -> QuerySet[Tag]:
    """The tags a user sees in lists, filters, pickers and the API: the national ones, those of
    their jurisdiction and of the jurisdictions above it (a park sees its city's), and those below
    it (a city sees its parks', as it sees their enterprises). A sibling park's tags, never."""
    paths = scope_paths(user)
    if paths is None:
        return Tag.objects.all()
    condition = Q(jurisdiction__isnull=True)
    for path in paths:
        condition |= tags_above(path) | Q(jurisdiction_path__startswith=path)
    return Tag.objects.filter(condition)


def can_change_tag(user: Any, tag: Tag) -> bool:
    """Whether the user may rename, merge away or delete `tag`: the office of the tag's own
    jurisdiction or of one above it (within their scope, as for any row); a national tag only an
    administrator, since renaming it renames it for every park."""
    if not has_role(user, EDIT_ROLES):
        return False
    if tag.is_national:
        return has_role(user, (Role.ADMIN,))
    return path_visible(user, tag.jurisdiction_path)


def tags_editable(user: Any) -> QuerySet[Tag]:
    """The tags `can_change_tag` admits, as a queryset."""
    if not has_role(user, EDIT_ROLES):
        return Tag.objects.none()
    scoped = scope_queryset(Tag.objects.filter(jurisdiction__isnull=False), user)
    if has_role(user, (Role.ADMIN,)):
        return scoped | Tag.objects.filter(jurisdiction__isnull=True)
    return scoped


def access_tag_to_change(user: Any, pk: Any) -> Tag:
    """A tag the user may change (`tags_editable`). Another park's tag, the city's tag for a
    park's office and a national tag for anyone but an administrator all answer 404."""
    return get_object_or_404_scoped(tags_editable(user).select_related("jurisdiction"), pk=pk)


def access_import_job(user: Any, pk: Any) -> Job:
    """An enterprise import of the user's jurisdiction (or one below it)."""
    return get_object_or_404_scoped(import_jobs_visible(user), pk=pk)
