"""The Django admin is for looking, not for changing: rows that have actions are changed only
through them (the pages, the API, the management commands), where scoping, validation and the
history are kept. `ReadOnlyAdmin` is the base for every such model's admin."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ExportRecord, Job


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Browse and search, never add, change or delete."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "kind", "status", "owner", "jurisdiction", "processed", "total", "created_at")
    list_filter = ("kind", "status")


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdmin):
    """The export log, append-only: read here, written only by the download every export takes."""

    list_display = ("at", "username", "title", "rows", "jurisdiction", "roles")
    list_filter = ("export",)
    search_fields = ("username", "title", "query")
