from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ContactRequest


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactRequest
        fields = ["name", "email", "organisation", "topic", "message"]
        labels = {
            "name": _("Your name"),
            "email": _("Your e-mail address"),
            "organisation": _("Organisation"),
            "topic": _("What is your request about?"),
            "message": _("Your message"),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "topic": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "name": {"required": _("Enter your name.")},
            "email": {
                "required": _("Enter your e-mail address."),
                "invalid": _("Enter an e-mail address like name@municipality.nl."),
            },
            "organisation": {"required": _("Enter your organisation, for example your municipality.")},
            "message": {
                "required": _("Write your message."),
                "max_length": _("Your message can be at most %(limit_value)d characters (you typed %(show_value)d)."),
            },
        }
