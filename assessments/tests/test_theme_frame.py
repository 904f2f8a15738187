"""The theme page is filled into a frame rendered once (zelfscan.frames): it must be exactly the page
the template gives when rendered with the response's values, in every state and both languages."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from assessments import services, views
from assessments.models import Answer
from zelfscan import frames

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def rendered_from_template(page, response, number) -> str:
    """theme.html rendered the ordinary way (context processors, real values) for the page's request."""
    request = page.wsgi_request
    statements = views._statements(response, number)
    answers = {a.statement_id: a for a in Answer.objects.filter(response=response)}
    saved = views._saved(statements, answers)
    with translation.override(response.language):
        context = views._theme_context(
            response,
            number,
            value=lambda name: saved.get(name, ""),
            loaded=lambda name: saved.get(name, ""),
            checked=lambda name, choice: views.CHECKED if saved.get(name) == choice else "",
            answered=views._answered(response),
        )
        return render_to_string("assessments/theme.html", context, request=request)


def same_page(page, expected: str) -> None:
    assert TOKEN.sub("TOKEN", page.content.decode()) == TOKEN.sub("TOKEN", expected)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_theme_page_is_the_template_filled_in(respondent_client, respondent, language):
    respondent.language = language
    respondent.save()
    respondent_client.cookies["django_language"] = language
    statements = list(respondent.instrument_version.statements.order_by("position"))
    notes = ["", "plain", '<script>alert("&")</script>\'', "line 1\nline 2", "ünïcödé €", None]
    services.save_answers(
        respondent,
        {
            s.id: {"current": i % 6 if i % 4 else None, "desired": (i + 2) % 6 if i % 3 else None, "note": notes[i % 6]}
            for i, s in enumerate(statements[:15])
        },
    )
    frames.clear()
    for number in range(1, respondent.instrument_version.themes.count() + 1):
        url = reverse("assessments:theme", kwargs={"public_id": respondent.public_id, "number": number})
        for _ in range(2):  # the first request renders the frame, the second one reuses it
            page = respondent_client.get(url)
            assert page.status_code == 200
            same_page(page, rendered_from_template(page, respondent, number))
        assert "\x02" not in page.content.decode()


def test_the_frame_is_shared_but_the_values_are_not(client, version, utrecht):
    from conftest import login, make_response

    first, second = make_response(version, utrecht, "a@utrecht.nl"), make_response(version, utrecht, "b@utrecht.nl")
    statement = version.statements.order_by("position").first()
    services.save_answers(first, {statement.id: {"current": 5, "desired": None, "note": "only mine"}})
    pages = []
    for response in (first, second):
        login(client, response)
        pages.append(client.get(reverse("assessments:theme", kwargs={"public_id": response.public_id, "number": 1})))
    mine, theirs = (page.content.decode() for page in pages)
    assert "only mine" in mine and "only mine" not in theirs
    assert f'value="5" id="id_{statement.key}-current_4" checked' in mine
    assert " checked" not in theirs
    assert str(first.public_id) in mine and str(first.public_id) not in theirs
    assert str(second.public_id) in theirs
