"""Small helpers for reading posted values safely."""


def posted_id(data, name: str) -> int | None:
    """A posted object id as an int, or None when missing or not a plain positive number (a
    tampered form then simply matches nothing instead of failing with a server error)."""
    value = (data.get(name) or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def email_field(label, *, autocomplete: str = "email", help_text="", required_message=None):
    """The e-mail address field of every form: one length, one set of plain-language messages."""
    from django import forms
    from django.utils.translation import gettext_lazy as _

    return forms.EmailField(
        label=label,
        max_length=254,
        help_text=help_text,
        error_messages={
            "required": required_message or _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address like name@municipality.nl."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
    )
