from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.forms import MunicipalityField


class CompareForm(forms.Form):
    """Up to two other municipalities to compare with."""

    first = MunicipalityField(label=_("First municipality to compare with"), required=False)
    second = MunicipalityField(label=_("Second municipality to compare with"), required=False)

    def chosen(self, own):
        result = []
        for municipality in (self.cleaned_data.get("first"), self.cleaned_data.get("second")):
            if municipality is not None and municipality != own and municipality not in result:
                result.append(municipality)
        return result
