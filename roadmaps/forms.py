from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RoadmapItem
from .services import FIELDS

LEVEL_CHOICES = [(level, str(level)) for level in range(1, 6)]


class ItemForm(forms.ModelForm):
    """One roadmap item. The owner is chosen from the municipality's departments when it keeps a
    list (a value no longer on the list stays choosable), else typed."""

    class Meta:
        model = RoadmapItem
        fields = FIELDS
        widgets = {
            "horizon": forms.RadioSelect,
            "actions": forms.Textarea(attrs={"rows": 8}),
            "budget": forms.TextInput,
            "partners": forms.TextInput,
            "indicator": forms.TextInput,
        }
        help_texts = {
            "actions": _("Filled in with what the next levels ask. Change it into your own actions."),
            "indicator": _(
                "How you will see that it works, for example: the council receives a yearly progress report."
            ),
            "partners": _("Departments, organisations or municipalities you work with on this."),
        }
        error_messages = {
            "target_level": {"required": _("Choose a target level from 1 to 5.")},
            "horizon": {
                "required": _("Choose when the target should be reached."),
                "invalid_choice": _("Choose when the target should be reached."),
            },
            "status": {"required": _("Choose a status."), "invalid_choice": _("Choose a status.")},
            "actions": {
                "max_length": _("Keep the actions to at most %(limit_value)d characters (now %(show_value)d).")
            },
        }

    def __init__(self, *args, departments: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_level"] = forms.TypedChoiceField(
            label=_("Target level"),
            choices=LEVEL_CHOICES,
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choose a target level from 1 to 5."),
                "invalid_choice": _("Choose a target level from 1 to 5."),
            },
        )
        if departments:
            names = list(departments)
            current = self.instance.owner if self.instance else ""
            if current and current not in names:
                names.append(current)
            self.fields["owner"] = forms.ChoiceField(
                label=_("Owner (department)"),
                choices=[("", _("No owner yet"))] + [(name, name) for name in names],
                required=False,
                error_messages={"invalid_choice": _("Choose a department from the list.")},
            )
        else:
            self.fields["owner"].help_text = _(
                "Your municipality keeps no list of departments yet: type the department."
            )
        self.fields["horizon"].choices = RoadmapItem.Horizon.choices
