"""Every write to accounts. Each action is keyword-only, checks that the administrator acts
inside their own subtree, validates everything before it writes and runs in one transaction,
so a rejected form leaves nothing half-changed."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from lianqi.core.actors import Actor
from lianqi.core.roles import STAFF_ROLES, Role
from lianqi.core.scoping import path_visible
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Jurisdiction, Staff
from lianqi.org.validators import normalise_mobile, validate_mobile

from .models import User

log = logging.getLogger(__name__)

ROLE_CODES = frozenset(r.value for r in Role)


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def _check_roles(roles: Iterable[str]) -> list[str]:
    codes = sorted({str(r) for r in roles})
    if not codes:
        raise ValidationError({"roles": _("请至少选择一个角色")})
    unknown = [c for c in codes if c not in ROLE_CODES]
    if unknown:
        raise ValidationError({"roles": _("未知角色：%(codes)s") % {"codes": "、".join(unknown)}})
    return codes


def _check_phone(phone: str) -> str:
    phone = normalise_mobile(phone)
    if phone:
        try:
            validate_mobile(phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
    return phone


def _resolve_binding(
    *,
    actor: Actor | None,
    user: User | None,
    roles: list[str],
    jurisdiction: Jurisdiction | None,
    staff: Staff | None,
    enterprise: Enterprise | None,
) -> Jurisdiction:
    """Check the account's roles against what it is bound to and return its jurisdiction
    (taken from the staff member or the enterprise when none is chosen).

    An enterprise user must be bound to an enterprise; a staff role needs a staff member or at
    least a jurisdiction; whatever is bound must lie inside the account's jurisdiction, and all
    of it inside the administrator's."""
    errors: dict[str, str] = {}
    if Role.ENTERPRISE in roles and enterprise is None:
        errors["enterprise"] = _("企业用户必须绑定一家企业")
    if jurisdiction is None:
        if staff is not None:
            jurisdiction = staff.jurisdiction
        elif enterprise is not None:
            jurisdiction = enterprise.jurisdiction
    if jurisdiction is None:
        if any(r in STAFF_ROLES for r in roles):
            errors["staff"] = _("工作人员角色必须绑定干部，或至少选择所属辖区")
        else:
            errors["jurisdiction"] = _("请选择所属辖区")
    if jurisdiction is not None and actor is not None and not path_visible(actor, jurisdiction.path):
        errors["jurisdiction"] = _("该辖区不在您的管辖范围内")
    if staff is not None:
        if staff.user_id is not None and (user is None or staff.user_id != user.pk):
            errors["staff"] = _("该干部已绑定账号 %(username)s") % {"username": staff.user.username}  # type: ignore[union-attr]
        elif jurisdiction is not None and not staff.jurisdiction_path.startswith(jurisdiction.path):
            errors["staff"] = _("该干部不在所选辖区内")
    if (
        enterprise is not None
        and jurisdiction is not None
        and not enterprise.jurisdiction_path.startswith(jurisdiction.path)
    ):
        errors["enterprise"] = _("该企业不在所选辖区内")
    if errors:
        raise ValidationError(errors)
    assert jurisdiction is not None
    return jurisdiction


def _set_roles(user: User, roles: list[str]) -> None:
    """Replace the account's role groups, leaving any other groups it belongs to alone."""
    wanted = [Group.objects.get_or_create(name=code)[0] for code in roles]
    current = user.groups.filter(name__in=ROLE_CODES)
    user.groups.remove(*[g for g in current if g.name not in roles])
    user.groups.add(*wanted)
    user._lianqi_roles = None  # type: ignore[attr-defined]


def bind_user(*, user: User, actor: Actor | None, staff: Staff | None, enterprise: Enterprise | None) -> User:
    """Bind an account to the staff member it logs in as and to the enterprise it acts for
    (either may be None to unbind). A staff member has at most one account."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if staff is not None:
            staff = Staff.objects.select_for_update().get(pk=staff.pk)
            if staff.user_id not in (None, locked.pk):
                raise ValidationError(
                    {"staff": _("该干部已绑定账号 %(username)s") % {"username": staff.user.username}}  # type: ignore[union-attr]
                )
            if actor is not None and not path_visible(actor, staff.jurisdiction_path):
                raise ValidationError({"staff": _("该干部不在您的管辖范围内")})
        if (
            enterprise is not None
            and actor is not None
            and not path_visible(actor, enterprise.jurisdiction_path)
        ):
            raise ValidationError({"enterprise": _("该企业不在您的管辖范围内")})
        previous = Staff.objects.select_for_update().filter(user=locked)
        if staff is not None:
            previous = previous.exclude(pk=staff.pk)
        previous.update(user=None)
        if staff is not None and staff.user_id != locked.pk:
            staff.user = locked
            staff.save(update_fields=["user", "updated_at"])
        if locked.enterprise_id != (enterprise.pk if enterprise else None):
            locked.enterprise = enterprise
            locked.save(update_fields=["enterprise"])
    return locked


def create_user(
    *,
    actor: Actor | None,
    username: str,
    display_name: str,
    roles: Iterable[str],
    password: str,
    jurisdiction: Jurisdiction | None = None,
    phone: str = "",
    staff: Staff | None = None,
    enterprise: Enterprise | None = None,
    institution: str = "",
) -> User:
    """Open an account with its roles, its jurisdiction, what it is bound to and an initial
    password that passes the password validators."""
    codes = _check_roles(roles)
    username = username.strip()
    phone = _check_phone(phone)
    jurisdiction = _resolve_binding(
        actor=actor, user=None, roles=codes, jurisdiction=jurisdiction, staff=staff, enterprise=enterprise
    )
    user = User(
        username=username,
        display_name=display_name.strip(),
        phone=phone,
        jurisdiction=jurisdiction,
        institution=institution.strip(),
    )
    _check_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password", "enterprise"])
    with transaction.atomic():
        user.save()
        _set_roles(user, codes)
        bind_user(user=user, actor=actor, staff=staff, enterprise=enterprise)
    log.info("account %s created by %s with roles %s", username, actor, ",".join(codes))
    user.refresh_from_db()
    return user


def update_user(
    *,
    user: User,
    actor: Actor | None,
    display_name: str,
    roles: Iterable[str],
    jurisdiction: Jurisdiction | None = None,
    phone: str = "",
    staff: Staff | None = None,
    enterprise: Enterprise | None = None,
    institution: str = "",
) -> User:
    """Change an account's name, roles, jurisdiction and binding."""
    codes = _check_roles(roles)
    if actor is not None and actor.pk == user.pk and Role.ADMIN not in codes and not actor.is_superuser:
        raise ValidationError({"roles": _("不能取消自己的管理员角色")})
    phone = _check_phone(phone)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        resolved = _resolve_binding(
            actor=actor,
            user=locked,
            roles=codes,
            jurisdiction=jurisdiction,
            staff=staff,
            enterprise=enterprise,
        )
        locked.display_name = display_name.strip()
        locked.phone = phone
        locked.jurisdiction = resolved
        locked.institution = institution.strip()
        locked.full_clean(exclude=["password", "enterprise"])
        locked.save()
        _set_roles(locked, codes)
        bind_user(user=locked, actor=actor, staff=staff, enterprise=enterprise)
    log.info("account %s updated by %s", locked.username, actor)
    locked.refresh_from_db()
    return locked


def set_user_active(*, user: User, actor: Actor | None, active: bool) -> User:
    """Deactivate an account (it can no longer log in; its history stays) or reactivate it."""
    if not active and actor is not None and actor.pk == user.pk:
        raise ValidationError(_("不能停用自己的账号"))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active != active:
            locked.is_active = active
            locked.save(update_fields=["is_active"])
    log.info("account %s %s by %s", locked.username, "activated" if active else "deactivated", actor)
    return locked


def set_password(*, user: User, actor: Actor | None, password: str) -> User:
    """Give an account a new password (the administrator's reset). Changing the password ends
    the account's other sessions, because Django ties each session to the password hash."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        _check_password(password, locked)
        locked.set_password(password)
        locked.save(update_fields=["password"])
    log.info("password of %s reset by %s", locked.username, actor)
    return locked


def api_token(*, user: User, actor: Actor | None) -> str:
    """The account's API token (``Authorization: Token …``), made the first time it is asked
    for and the same afterwards, so every client of one account shares it. The account asks
    for its own token, having just proved its password, so `actor` is normally `user`."""
    token, created = Token.objects.get_or_create(user=user)
    if created:
        log.info("API token of %s issued to %s", user.username, actor)
    return str(token.key)


def unlock_user(*, user: User, actor: Actor | None) -> int:
    """Lift a login lockout of an account from every address; returns how many locked
    (username, address) records were removed."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        removed = axes_reset(username=user.username)
    log.info("account %s unlocked by %s (%d records)", user.username, actor, removed)
    return removed
