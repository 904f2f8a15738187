from django import forms
from django.utils.translation import gettext_lazy as _


class GroupsForm(forms.Form):
    """The view of the department and role page (a GET form)."""

    by = forms.ChoiceField(
        label=_("Show by"),
        choices=[("department", _("Department")), ("domain", _("Domain")), ("role", _("Role"))],
        initial="department",
        error_messages={
            "required": _("Choose department, domain or role."),
            "invalid_choice": _("Choose department, domain or role."),
        },
    )
    scale = forms.ChoiceField(
        label=_("Level"),
        choices=[("current", _("Now")), ("desired", _("In 3 to 5 years"))],
        initial="current",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose now or in 3 to 5 years."),
            "invalid_choice": _("Choose now or in 3 to 5 years."),
        },
    )
