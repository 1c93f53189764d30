"""Open311 keys in the Django admin: a key is made here (shown once, in the message after
saving) and can be switched off; it is never shown again or edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from . import actions
from .models import Open311Key


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    """Lists keys with their scope and last use; creating one prints the key once."""

    list_display = ["name", "prefix", "jurisdiction", "enterprise", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix"]
    raw_id_fields = ["enterprise"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["name", "jurisdiction", "enterprise"]
        return ["name", "jurisdiction", "enterprise", "is_active", "prefix", "created_at", "last_used_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The scope of an existing key does not change: make a new key instead.
        return [*self.readonly_fields, "jurisdiction", "enterprise"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Open311Key, form: Any, change: bool) -> None:
        if change:
            obj.save(update_fields=["name", "is_active", "updated_at"])
            return
        key, raw = actions.create_key(name=obj.name, jurisdiction=obj.jurisdiction, enterprise=obj.enterprise)
        obj.pk = key.pk
        obj.refresh_from_db()
        messages.warning(request, _("接口密钥（只显示这一次，请立即复制保存）：%(key)s") % {"key": raw})
