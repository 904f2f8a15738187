"""The instrument in the admin: always read-only (content changes go through a new content file)."""

from django.contrib import admin

from .models import InstrumentVersion, Statement, Theme


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ThemeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Theme
    fields = ["key", "position", "title"]
    readonly_fields = fields
    extra = 0


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["version", "published_at", "predecessor"]
    readonly_fields = [
        "version",
        "title",
        "languages",
        "preconditions",
        "predecessor",
        "content_sha256",
        "published_at",
    ]
    inlines = [ThemeInline]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["key", "version", "position", "precondition", "lineage", "comparable"]
    list_filter = ["version", "precondition"]
    readonly_fields = [
        "version",
        "theme",
        "key",
        "position",
        "precondition",
        "topic",
        "text",
        "levels",
        "lineage",
        "predecessor_key",
        "comparable",
    ]
