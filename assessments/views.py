"""The respondent's journey: register, open the personal link, answer theme by theme, review, submit."""

import functools

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from instrument.models import InstrumentVersion, Structure
from organisations.register import datalist_html
from throttling import services as throttle
from throttling.shortcuts import refuse
from zelfscan import frames
from zelfscan.paths import redirect
from zelfscan.privacy import never_cached

from . import services
from .forms import (
    LEVEL_VALUES,
    LOADED_SUFFIX,
    PARTS,
    EmailForm,
    RegistrationForm,
    TamperedForm,
    ThemeErrors,
    ThemePost,
)
from .models import AccessToken, Response, answers_of, remembered_version

REGISTERED_KEY = services.REGISTRATION_KEY
# Responses for which this browser chose to start afresh instead of from previous answers.
FRESH_START_KEY = "zelfscan_fresh_start"


def _remember_language(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
    )


def _followed_language(request, response_pk: int, language: str) -> str:
    """The respondent's language follows them: a language chosen with the switcher becomes the
    response's language (for e-mails and the PDF); without a choice, the response's language is
    used. Returns the language, now active."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES) and chosen != language:
        Response.objects.filter(pk=response_pk).update(language=chosen)
        language = chosen
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def follow_language(request, response: Response) -> None:
    response.language = _followed_language(request, response.pk, response.language)


def _personal(request, result, language: str):
    """A page of a session with access to the response: the language cookie follows the response
    (unless the page set it, switching language), and the page is never cached."""
    cookie = settings.LANGUAGE_COOKIE_NAME
    if cookie not in result.cookies and request.COOKIES.get(cookie) != language:
        _remember_language(result, language)
    # Personal answers never stay in a shared computer's cache.
    return never_cached(result)


def respondent_view(view):
    """Load the response from the URL; only a session that opened its personal link may use it."""

    @functools.wraps(view)
    def wrapper(request, public_id, *args, **kwargs):
        response = Response.objects.respondent(public_id)
        if response is None:
            raise Http404
        if not services.session_allows(request.session, response):
            return view(request, response, *args, access=False, **kwargs)
        follow_language(request, response)
        return _personal(request, view(request, response, *args, access=True, **kwargs), response.language)

    return wrapper


def no_access(request, response=None, status=403):
    return render(request, "assessments/no_access.html", {"response": response}, status=status)


@require_http_methods(["GET", "POST"])
def start(request):
    version = InstrumentVersion.objects.current()
    if version is None:
        return render(request, "assessments/unavailable.html", status=503)
    if request.method == "POST":
        form = RegistrationForm(request.POST)
        valid = form.is_valid()
        decision = throttle.attempt(request, "register", address=form.cleaned_data["email"] if valid else "")
        if not decision.allowed:
            return refuse(request, "assessments/start.html", {"form": form, "version": version}, decision)
        if valid:
            data = form.cleaned_data
            response = services.register(
                email=data["email"],
                name=data["name"],
                municipality=data["municipality"],
                domain=data["domain"],
                role=data["role"],
                language=data["language"],
                version=version,
            )
            request.session.cycle_key()
            services.grant_registration_session(request.session, response)
            result = redirect("assessments:registered")
            _remember_language(result, response.language)
            return result
        status = 400
        return render(request, "assessments/start.html", {"form": form, "version": version}, status=status)
    # The empty form is the same page for everyone (in the active language, which it preselects):
    # a frame, until the municipality register (the picker's list) or the version changes.
    return frames.render(
        request,
        "assessments/start.html",
        lambda v: {"form": RegistrationForm(initial={"language": translation.get_language()}), "version": version},
        {},
        key=(version.pk, version.content_sha256, hash(datalist_html())),
    )


def _registered_response(request) -> Response | None:
    public_id = request.session.get(REGISTERED_KEY)
    if not public_id:
        return None
    response = Response.objects.respondent(public_id)
    return response if response is not None and response.email_confirmed_at is None else None


def registered(request):
    response = _registered_response(request)
    if response is None:
        return redirect("assessments:start")
    return frames.render(
        request,
        "assessments/registered.html",
        lambda v: {"address": v("address"), "public_id": v("response_uuid")},
        {"address": response.masked_email, "response_uuid": response.public_id},
    )


@require_http_methods(["GET", "POST"])
def correct_email(request):
    response = _registered_response(request)
    if response is None:
        return redirect("assessments:start")
    if request.method == "POST":
        form = EmailForm(request.POST)
        valid = form.is_valid()
        decision = throttle.attempt(
            request,
            "correct_email",
            address=form.cleaned_data["email"] if valid else "",
            account=str(response.public_id),
        )
        if not decision.allowed:
            context = {"form": form, "response": response}
            return refuse(request, "assessments/correct_email.html", context, decision)
        if valid:
            services.correct_email(response, form.cleaned_data["email"])
            return redirect("assessments:registered")
        status = 400
    else:
        form = EmailForm()
        status = 200
    return render(request, "assessments/correct_email.html", {"form": form, "response": response}, status=status)


@require_http_methods(["GET", "POST"])
def link(request):
    """GET shows a button (mail scanners open links first); the POST exchanges the token for a session."""
    raw = (request.POST if request.method == "POST" else request.GET).get("t", "")
    # Unknown tokens are guesses: only they count against the network's budget, so a mail
    # scanner opening many real links is never held up.
    guesses = throttle.peek(request, "link_guess")
    if not guesses.allowed:
        return refuse(request, "assessments/link_limited.html", {}, guesses)
    check = services.check_token(raw, AccessToken.Kind.PERSONAL)
    if check.state == "expired":
        return render(request, "assessments/link_invalid.html", {"expired": True}, status=410)
    if check.state != "valid":
        throttle.attempt(request, "link_guess")
        return render(request, "assessments/link_invalid.html", {"expired": False}, status=404)
    if request.method == "GET":
        return never_cached(render(request, "assessments/link.html", {"token": raw, "response": check.token.response}))
    decision = throttle.attempt(request, "link", account=check.token.token_hash)
    if not decision.allowed:
        return refuse(request, "assessments/link_limited.html", {}, decision)
    return open_response(request, services.exchange_personal_token(check.token))


def open_response(request, response: Response):
    """This browser may now use `response` (a personal link or an accepted invitation): a new
    session key, the response granted to it, and on to where the respondent left off."""
    request.session.cycle_key()
    services.grant_session(request.session, response)
    result = redirect("assessments:resume", public_id=response.public_id)
    _remember_language(result, response.language)
    return result


@require_http_methods(["GET", "POST"])
def new_link(request):
    if request.method == "POST":
        form = EmailForm(request.POST)
        valid = form.is_valid()
        # Counted per address whether it is known or not, and refused before it is looked up:
        # a refusal looks the same, and takes as long, for known and unknown addresses.
        decision = throttle.attempt(request, "new_link", address=form.cleaned_data["email"] if valid else "")
        if not decision.allowed:
            return refuse(request, "assessments/new_link.html", {"form": form}, decision)
        if valid:
            services.send_new_links(form.cleaned_data["email"])
            return redirect("assessments:new_link_sent")
        status = 400
    else:
        form = EmailForm()
        status = 200
    return render(request, "assessments/new_link.html", {"form": form}, status=status)


def new_link_sent(request):
    return render(request, "assessments/new_link_sent.html")


def _structure(response: Response) -> Structure:
    return Structure.of(response.instrument_version)


def _themes(response: Response) -> list:
    return _structure(response).themes


def _page_statements(structure: Structure, number: int) -> list:
    return structure.by_theme[structure.themes[number - 1].id]


def _statements(response: Response, number: int) -> list:
    return _page_statements(_structure(response), number)


@respondent_view
def resume(request, response, access):
    if not access:
        return no_access(request, response)
    if response.is_submitted:
        return redirect("reports:report", public_id=response.public_id)
    missing = services.missing_scales(response)
    if not missing:
        return redirect("assessments:review", public_id=response.public_id)
    structure = _structure(response)
    nothing_answered = len(missing) == len(structure.statement_ids) and all(len(s) == 2 for s in missing.values())
    if nothing_answered and str(response.public_id) not in request.session.get(FRESH_START_KEY, []):
        previous = services.previous_response(response)
        if previous is not None:
            return render(request, "assessments/start_from_previous.html", {"response": response, "previous": previous})
    first_missing = next(s for s in structure.statements if s.id in missing)
    number = [t.id for t in structure.themes].index(first_missing.theme_id) + 1
    return redirect("assessments:theme", public_id=response.public_id, number=number)


@respondent_view
@require_POST
def start_from_previous(request, response, access):
    """The respondent chose to start a new round from their previous answers, or afresh."""
    if not access:
        return no_access(request, response)
    if response.is_submitted:
        return redirect("reports:report", public_id=response.public_id)
    previous = services.previous_response(response)
    if request.POST.get("choice") == "previous" and previous is not None:
        if services.copy_previous_answers(response, previous):
            messages.success(
                request,
                _("Your previous answers have been filled in. Check each page and change what is different now."),
            )
    else:
        fresh = [*request.session.get(FRESH_START_KEY, []), str(response.public_id)]
        request.session[FRESH_START_KEY] = fresh[-20:]
    return redirect("assessments:theme", public_id=response.public_id, number=1)


def _answered(response: Response, answers: dict | None = None) -> int:
    """How many of the response's scales have a level or "don't know"."""
    total = len(_structure(response).statement_ids) * 2
    return total - sum(len(scales) for scales in services.missing_scales(response, answers).values())


def _posted(request, statements) -> tuple[dict, dict]:
    """(shown, loaded) from a post: the values posted, and the values the page was loaded with."""
    names = [f"{s.key}-{part}" for s in statements for part in PARTS]
    data = request.POST
    shown = {name: data.get(name) or "" for name in names}
    return shown, {name: data.get(f"{name}{LOADED_SUFFIX}", "") for name in names}


def _saved(statements, answers: dict) -> dict:
    """The values as saved: a level as text ("0" for don't know), "" where there is none."""
    shown = {}
    for statement in statements:
        answer = answers.get(statement.id)
        for part in PARTS:
            value = getattr(answer, part) if answer is not None else None
            shown[f"{statement.key}-{part}"] = "" if value is None else str(value)
    return shown


CHECKED = mark_safe(" checked")  # noqa: S308 - a constant


def _theme_context(response, number, v, *, errors=None, access=True, notice=None) -> dict:
    """The context of theme.html; `v(name)` gives each per-response value (zelfscan.frames):
    "NAME" the value shown in a field, "NAME-was" the value the page was loaded with, "NAME=CHOICE"
    " checked" or "" for a radio, "answered" and "response_uuid"."""
    errors = errors or {}
    themes = _themes(response)
    statements = _statements(response, number)
    legends = (("current", _("Now")), ("desired", _("In 3 to 5 years")))
    rows = []
    for statement in statements:
        key = statement.key
        scales = []
        for scale, legend in legends:
            name = f"{key}-{scale}"
            radios = [
                {"value": choice, "id": f"id_{name}_{index}", "checked": v(f"{name}={choice}")}
                for index, choice in enumerate(LEVEL_VALUES)
            ]
            scales.append(
                {"name": name, "id": f"id_{name}", "legend": legend, "errors": errors.get(name), "radios": radios}
            )
        note = f"{key}-note"
        rows.append(
            {
                "statement": statement,
                "loaded": [(f"{key}-{part}{LOADED_SUFFIX}", v(f"{key}-{part}{LOADED_SUFFIX}")) for part in PARTS],
                "scales": scales,
                "note": {"name": note, "id": f"id_{note}", "value": v(note), "errors": errors.get(note)},
            }
        )
    total = len(_structure(response).statement_ids) * 2
    progress = {"number": number, "count": len(themes), "answered": v("answered"), "total": total, "themes": themes}
    return {
        "public_id": v("response_uuid"),
        "theme": themes[number - 1],
        "rows": rows,
        "form": ThemeErrors(statements, errors),
        "progress": progress if access else None,
        "previous_number": number - 1 if number > 1 else None,
        "next_number": number + 1 if number < len(themes) else None,
        "access": access,
        "notice": notice,
        "note_max_length": settings.ZELFSCAN_NOTE_MAX_LENGTH,
        "dont_know": _("I don't know"),
    }


def theme_page(request, response, number, *, shown, loaded, answered=None, errors=None, notice=None, status=200):
    """The theme page showing `shown` ({field name: value as text}) and carrying `loaded`.

    The usual page (access, no errors, no notice) is filled into the page's frame, rendered once
    per version, language and theme (zelfscan.frames); the others are rendered the ordinary way.
    assessments/tests/test_theme_frame.py compares the two."""
    access = services.session_allows(request.session, response)
    values = {"response_uuid": response.public_id, "answered": answered}
    for statement in _statements(response, number):
        for part in PARTS:
            name = f"{statement.key}-{part}"
            values[f"{name}{LOADED_SUFFIX}"] = loaded.get(name, "")
            if part == "note":
                values[name] = shown.get(name, "")
            else:
                chosen = shown.get(name)
                for choice in LEVEL_VALUES:
                    values[f"{name}={choice}"] = CHECKED if chosen == choice else ""
    version = response.instrument_version
    return frames.render(
        request,
        "assessments/theme.html",
        lambda v: _theme_context(response, number, v, errors=errors, access=access, notice=notice),
        values,
        key=(version.pk, version.content_sha256, number),
        framed=access and not errors and not notice,
        status=status,
    )


def render_unsaved_theme(request, response, number, *, notice, status):
    """The theme page again, filled with what was posted, when it could not be saved."""
    if not 1 <= number <= len(_themes(response)):
        raise Http404
    shown, loaded = _posted(request, _statements(response, number))
    answered = _answered(response) if services.session_allows(request.session, response) else None
    return theme_page(
        request, response, number, shown=shown, loaded=loaded, answered=answered, notice=notice, status=status
    )


@require_http_methods(["GET", "POST"])
def theme(request, public_id, number):
    """A theme page; its form posts back here, saving the page."""
    if request.method == "POST":
        saved = _save_unread(request, public_id, number)
        if saved is not None:
            return saved
    return _theme(request, public_id, number)


def _save_unread(request, public_id, number):
    """The usual page save (a session with access, a valid post into a response not submitted)
    without reading the response first: the post is checked against the statements of the version
    this process remembers for the response (models.remembered_version), and one statement finds
    the response, checks that it is still what was assumed (session access, not submitted, that
    version: services.PageTarget) and saves the answers. None when anything is otherwise, with
    nothing written: _theme then reads the response and answers as always (a 404, the page
    without access, the read-only page, the errors)."""
    grant = services.session_grant(request.session, str(public_id))
    version = remembered_version(public_id)
    if grant is None or version is None:
        return None
    structure = Structure.of(version)
    if not 1 <= number <= len(structure.themes):
        return None
    try:
        posted = ThemePost(request.POST, _page_statements(structure, number))
    except TamperedForm:
        return None
    if not posted.is_valid():
        return None
    target = services.PageTarget(
        public_id,
        version,
        unconfirmed_only=grant == services.REGISTRATION_ACCESS,
        version_guessed=True,
    )
    saved = services.save_page(target, posted.answers())
    if saved is None:
        return None
    language = _followed_language(request, saved.response_pk, saved.language)
    result = _after_save(request, public_id, saved.response_pk, number, len(structure.themes))
    return _personal(request, result, language)


def _after_save(request, public_id, response_pk: int, number: int, theme_count: int):
    """Where a saved theme page leads: the page again in the language chosen, or the page asked for."""
    language = request.POST.get("switch_language")
    if language in dict(settings.LANGUAGES):
        # The language switch of this page submits the page first: nothing chosen is lost.
        Response.objects.filter(pk=response_pk).update(language=language)
        result = redirect("assessments:theme", public_id=public_id, number=number)
        _remember_language(result, language)
        return result
    action = request.POST.get("action")
    if action == "next":
        if number < theme_count:
            return redirect("assessments:theme", public_id=public_id, number=number + 1)
        return redirect("assessments:review", public_id=public_id)
    if action == "previous" and number > 1:
        return redirect("assessments:theme", public_id=public_id, number=number - 1)
    if action == "stop":
        return redirect("assessments:stopped", public_id=public_id)
    return redirect("assessments:theme", public_id=public_id, number=number)


@respondent_view
def _theme(request, response, number, access):
    themes = _themes(response)
    if not 1 <= number <= len(themes):
        raise Http404
    if request.method == "POST" and not access:
        return render_unsaved_theme(request, response, number, notice="session", status=403)
    if not access:
        return no_access(request, response)
    if response.is_submitted:
        if request.method == "POST":
            return render(request, "assessments/submitted_readonly.html", {"response": response}, status=409)
        return redirect("reports:report", public_id=response.public_id)
    statements = _statements(response, number)
    if request.method == "POST":
        try:
            posted = ThemePost(request.POST, statements)
        except TamperedForm:
            return render(request, "assessments/tampered.html", {"response": response, "number": number}, status=400)
        if not posted.is_valid():
            shown, loaded = _posted(request, statements)
            return theme_page(
                request,
                response,
                number,
                shown=shown,
                loaded=loaded,
                answered=_answered(response),
                errors=posted.errors,
                status=400,
            )
        grant = services.session_grant(request.session, str(response.public_id))
        try:
            services.save_answers(response, posted.answers(), unconfirmed_only=grant == services.REGISTRATION_ACCESS)
        except services.AlreadySubmitted:
            return render(request, "assessments/submitted_readonly.html", {"response": response}, status=409)
        except services.AccessLost:
            # The page again without access, as the response is now (confirmed by its owner).
            confirmed = Response.objects.respondent(response.public_id)
            return render_unsaved_theme(request, confirmed, number, notice="session", status=403)
        return _after_save(request, response.public_id, response.pk, number, len(themes))
    answers = answers_of(response)
    saved = _saved(statements, answers)
    return theme_page(request, response, number, shown=saved, loaded=saved, answered=_answered(response, answers))


@respondent_view
def stopped(request, response, access):
    if not access:
        return no_access(request, response)
    return render(request, "assessments/stopped.html", {"response": response})


def _missing_by_theme(response: Response) -> list[dict]:
    missing = services.missing_scales(response)
    structure = _structure(response)
    theme_numbers = {theme.id: (theme, number) for number, theme in enumerate(structure.themes, start=1)}
    grouped: dict[int, dict] = {}
    for statement in (s for s in structure.statements if s.id in missing):
        theme, number = theme_numbers[statement.theme_id]
        entry = grouped.setdefault(statement.theme_id, {"theme": theme, "number": number, "items": []})
        entry["items"].append({"statement": statement, "scales": missing[statement.id]})
    return list(grouped.values())


@respondent_view
@require_http_methods(["GET", "POST"])
def review(request, response, access):
    if not access:
        return no_access(request, response)
    if response.is_submitted:
        return redirect("reports:report", public_id=response.public_id)
    themes = _themes(response)
    if request.method == "POST":
        try:
            services.submit(response)  # checks the answers itself, in its transaction
        except services.IncompleteResponse:
            missing = _missing_by_theme(response)
            context = {"public_id": response.public_id, "missing": missing, "themes": themes, "tried": True}
            return render(request, "assessments/review.html", context, status=400)
        return redirect("reports:report", public_id=response.public_id)
    missing = _missing_by_theme(response)
    version = response.instrument_version
    return frames.render(
        request,
        "assessments/review.html",
        lambda v: {"public_id": v("response_uuid"), "missing": missing, "themes": themes},
        {"response_uuid": response.public_id},
        key=(version.pk, version.content_sha256),
        framed=not missing,
    )


def csrf_failure(request, reason=""):
    """A page that was open too long: show it again with what was posted, never lose it."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if request.method == "POST" and match is not None:
        if match.view_name == "assessments:theme":
            response = Response.objects.filter(public_id=match.kwargs["public_id"], is_demo=False).first()
            if response is not None:
                return render_unsaved_theme(request, response, match.kwargs["number"], notice="expired", status=403)
        if match.view_name == "assessments:start":
            initial = {k: v for k, v in request.POST.items() if k in RegistrationForm.base_fields}
            form = RegistrationForm(initial=initial)
            context = {"form": form, "version": InstrumentVersion.objects.current(), "expired": True}
            return render(request, "assessments/start.html", context, status=403)
        if match.view_name == "contact:contact":
            from contact.forms import ContactForm

            initial = {k: v for k, v in request.POST.items() if k in ContactForm.base_fields}
            return render(
                request, "contact/contact.html", {"form": ContactForm(initial=initial), "expired": True}, status=403
            )
    return render(request, "403_csrf.html", {"back": request.path if match else reverse("pages:home")}, status=403)
