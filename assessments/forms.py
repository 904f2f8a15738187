import re
from types import SimpleNamespace

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from organisations.forms import MunicipalityField
from zelfscan.forms_util import email_field

from .choices import Domain, Role
from .models import DONT_KNOW

FIELD_NAME = re.compile(r"^(?P<key>.+)-(?P<part>current|desired|note)$")
LEVEL_VALUES = ["1", "2", "3", "4", "5", str(DONT_KNOW)]
LOADED_SUFFIX = "-was"


class RegistrationForm(forms.Form):
    email = email_field(
        _("Your work e-mail address"),
        help_text=_("We send your personal link here. Your answers count only after you open that link."),
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
    email = email_field(_("E-mail address"))


class TamperedForm(Exception):
    """The post names a statement that is not on this page: refuse it without saving anything."""


LEVEL_ERROR = _("Choose a level from 1 to 5, or “I don't know”.")
NOTE_TOO_LONG = _("A note can be at most %(limit_value)d characters (you typed %(show_value)d).")
PARTS = ("current", "desired", "note")


class ThemePost:
    """The answers posted from one theme page: a level (or don't know) now and in 3-5 years, and a
    note per statement. Empty means "no change", so nothing saved before is ever erased.

    Plain checks rather than a Django form: the theme page is saved six times per respondent, and
    building a form of 3 fields per statement cost more than the rest of the save. The rules are a
    form's: a level is one of LEVEL_VALUES or empty; a note is stripped, at most
    ZELFSCAN_NOTE_MAX_LENGTH characters and without null characters (Django's own validators)."""

    def __init__(self, data, statements):
        self.data = data
        self.statements = list(statements)
        self.errors: dict[str, list[str]] = {}
        self.cleaned: dict[str, object] = {}
        self._check_tampering()
        for statement in self.statements:
            for scale in ("current", "desired"):
                self._clean_level(f"{statement.key}-{scale}")
            self._clean_note(f"{statement.key}-note")

    def _check_tampering(self) -> None:
        keys = {s.key for s in self.statements}
        for name in self.data:
            found = FIELD_NAME.match(name)
            if found and found.group("key") not in keys:
                raise TamperedForm(name)

    def _clean_level(self, name: str) -> None:
        raw = self.data.get(name)
        if raw is None or raw == "":
            self.cleaned[name] = None
        elif raw in LEVEL_VALUES:
            self.cleaned[name] = int(raw)
        else:
            self.errors[name] = [str(LEVEL_ERROR)]

    def _clean_note(self, name: str) -> None:
        raw = self.data.get(name)
        note = "" if raw is None else raw.strip()
        messages = []
        if note:
            limit = settings.ZELFSCAN_NOTE_MAX_LENGTH
            if len(note) > limit:
                messages.append(NOTE_TOO_LONG % {"limit_value": limit, "show_value": len(note)})
            try:
                ProhibitNullCharactersValidator()(note)
            except ValidationError as error:
                messages.extend(error.messages)
        if messages:
            self.errors[name] = messages
        else:
            self.cleaned[name] = note

    def is_valid(self) -> bool:
        return not self.errors

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
            for part in PARTS:
                name = f"{statement.key}-{part}"
                values[part] = self.cleaned.get(name) if self._changed(name) else None
            result[statement.id] = values
        return result


class ThemeErrors:
    """The theme page's errors as includes/error_summary.html reads a form's: fields in page order,
    each with its messages and the id its link points at (a scale's first radio, or the note)."""

    def __init__(self, statements, errors: dict[str, list[str]]):
        self.errors = errors
        self.statements = statements

    def non_field_errors(self) -> list:
        return []

    def __iter__(self):
        for statement in self.statements:
            for part in PARTS:
                name = f"{statement.key}-{part}"
                widget = SimpleNamespace(input_type="textarea" if part == "note" else "radio")
                yield SimpleNamespace(
                    auto_id=f"id_{name}", errors=self.errors.get(name, []), field=SimpleNamespace(widget=widget)
                )
