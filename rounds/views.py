"""Rounds for coordinators (open, follow, invite, remind, departments) and the invitee's link."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assessments.choices import Role
from assessments.views import open_response
from coordinators.access import for_municipality, for_round
from coordinators.services import actor_label
from zelfscan.forms_util import posted_id
from zelfscan.privacy import never_cached

from . import services
from .forms import AcceptForm, CsvForm, DepartmentForm, PasteForm, RoundForm
from .invitees import parse_csv, parse_pasted
from .models import Department, Invitation, Round


@for_municipality
@require_http_methods(["GET", "POST"])
def new_round(request, municipality):
    form = RoundForm(request.POST or None, municipality=municipality)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            round_ = form.save(commit=False)
            round_.municipality = municipality
            round_.kind = Round.Kind.NAMED
            round_.created_by = actor_label(request.user)
            round_.save()
            from audit.services import record

            record("round.opened", actor=round_.created_by, target=f"round#{round_.pk}", municipality=municipality.pk)
            messages.success(request, _("The round has been created. Now invite your colleagues."))
            return redirect("rounds:detail", round_id=round_.pk)
    return render(request, "rounds/new.html", {"form": form, "municipality": municipality}, status=status)


def _status_counts(invitations) -> dict:
    counts = {status: 0 for status in Invitation.Status.values}
    for invitation in invitations:
        counts[invitation.status] += 1
    return counts


def _detail(request, round_, *, paste_form=None, csv_form=None, report=None, status=200):
    invitations = list(round_.invitations.select_related("response").order_by("email"))
    context = {
        "round": round_,
        "municipality": round_.municipality,
        "invitations": invitations,
        "counts": _status_counts(invitations),
        "paste_form": paste_form or PasteForm(),
        "csv_form": csv_form or CsvForm(),
        "report": report,
        "roles": Role.choices,
        "can_invite": round_.accepts_answers() or round_.state() == Round.State.SCHEDULED,
    }
    return render(request, "rounds/detail.html", context, status=status)


@for_round
def detail(request, round_):
    return _detail(request, round_)


def _invite(request, round_, parsed, **forms):
    if not (round_.accepts_answers() or round_.state() == Round.State.SCHEDULED):
        messages.error(request, _("This round has closed: nobody can be invited any more."))
        return redirect("rounds:detail", round_id=round_.pk)
    result = services.invite(round_, parsed.invitees, invited_by=actor_label(request.user))
    report = {
        "errors": parsed.errors,
        "invited": len(result.invited),
        "already": result.already,
        "departments_added": result.departments_added,
    }
    if result.invited:
        messages.success(
            request,
            ngettext(
                "%(count)d colleague has been invited.", "%(count)d colleagues have been invited.", len(result.invited)
            )
            % {"count": len(result.invited)},
        )
    if not parsed.errors:
        return redirect("rounds:detail", round_id=round_.pk)
    return _detail(request, round_, report=report, status=400 if not result.invited else 200, **forms)


@for_round
@require_POST
def invite_pasted(request, round_):
    form = PasteForm(request.POST)
    if not form.is_valid():
        return _detail(request, round_, paste_form=form, status=400)
    parsed = parse_pasted(form.cleaned_data["addresses"], form.cleaned_data["language"])
    return _invite(request, round_, parsed, paste_form=form)


@for_round
@require_POST
def invite_csv(request, round_):
    form = CsvForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, round_, csv_form=form, status=400)
    parsed = parse_csv(form.cleaned_data["file"].read(), form.cleaned_data["language"])
    return _invite(request, round_, parsed)


@for_round
@require_POST
def remind(request, round_):
    sent = services.send_reminders(round_, by=actor_label(request.user))
    if sent:
        messages.success(
            request,
            ngettext("%(count)d reminder has been sent.", "%(count)d reminders have been sent.", sent)
            % {"count": sent},
        )
    else:
        messages.info(request, _("Nobody needed a reminder now (at most one every 3 days, 3 in all)."))
    return redirect("rounds:detail", round_id=round_.pk)


@for_municipality
@require_http_methods(["GET", "POST"])
def departments(request, municipality):
    form = DepartmentForm(request.POST or None, municipality=municipality)
    status = 200
    if request.method == "POST" and "delete" in request.POST:
        Department.objects.filter(municipality=municipality, pk=posted_id(request.POST, "delete")).delete()
        messages.success(request, _("The department has been removed from the list."))
        return redirect("rounds:departments", code=municipality.pk)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            department = form.save(commit=False)
            department.municipality = municipality
            department.save()
            messages.success(request, _("The department has been added."))
            return redirect("rounds:departments", code=municipality.pk)
    context = {"municipality": municipality, "form": form, "departments": municipality.departments.all()}
    return render(request, "rounds/departments.html", context, status=status)


# --- the invitee's side ---


@require_http_methods(["GET", "POST"])
def accept(request):
    """The invitation link: GET shows the details to confirm (mail scanners only GET); the POST
    starts (or reopens) the invitee's response and gives this browser access to it."""
    raw = (request.POST if request.method == "POST" else request.GET).get("t", "")
    invitation, state = services.check_invitation_token(raw)
    if state != "valid":
        statuses = {"unknown": 404, "expired": 410, "closed": 410}
        return render(request, "rounds/invitation_invalid.html", {"state": state}, status=statuses[state])
    linked = invitation.response
    if linked is not None and (linked.email_confirmed_at is None or linked.identity != invitation.identity):
        linked = None  # never reopen a response its invitee did not confirm
    if linked is not None:
        if request.method == "POST":
            return open_response(request, linked)
        return never_cached(
            render(request, "rounds/accept.html", {"token": raw, "invitation": invitation, "form": None})
        )
    departments = list(invitation.round.municipality.departments.values_list("name", flat=True))
    initial = {"name": invitation.name, "role": invitation.role, "department": invitation.department}
    form = AcceptForm(request.POST or None, initial=initial, departments=departments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = services.accept_invitation(
            invitation,
            name=data["name"],
            domain=data["domain"],
            role=data["role"],
            department=data.get("department", ""),
        )
        return open_response(request, response)
    status = 400 if request.method == "POST" else 200
    context = {"token": raw, "invitation": invitation, "form": form, "k": settings.ZELFSCAN_K}
    return never_cached(render(request, "rounds/accept.html", context, status=status))


@require_http_methods(["GET", "POST"])
def opt_out(request):
    raw = (request.POST if request.method == "POST" else request.GET).get("t", "")
    invitation = services.invitation_from_opt_out(raw)
    if invitation is None:
        return render(request, "rounds/invitation_invalid.html", {"state": "unknown"}, status=404)
    if request.method == "POST":
        if invitation.opted_out_at is None:
            from django.utils import timezone

            Invitation.objects.filter(pk=invitation.pk).update(opted_out_at=timezone.now())
        return render(request, "rounds/opt_out.html", {"done": True, "invitation": invitation})
    return render(request, "rounds/opt_out.html", {"done": False, "token": raw, "invitation": invitation})
