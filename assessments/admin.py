"""Respondents in the admin: masked address and metadata only; never levels or notes."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import AccessToken, Response


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["masked_email", "municipality", "language", "created_at", "submitted_at", "confirmed", "is_demo"]
    list_filter = ["is_demo", "language", "instrument_version", ("submitted_at", admin.EmptyFieldListFilter)]
    search_fields = ["municipality__common_name"]
    fields = [
        "masked_email",
        "municipality",
        "instrument_version",
        "domain",
        "role",
        "language",
        "is_demo",
        "created_at",
        "email_confirmed_at",
        "submitted_at",
        "counted_at",
        "superseded_at",
    ]
    readonly_fields = fields
    actions = ["revoke_links"]

    @admin.display(description=_("e-mail address"))
    def masked_email(self, obj):
        return obj.masked_email

    @admin.display(boolean=True, description=_("address confirmed"))
    def confirmed(self, obj):
        return obj.email_confirmed_at is not None

    @admin.action(description=_("Revoke all personal and report links of the selected responses"))
    def revoke_links(self, request, queryset):
        count = AccessToken.objects.filter(response__in=queryset, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        message = ngettext("%(count)d link revoked.", "%(count)d links revoked.", count) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)

    def lookup_allowed(self, lookup, value, request=None):
        # Only the list filters: a hand-made ?email__startswith=... would unmask addresses.
        return lookup.split("__")[0] in {"is_demo", "language", "instrument_version", "submitted_at"}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
