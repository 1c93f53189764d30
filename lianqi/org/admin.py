"""Organisation rows in the Django admin, to browse: they change through `lianqi.org.actions`."""

from django.contrib import admin

from lianqi.core.admin import ReadOnlyAdmin

from .models import Department, Jurisdiction, Staff


@admin.register(Jurisdiction)
class JurisdictionAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "level", "path")
    list_filter = ("level",)
    search_fields = ("name", "code")
    readonly_fields = ("path", "depth")


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "jurisdiction", "industry_prefixes", "order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "short_name")
    autocomplete_fields = ("jurisdiction",)


@admin.register(Staff)
class StaffAdmin(ReadOnlyAdmin):
    list_display = ("name", "jurisdiction", "department", "tier", "phone", "is_active")
    list_filter = ("tier", "is_active")
    search_fields = ("name", "phone")
    autocomplete_fields = ("jurisdiction", "department", "user")
