"""A municipality picker that works without JavaScript: a text input with a native datalist."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zelfscan import rows

from .models import Municipality
from .register import datalist_html, find

# Every registration looks its municipality up by code: the SQL is built once (zelfscan.rows).
_BY_CODE = rows.Select(Municipality, where=("cbs_code",))


class MunicipalityInput(forms.TextInput):
    template_name = "organisations/municipality_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id', name)}-options"
        context["widget"]["list_id"] = list_id
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["options_html"] = datalist_html()
        return context

    def format_value(self, value):
        if isinstance(value, Municipality):
            return value.common_name
        if isinstance(value, str) and value.startswith("GM") and len(value) == 6:
            municipality = Municipality.objects.filter(pk=value).first()
            return municipality.common_name if municipality else value
        return super().format_value(value)


class MunicipalityField(forms.CharField):
    widget = MunicipalityInput
    default_error_messages = {
        "unknown": _("We do not know a municipality called “%(value)s”. Check the spelling, or choose from the list."),
        "ambiguous": _("More than one municipality matches “%(value)s”: %(options)s. Type the full name."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "off")

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        result = find(text)
        found = _BY_CODE.first(result.code) if result.code else None
        if found is not None:
            return found
        if result.ambiguous:
            names = Municipality.objects.filter(pk__in=result.ambiguous).order_by("name").values_list("name", flat=True)
            raise forms.ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"value": text, "options": ", ".join(names)}
            )
        raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={"value": text})
