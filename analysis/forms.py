from django import forms
from django.utils.translation import gettext_lazy as _

from .catalogue import NATIONAL


class SelectionForm(forms.Form):
    """Which group and instrument version the analysis page and its exports show (GET)."""

    group = forms.ChoiceField(label=_("Group of municipalities"), required=False)
    version = forms.ChoiceField(label=_("Instrument version"), required=False)

    def __init__(self, data, *, groups, versions):
        super().__init__(data)
        self.groups = {group.key: group for group in groups}
        self.versions = {version.version: version for version in versions}
        self.fields["group"].choices = [(group.key, group.label()) for group in groups]
        self.fields["version"].choices = [(v.version, v.version) for v in reversed(versions)]
        self.fields["group"].error_messages["invalid_choice"] = _("Choose a group from the list.")
        self.fields["version"].error_messages["invalid_choice"] = _("Choose an instrument version from the list.")

    def selected(self, current_version):
        """(group, version) chosen, with the national group and the current version as defaults."""
        group = self.groups[self.cleaned_data.get("group") or NATIONAL]
        version = self.versions.get(self.cleaned_data.get("version")) or current_version
        return group, version
