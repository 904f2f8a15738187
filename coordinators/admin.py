"""Administrators grant and revoke the coordinator role here; every change goes through the
services (so it is audit-logged) and addresses are masked in lists."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality
from zelfscan.privacy import mask_email

from . import services
from .models import CoordinatorRole, LoginSession


class GrantRoleForm(forms.ModelForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=[("nl", _("Dutch")), ("en", _("English"))])

    class Meta:
        model = CoordinatorRole
        fields = ["municipality"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(active=True)


@admin.register(CoordinatorRole)
class CoordinatorRoleAdmin(admin.ModelAdmin):
    list_display = ["account", "municipality", "granted_at", "granted_by", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["municipality__common_name"]
    actions = ["revoke"]
    form = GrantRoleForm

    @admin.display(description=_("account"))
    def account(self, obj):
        return f"#{obj.user_id} {mask_email(obj.user.email)}"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "municipality")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        role = services.grant_role(
            form.cleaned_data["email"],
            form.cleaned_data["municipality"],
            granted_by=request.user,
            language=form.cleaned_data["language"],
        )
        obj.pk = role.pk

    @admin.action(description=_("Revoke the selected roles"))
    def revoke(self, request, queryset):
        for role in queryset.filter(revoked_at__isnull=True):
            services.revoke_role(role, revoked_by=request.user)
        self.message_user(request, _("The selected roles have been revoked."), messages.SUCCESS)

    def lookup_allowed(self, lookup, value, request=None):
        return lookup.split("__")[0] in {"revoked_at", "municipality"}


@admin.register(LoginSession)
class LoginSessionAdmin(admin.ModelAdmin):
    """Administrators can end a coordinator's sessions (a lost laptop)."""

    list_display = ["user_id", "started_at", "last_seen_at", "ended_at"]
    list_filter = [("ended_at", admin.EmptyFieldListFilter)]
    fields = ["user_id", "started_at", "last_seen_at", "ended_at"]
    readonly_fields = fields
    actions = ["end"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("End the selected sessions"))
    def end(self, request, queryset):
        from django.utils import timezone

        count = queryset.filter(ended_at__isnull=True).update(ended_at=timezone.now())
        self.message_user(request, _("%(count)d sessions ended.") % {"count": count}, messages.SUCCESS)
