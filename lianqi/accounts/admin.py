from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from lianqi.core.admin import ReadOnlyAdmin

from .models import User


@admin.register(User)
class UserAdmin(ReadOnlyAdmin, DjangoUserAdmin):  # type: ignore[misc]
    """Accounts to browse: they are made, bound and switched off through `lianqi.accounts.actions`
    (the user pages), which keep roles, scope and bindings consistent."""

    list_display = ("username", "display_name", "jurisdiction", "enterprise", "is_active", "last_login")
    list_filter = ("is_active", "is_superuser", "groups")
    search_fields = ("username", "display_name", "phone")
    autocomplete_fields = ("jurisdiction",)
    raw_id_fields = ("enterprise",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (_("联企"), {"fields": ("display_name", "phone", "jurisdiction", "enterprise", "institution")}),
    )
