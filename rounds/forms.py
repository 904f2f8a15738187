import datetime

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.choices import Domain, Role
from instrument.models import InstrumentVersion

from . import services
from .invitees import MAX_BYTES
from .models import Department, Round

LANGUAGE_CHOICES = [("nl", _("Dutch")), ("en", _("English"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["name", "opens_on", "closes_on", "instrument_version", "invite_only", "grace_days"]
        labels = {"name": _("Name of the round"), "instrument_version": _("Version of the statements")}
        help_texts = {"name": _("For example: Spring 2027, or Before the roadmap session.")}
        widgets = {"opens_on": DateInput(), "closes_on": DateInput()}
        error_messages = {
            "name": {"required": _("Give the round a name.")},
            "opens_on": {
                "required": _("Enter the date the round opens."),
                "invalid": _("Enter a date like 2027-03-01."),
            },
            "closes_on": {
                "required": _("Enter the date the round closes."),
                "invalid": _("Enter a date like 2027-03-31."),
            },
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["opens_on"].required = True
        self.fields["closes_on"].required = True
        self.fields["grace_days"].validators.append(MaxValueValidator(60))
        self.fields["grace_days"].widget.attrs.update({"min": 0, "max": 60})
        self.fields["instrument_version"].queryset = InstrumentVersion.objects.order_by("-published_at", "-pk")
        self.fields["instrument_version"].empty_label = _("The current version")
        self.fields["instrument_version"].required = False

    def clean(self):
        data = super().clean()
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on:
            today = timezone.localdate()
            if opens_on < today:
                self.add_error("opens_on", _("A new round cannot open in the past."))
            elif closes_on < opens_on:
                self.add_error("closes_on", _("The closing date must be on or after the opening date."))
            elif closes_on - opens_on > datetime.timedelta(days=366):
                self.add_error("closes_on", _("A round lasts at most a year."))
            else:
                clash = services.overlapping_round(self.municipality, opens_on, closes_on, exclude_pk=self.instance.pk)
                if clash is not None:
                    self.add_error(
                        "opens_on",
                        _("This period overlaps the round “%(name)s”. Rounds of one municipality cannot overlap.")
                        % {"name": clash.name},
                    )
        return data


class PasteForm(forms.Form):
    addresses = forms.CharField(
        label=_("E-mail addresses"),
        help_text=_("One per line, or separated by commas or semicolons. At most 2,000."),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        error_messages={"required": _("Paste at least one e-mail address.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=LANGUAGE_CHOICES, initial="nl", widget=forms.RadioSelect
    )


class CsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "A header row with the columns e-mail, name, department, role and language (only e-mail is "
            "required); separated by commas or semicolons; at most 1 MB and 2,000 rows."
        ),
        error_messages={"required": _("Choose a CSV file."), "empty": _("The file is empty.")},
    )
    language = forms.ChoiceField(
        label=_("Language for rows without a language"),
        choices=LANGUAGE_CHOICES,
        initial="nl",
        widget=forms.RadioSelect,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB. Split it into smaller files."))
        return upload


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name"]
        labels = {"name": _("Name of the department")}
        error_messages = {"name": {"required": _("Enter the name of the department.")}}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if Department.objects.filter(municipality=self.municipality, name__iexact=name).exists():
            raise forms.ValidationError(_("This department is already on the list."))
        return name


class AcceptForm(forms.Form):
    """The invitee confirms their details before starting."""

    name = forms.CharField(label=_("Your name (optional)"), max_length=120, required=False)
    department = forms.ChoiceField(label=_("Your department"), required=False)
    domain = forms.ChoiceField(
        label=_("Which area do you work in?"),
        choices=[("", _("Choose an area"))] + list(Domain.choices),
        error_messages={
            "required": _("Choose the area you work in."),
            "invalid_choice": _("Choose an area from the list."),
        },
    )
    role = forms.ChoiceField(
        label=_("What is your role?"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your role."), "invalid_choice": _("Choose a role from the list.")},
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        if departments:
            self.fields["department"].choices = [("", _("Not listed, or I prefer not to say"))] + [
                (name, name) for name in departments
            ]
        else:
            del self.fields["department"]
