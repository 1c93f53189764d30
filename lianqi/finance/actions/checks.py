"""What several finance actions check: money typed in yuan, and the office of a jurisdiction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible

from ..money import MAX_FEN, fen_of

#: The office roles that manage institutions and review products.
OFFICE_ROLES = (Role.SERVICE_OFFICE, Role.ADMIN)


def yuan_to_fen(value: Any, field: str, *, positive: bool = True) -> int:
    """Yuan as typed → whole fen, or a `ValidationError` naming `field`."""
    fen = fen_of(value)
    if fen is None:
        raise ValidationError({field: _("请填写金额（元），最多两位小数")})
    if fen > MAX_FEN or fen < 0 or (positive and fen == 0):
        raise ValidationError({field: _("金额须大于 0 且不超过 1000 亿元")})
    return fen


def check_office(actor: Actor, path: str, field: str = "institution") -> None:
    if not (has_role(actor, OFFICE_ROLES) and path_visible(actor, path)):
        raise ValidationError({field: _("只有本辖区的金融服务部门可以办理")})
