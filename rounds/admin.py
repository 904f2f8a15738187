"""Rounds in the admin. Invitees: masked address, name and status only (privacy-model.md)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Department, Invitation, Round


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "kind", "opens_on", "closes_on", "invite_only", "closed_at"]
    list_filter = ["kind", "invite_only"]
    search_fields = ["name", "municipality__common_name"]
    readonly_fields = ["kind", "municipality", "created_at", "created_by", "closed_at"]

    def has_add_permission(self, request):
        return False  # coordinators open rounds; continuous rounds make themselves

    def has_delete_permission(self, request, obj=None):
        return False  # answers belong to their round


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["masked_email", "name", "round", "status_label", "reminders_sent"]
    fields = ["masked_email", "name", "round", "department", "role", "language", "invited_at", "reminders_sent"]
    readonly_fields = fields
    search_fields = ["round__name", "round__municipality__common_name"]

    @admin.display(description=_("e-mail address"))
    def masked_email(self, obj):
        from zelfscan.privacy import mask_email

        return mask_email(obj.email)

    @admin.display(description=_("status"))
    def status_label(self, obj):
        return obj.get_status_display()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("round__municipality", "response")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def lookup_allowed(self, lookup, value, request=None):
        return lookup.split("__")[0] in {"round"}


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    search_fields = ["name", "municipality__common_name"]
