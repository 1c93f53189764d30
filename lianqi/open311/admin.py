"""Open311 keys in the Django admin: a key is made here (shown once, in the message after
saving), renamed or switched off; it is never shown again, its scope never changes and it is
not deleted (switch it off instead). Every save goes through `lianqi.open311.actions`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lianqi.core.actors import acting_user
from lianqi.core.forms import add_action_errors
from lianqi.core.scoping import scope_queryset

from . import actions
from .models import Open311Key


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Lists the keys of the administrator's jurisdiction with their scope and last use;
    creating one prints the key once."""

    list_display = ["name", "prefix", "jurisdiction", "enterprise", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix"]
    raw_id_fields = ["enterprise"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Open311Key]:
        return scope_queryset(super().get_queryset(request), request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Requests filed with a key keep pointing at who filed them: switch it off instead.
        return False

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["name", "jurisdiction", "enterprise"]
        return ["name", "jurisdiction", "enterprise", "is_active", "prefix", "created_at", "last_used_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The scope of an existing key does not change: make a new key instead.
        return [*self.readonly_fields, "jurisdiction", "enterprise"] if obj is not None else []

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form
        actor = acting_user(request)

        class NewKeyForm(form):  # type: ignore[misc,valid-type]
            """Refuses a scope the administrator may not give next to its field, before the
            action is called, so the admin never answers with an error page."""

            def clean(self) -> dict[str, Any]:
                data: dict[str, Any] = super().clean()
                if data.get("jurisdiction") is not None:
                    try:
                        actions.check_key_scope(
                            jurisdiction=data["jurisdiction"], enterprise=data.get("enterprise"), actor=actor
                        )
                    except ValidationError as exc:
                        add_action_errors(self, exc)
                return data

        return NewKeyForm

    def save_model(self, request: HttpRequest, obj: Open311Key, form: forms.ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        if change:
            actions.update_key(key=obj, name=obj.name, is_active=obj.is_active, actor=acting_user(request))
            return
        key, raw = actions.create_key(
            name=obj.name,
            jurisdiction=obj.jurisdiction,
            enterprise=obj.enterprise,
            actor=acting_user(request),
        )
        obj.pk = key.pk
        obj.refresh_from_db()
        messages.warning(request, _("接口密钥（只显示这一次，请立即复制保存）：%(key)s") % {"key": raw})
