"""The page where coordinators and analysts make and revoke their API tokens."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from coordinators.access import account_required
from zelfscan.forms_util import posted_id

from . import tokens
from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What is the token for?"),
        help_text=gettext_lazy("For example: dashboard of the smart city programme."),
        max_length=80,
        error_messages={"required": gettext_lazy("Describe what the token is for.")},
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        min_value=1,
        max_value=tokens.MAX_DAYS,
        initial=90,
        error_messages={
            "required": gettext_lazy("Enter how many days the token stays valid."),
            "min_value": gettext_lazy("At least 1 day."),
            "max_value": gettext_lazy("At most 365 days."),
            "invalid": gettext_lazy("Enter a whole number of days."),
        },
    )


@account_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    status = 200
    if request.method == "POST" and "revoke" in request.POST:
        token = ApiToken.objects.filter(pk=posted_id(request.POST, "revoke"), user=request.user).first()
        if token is not None:
            tokens.revoke(token, request.user)
            messages.success(request, _("The token has been revoked."))
        return redirect("api_tokens")
    if request.method == "POST":
        status = 400
        if form.is_valid():
            _token, new_token = tokens.issue(request.user, form.cleaned_data["name"], form.cleaned_data["days"])
            form = TokenForm()
            status = 200
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": ApiToken.objects.filter(user=request.user),
        "municipalities": request.coordinator_of,
        "is_analyst": request.is_analyst,
    }
    page = render(request, "api/tokens.html", context, status=status)
    page["Cache-Control"] = "no-store"
    return page
