from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zelfscan.privacy import mask_email

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Delivery status only: the recipient is masked and the body (which may hold a link) is never shown."""

    list_display = ["kind", "masked_to", "language", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind"]
    fields = [
        "kind",
        "masked_to",
        "subject",
        "language",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("recipient"))
    def masked_to(self, obj):
        return mask_email(obj.to)

    def lookup_allowed(self, lookup, value, request=None):
        # Only the list filters: ?body__contains=... would find personal links in unsent mail.
        return lookup.split("__")[0] in {"status", "kind"}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
