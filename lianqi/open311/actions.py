"""Writes of the Open311 app: making a key (the only moment the key itself exists outside the
client) and noting when a key was last used."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Jurisdiction

from .models import Open311Key

#: Every key starts with this, so a leaked key is recognisable (secret scanners, logs).
KEY_PREFIX = "lq311_"


def hash_key(raw: str) -> str:
    """The stored form of a key. Keys are 256 random bits, so a plain SHA-256 cannot be
    reversed by guessing; a slow password hash would only slow down every request."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create_key(
    *, name: str, jurisdiction: Jurisdiction, enterprise: Enterprise | None = None
) -> tuple[Open311Key, str]:
    """Make a key for an Open311 client of `jurisdiction` (and, for an enterprise's own
    integration, of `enterprise`). Returns the row and the key; the key is not stored and
    cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写密钥名称")})
    if enterprise is not None and not enterprise.jurisdiction_path.startswith(jurisdiction.path):
        raise ValidationError({"enterprise": _("该企业不在此辖区内")})
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        key = Open311Key.objects.create(
            name=name,
            jurisdiction=jurisdiction,
            enterprise=enterprise,
            prefix=raw[: len(KEY_PREFIX) + 4],
            key_hash=hash_key(raw),
        )
    return key, raw


def authenticate(raw: str, *, at: dt.datetime | None = None) -> Open311Key | None:
    """The active key `raw` is, or None; records the use."""
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
