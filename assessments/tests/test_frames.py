"""Pages filled into a frame rendered once (zelfscan.frames) are exactly the pages the templates give
when rendered the ordinary way with the same values: every framed page of the journey, in every
state the frame serves, in both languages."""

import re

import pytest
from django.urls import reverse

from assessments import services
from conftest import answer_all, login
from zelfscan import frames

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def both_ways(client, url, monkeypatch) -> list[str]:
    """The page from its frame (twice: the first request builds it) and rendered the ordinary way."""
    pages = []
    for enabled in (True, True, False):
        monkeypatch.setattr(frames, "ENABLED", enabled)
        page = client.get(url)
        assert page.status_code == 200, url
        pages.append(page)
    assert pages[1].cookies.keys() == pages[2].cookies.keys()  # the CSRF cookie is sent either way
    texts = [TOKEN.sub("TOKEN", page.content.decode()) for page in pages]
    assert "\x02" not in texts[0]
    return texts


@pytest.fixture(params=["nl", "en"])
def language(request):
    frames.clear()
    return request.param


def test_every_theme_page(respondent_client, respondent, language, monkeypatch):
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
    for number in range(1, respondent.instrument_version.themes.count() + 1):
        url = reverse("assessments:theme", kwargs={"public_id": respondent.public_id, "number": number})
        framed, again, ordinary = both_ways(respondent_client, url, monkeypatch)
        assert framed == again == ordinary


def test_registration_home_and_sent_pages(client, version, language, monkeypatch):
    client.cookies["django_language"] = language
    for url in ("/", "/?from=newsletter&x=<b>", reverse("assessments:start")):
        framed, again, ordinary = both_ways(client, url, monkeypatch)
        assert framed == again == ordinary
    data = {"email": "b.o'b@utrecht.nl", "municipality": "Utrecht", "domain": "it", "role": "it", "language": language}
    assert client.post(reverse("assessments:start"), data).status_code == 302
    framed, again, ordinary = both_ways(client, reverse("assessments:registered"), monkeypatch)
    assert framed == again == ordinary
    assert "b***@u***.nl" in framed


def test_review_page_when_complete(respondent_client, respondent, language, monkeypatch):
    respondent.language = language
    respondent.save()
    answer_all(respondent)
    url = reverse("assessments:review", kwargs={"public_id": respondent.public_id})
    framed, again, ordinary = both_ways(respondent_client, url, monkeypatch)
    assert framed == again == ordinary


def test_a_frame_is_shared_but_the_values_are_not(client, version, utrecht):
    from conftest import make_response

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
