from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "kind", "status", "owner", "jurisdiction", "processed", "total", "created_at")
    list_filter = ("kind", "status")
    readonly_fields = ("created_at", "updated_at", "finished_at")
