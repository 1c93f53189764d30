"""Writes of the Open311 app: making a key (the only moment the key itself exists outside the
client), renaming or switching one off, and noting when a key was last used. The Django admin
and the `create_open311_key` command both go through these."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.scoping import path_visible
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Jurisdiction

from .models import Open311Key

log = logging.getLogger(__name__)

#: Every key starts with this, so a leaked key is recognisable (secret scanners, logs).
KEY_PREFIX = "lq311_"


def hash_key(raw: str) -> str:
    """The stored form of a key. Keys are 256 random bits, so a plain SHA-256 cannot be
    reversed by guessing; a slow password hash would only slow down every request."""
    return hashlib.sha256(raw.encode()).hexdigest()


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写密钥名称")})
    return name


def check_key_scope(
    *, jurisdiction: Jurisdiction, enterprise: Enterprise | None, actor: Actor | None
) -> None:
    """Refuse a scope the actor may not give: a jurisdiction outside the actor's own, or an
    enterprise outside the key's jurisdiction. The admin's form asks this before saving."""
    errors: dict[str, str] = {}
    if actor is not None and not path_visible(actor, jurisdiction.path):
        errors["jurisdiction"] = _("该辖区不在您的管辖范围内")
    if enterprise is not None and not enterprise.jurisdiction_path.startswith(jurisdiction.path):
        errors["enterprise"] = _("该企业不在此辖区内")
    if errors:
        raise ValidationError(errors)


def create_key(
    *,
    name: str,
    jurisdiction: Jurisdiction,
    enterprise: Enterprise | None = None,
    actor: Actor | None = None,
) -> tuple[Open311Key, str]:
    """Make a key for an Open311 client of `jurisdiction` (and, for an enterprise's own
    integration, of `enterprise`). Returns the row and the key; the key is not stored and
    cannot be shown again. `actor` is the administrator (None from the command line)."""
    name = _check_name(name)
    check_key_scope(jurisdiction=jurisdiction, enterprise=enterprise, actor=actor)
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        key = Open311Key.objects.create(
            name=name,
            jurisdiction=jurisdiction,
            enterprise=enterprise,
            prefix=raw[: len(KEY_PREFIX) + 4],
            key_hash=hash_key(raw),
        )
    log.info("open311 key %s (%s) created by %s", key.prefix, key.name, actor)
    return key, raw


def update_key(*, key: Open311Key, name: str, is_active: bool, actor: Actor | None) -> Open311Key:
    """Rename a key or switch it off (or on again). Its scope never changes: a client that
    needs another scope gets a new key."""
    name = _check_name(name)
    with transaction.atomic():
        locked = Open311Key.objects.select_for_update().get(pk=key.pk)
        if actor is not None and not path_visible(actor, locked.jurisdiction_path):
            raise ValidationError({"jurisdiction": _("该辖区不在您的管辖范围内")})
        locked.name, locked.is_active = name, is_active
        locked.save(update_fields=["name", "is_active", "updated_at"])
    log.info("open311 key %s updated by %s (active: %s)", locked.prefix, actor, is_active)
    return locked


def authenticate(raw: str, *, at: dt.datetime | None = None) -> Open311Key | None:
    """The active key `raw` is, or None; records the use. The key itself is who acts here, so
    there is no other actor."""
    if not raw or len(raw) > 200:
        return None
    key = (
        Open311Key.objects.select_related("jurisdiction", "enterprise")
        .filter(key_hash=hash_key(raw), is_active=True)
        .first()
    )
    if key is not None:
        key.last_used_at = at or timezone.now()
        Open311Key.objects.filter(pk=key.pk).update(last_used_at=key.last_used_at)
    return key
