from django.contrib import admin

from .models import RetentionRun


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    """The retention log, read-only. (Download and deletion requests are not shown: they name a person.)"""

    list_display = ["started_at", "retention_days", "cutoff", "counts"]
    fields = ["started_at", "finished_at", "retention_days", "cutoff", "counts"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
