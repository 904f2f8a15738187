from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form, refused before any password is checked when `views.admin_login`
    found too many failed attempts for this username or from this network."""

    def clean(self):
        refused = getattr(self.request, "throttle_refusal", None)
        if refused is not None:
            message = ngettext(
                "Too many failed login attempts. Please try again in %(minutes)s minute.",
                "Too many failed login attempts. Please try again in %(minutes)s minutes.",
                refused.minutes,
            )
            raise ValidationError(message, code="throttled", params={"minutes": refused.minutes})
        return super().clean()
