from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods

from mailing.outbox import queue_mail
from throttling import services as throttle
from throttling.shortcuts import refuse

from .forms import ContactForm


@require_http_methods(["GET", "POST"])
def contact(request):
    if request.method == "POST":
        form = ContactForm(request.POST)
        valid = form.is_valid()
        decision = throttle.attempt(request, "contact", address=form.cleaned_data["email"] if valid else "")
        if not decision.allowed:
            return refuse(request, "contact/contact.html", {"form": form}, decision)
        if valid:
            with transaction.atomic():
                contact_request = form.save(commit=False)
                contact_request.language = translation.get_language()
                contact_request.save()
                admin_url = settings.SITE_URL + reverse(
                    "admin:contact_contactrequest_change", args=[contact_request.pk]
                )
                queue_mail(
                    settings.ZELFSCAN_CONTACT_EMAIL,
                    "contact/email/notification",
                    {"request": contact_request, "admin_url": admin_url},
                    settings.LANGUAGE_CODE,
                    kind="contact_notification",
                )
                # The confirmation quotes none of the sender's text, so the form cannot be used to
                # send arbitrary text to arbitrary addresses.
                queue_mail(
                    contact_request.email,
                    "contact/email/confirmation",
                    {},
                    contact_request.language,
                    kind="contact_confirmation",
                )
            return redirect("contact:sent")
        status = 400
    else:
        form = ContactForm()
        status = 200
    return render(request, "contact/contact.html", {"form": form}, status=status)


def sent(request):
    return render(request, "contact/sent.html")
