import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from organisations.forms import MunicipalityField

from .choices import Domain, Role
from .models import DONT_KNOW

FIELD_NAME = re.compile(r"^(?P<key>.+)-(?P<part>current|desired|note)$")
LEVEL_VALUES = ["1", "2", "3", "4", "5", str(DONT_KNOW)]
LOADED_SUFFIX = "-was"


class RegistrationForm(forms.Form):
    email = forms.EmailField(
        label=_("Your work e-mail address"),
        max_length=254,
        help_text=_("We send your personal link here. Your answers count only after you open that link."),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address like name@municipality.nl."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    municipality = MunicipalityField(
        label=_("Your municipality"),
        help_text=_("Type the name and choose from the list, for example Den Haag or Súdwest-Fryslân."),
        error_messages={"required": _("Enter the municipality you work for.")},
    )
    domain = forms.ChoiceField(
        label=_("Domain or department you work in"),
        choices=[("", _("Choose…")), *Domain.choices],
        error_messages={
            "required": _("Choose the domain or department you work in."),
            "invalid_choice": _("Choose a domain from the list."),
        },
    )
    role = forms.ChoiceField(
        label=_("Your role"),
        choices=[("", _("Choose…")), *Role.choices],
        error_messages={"required": _("Choose your role."), "invalid_choice": _("Choose a role from the list.")},
    )
    language = forms.ChoiceField(
        label=_("Language for the questions, e-mails and your report"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Choose Dutch or English.")},
    )


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address like name@municipality.nl."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class TamperedForm(Exception):
    """The post names a statement that is not on this page: refuse it without saving anything."""


class ThemeForm(forms.Form):
    """The answers to the statements of one theme: a level (or don't know) now and in 3-5 years,
    and a note. Empty means "no change", so nothing saved before is ever erased."""

    def __init__(self, *args, statements, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = list(statements)
        level_error = _("Choose a level from 1 to 5, or “I don't know”.")
        for statement in self.statements:
            for scale in ("current", "desired"):
                self.fields[f"{statement.key}-{scale}"] = forms.TypedChoiceField(
                    choices=[(v, v) for v in LEVEL_VALUES],
                    widget=forms.RadioSelect,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    error_messages={"invalid_choice": level_error},
                )
            self.fields[f"{statement.key}-note"] = forms.CharField(
                required=False,
                max_length=settings.ZELFSCAN_NOTE_MAX_LENGTH,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": _("A note can be at most %(limit_value)d characters (you typed %(show_value)d).")
                },
            )

    def check_tampering(self) -> None:
        keys = {s.key for s in self.statements}
        for name in self.data:
            found = FIELD_NAME.match(name)
            if found and found.group("key") not in keys:
                raise TamperedForm(name)

    def _changed(self, name: str) -> bool:
        """Whether the respondent changed this field on this page. The page carries the values
        it was loaded with (NAME-was), so a stale page on a second device only saves what was
        changed on it, and never undoes a save made elsewhere in the meantime."""
        if name not in self.data:
            return False
        loaded_name = f"{name}{LOADED_SUFFIX}"
        if loaded_name not in self.data:
            return True
        normalise = lambda value: (value or "").replace("\r\n", "\n").strip()  # noqa: E731
        return normalise(self.data.get(name)) != normalise(self.data.get(loaded_name))

    def answers(self) -> dict[int, dict]:
        """{statement_id: {"current", "desired", "note"}}; None where nothing was changed."""
        result = {}
        for statement in self.statements:
            values = {}
            for part in ("current", "desired", "note"):
                name = f"{statement.key}-{part}"
                values[part] = self.cleaned_data.get(name) if self._changed(name) else None
            result[statement.id] = values
        return result
