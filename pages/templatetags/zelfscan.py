from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def field_widget(field, extra_class=""):
    """Render a form field's widget with the ids of its hint and error, as NL Design System forms do."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if extra_class:
        attrs["class"] = extra_class
    return field.as_widget(attrs=attrs)


@register.filter
def level_name(value):
    """A saved level for display: "3", "I don't know" or "not answered"."""
    if value is None or value == "":
        return _("not answered")
    if str(value) == "0":
        return _("I don't know")
    return str(value)


@register.filter
def signed(value):
    if value is None:
        return ""
    return f"+{value}" if value > 0 else str(value)


@register.filter
def decimal_comma(value):
    """One-decimal figures in the Dutch way (2,5) when the page is Dutch."""
    from django.utils import translation

    if value is None:
        return "–"
    text = str(value)
    return text.replace(".", ",") if translation.get_language() == "nl" else text
