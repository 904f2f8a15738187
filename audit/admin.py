from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log can be searched but never edited or emptied from the admin."""

    list_display = ["at", "action", "actor", "target", "municipality"]
    list_filter = ["action"]
    search_fields = ["action", "municipality"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
