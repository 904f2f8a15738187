from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see and revoke tokens; they never see a token's value (only its hash exists)."""

    list_display = ["prefix", "name", "user_id", "created_at", "expires_at", "last_used_at", "revoked_at"]
    fields = ["prefix", "name", "user_id", "scopes", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        from . import tokens

        for token in queryset:
            tokens.revoke(token, request.user)
