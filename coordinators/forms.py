from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from coordinators.models import CoordinatorRole
from mailing.outbox import queue_mail
from zelfscan.forms_util import email_field


class LoginForm(forms.Form):
    email = email_field(_("E-mail address"), autocomplete="username")
    password = forms.CharField(
        label=_("Password"),
        max_length=200,
        strip=False,
        error_messages={"required": _("Enter your password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        help_text=_("6 digits, for example 123456. The code changes every 30 seconds."),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=8,
        error_messages={
            "required": _("Enter the 6-digit code from your authenticator app."),
            "invalid": _("The code has 6 digits, for example 123456."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def token(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class GrantForm(forms.Form):
    email = email_field(
        _("E-mail address of the new coordinator"),
        autocomplete="off",
        required_message=_("Enter the e-mail address of the colleague."),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mail"),
        choices=[("nl", _("Dutch")), ("en", _("English"))],
        initial="nl",
        widget=forms.RadioSelect,
    )


class CoordinatorPasswordResetForm(PasswordResetForm):
    """Django's password reset, for coordinator accounts (also those that have no password yet),
    sent through the outbox."""

    def get_users(self, email):
        from .models import AnalystRole

        address = email.strip()
        roles = CoordinatorRole.objects.filter(
            user__username__iexact=address, user__is_active=True, revoked_at__isnull=True
        ).select_related("user")
        analysts = AnalystRole.objects.filter(
            user__username__iexact=address, user__is_active=True, revoked_at__isnull=True
        ).select_related("user")
        return {role.user for role in roles} | {role.user for role in analysts}

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        from django.utils import translation

        from .services import reset_link

        queue_mail(
            to_email,
            "coordinators/email/password_reset",
            {"link": reset_link(context["uid"], context["token"])},
            translation.get_language() or "nl",
            kind="password_reset",
        )
