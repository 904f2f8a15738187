"""Answering theme by theme: saving, navigation, bad input, stale sessions, two devices."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Answer
from conftest import answer_all, login


def theme_url(response, number):
    return reverse("assessments:theme", kwargs={"public_id": response.public_id, "number": number})


def first_theme_statements(response):
    return list(response.instrument_version.themes.get(position=1).statements.order_by("position"))


def test_theme_page_shows_statements_levels_and_both_scales(respondent_client, respondent):
    page = respondent_client.get(theme_url(respondent, 1))
    assert page.status_code == 200
    content = page.content.decode()
    for statement in first_theme_statements(respondent):
        assert f'name="{statement.key}-current"' in content
        assert f'name="{statement.key}-desired"' in content
        assert f'name="{statement.key}-note"' in content
        assert statement.level_text(5) in content
    assert 'value="0"' in content  # "I don't know"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_theme_page_renders(respondent_client, respondent, language):
    respondent_client.cookies["django_language"] = language
    for number in range(1, respondent.instrument_version.themes.count() + 1):
        page = respondent_client.get(theme_url(respondent, number))
        assert page.status_code == 200, number
        assert f'<html lang="{language}">' in page.content.decode()


def test_next_saves_and_moves_on(respondent_client, respondent):
    statements = first_theme_statements(respondent)
    data = {
        "action": "next",
        f"{statements[0].key}-current": "2",
        f"{statements[0].key}-desired": "0",
        f"{statements[0].key}-note": "Our vision is from 2019.",
    }
    result = respondent_client.post(theme_url(respondent, 1), data)
    assert result.status_code == 302
    assert result["Location"] == theme_url(respondent, 2)
    answer = Answer.objects.get(response=respondent, statement=statements[0])
    assert (answer.current, answer.desired, answer.note) == (2, 0, "Our vision is from 2019.")


def test_previous_also_saves(respondent_client, respondent):
    statement = respondent.instrument_version.themes.get(position=2).statements.first()
    result = respondent_client.post(theme_url(respondent, 2), {"action": "previous", f"{statement.key}-current": "4"})
    assert result["Location"] == theme_url(respondent, 1)
    assert Answer.objects.get(response=respondent, statement=statement).current == 4


def test_save_and_stop_keeps_answers_and_says_how_to_continue(respondent_client, respondent):
    statement = first_theme_statements(respondent)[0]
    result = respondent_client.post(theme_url(respondent, 1), {"action": "stop", f"{statement.key}-desired": "5"})
    assert result["Location"] == reverse("assessments:stopped", kwargs={"public_id": respondent.public_id})
    page = respondent_client.get(result["Location"])
    assert page.status_code == 200
    assert "a***@u***.nl" in page.content.decode()
    assert Answer.objects.get(response=respondent, statement=statement).desired == 5


def test_last_theme_next_goes_to_review(respondent_client, respondent):
    last = respondent.instrument_version.themes.count()
    result = respondent_client.post(theme_url(respondent, last), {"action": "next"})
    assert result["Location"] == reverse("assessments:review", kwargs={"public_id": respondent.public_id})


def test_resume_goes_to_first_theme_with_a_missing_answer(respondent_client, respondent):
    statements = list(respondent.instrument_version.statements.order_by("position"))
    theme_two = respondent.instrument_version.themes.get(position=2)
    services.save_answers(
        respondent,
        {s.id: {"current": 1, "desired": 2, "note": None} for s in statements if s.theme_id != theme_two.id},
    )
    result = respondent_client.get(reverse("assessments:resume", kwargs={"public_id": respondent.public_id}))
    assert result["Location"] == theme_url(respondent, 2)


def test_saved_answers_are_shown_checked(respondent_client, respondent):
    statement = first_theme_statements(respondent)[0]
    services.save_answers(respondent, {statement.id: {"current": 3, "desired": 0, "note": "x"}})
    content = respondent_client.get(theme_url(respondent, 1)).content.decode()
    assert f'name="{statement.key}-current" value="3" id="id_{statement.key}-current_2" checked' in content
    assert f'name="{statement.key}-desired" value="0" id="id_{statement.key}-desired_5" checked' in content


@pytest.mark.parametrize("value", ["6", "-1", "9999", "abc", "3.5", ""])
def test_level_outside_1_to_5_is_refused_without_losing_saved_answers(respondent_client, respondent, value):
    statements = first_theme_statements(respondent)
    services.save_answers(respondent, {statements[0].id: {"current": 2, "desired": 3, "note": "kept"}})
    data = {f"{statements[0].key}-current": value, f"{statements[1].key}-current": "4", "action": "next"}
    result = respondent_client.post(theme_url(respondent, 1), data)
    answer = Answer.objects.get(response=respondent, statement=statements[0])
    assert (answer.current, answer.desired, answer.note) == (2, 3, "kept")
    if value == "":
        assert result.status_code == 302  # empty means "no change"
    else:
        assert result.status_code == 400
        assert "Choose a level from 1 to 5" in result.content.decode() or "niveau" in result.content.decode()
        assert not Answer.objects.filter(response=respondent, statement=statements[1]).exists()
        # What was posted is shown again, so nothing typed is lost.
        assert f'name="{statements[1].key}-current" value="4"' in result.content.decode()


def test_tampered_statement_id_is_refused_and_nothing_is_saved(respondent_client, respondent):
    statements = first_theme_statements(respondent)
    other_theme = respondent.instrument_version.themes.get(position=3).statements.first()
    data = {f"{statements[0].key}-current": "3", f"{other_theme.key}-current": "5", "action": "next"}
    result = respondent_client.post(theme_url(respondent, 1), data)
    assert result.status_code == 400
    assert not Answer.objects.filter(response=respondent).exists()
    data = {f"{statements[0].key}-current": "3", "Z99-desired": "5"}
    assert respondent_client.post(theme_url(respondent, 1), data).status_code == 400


def test_oversized_note_is_refused_with_a_message(respondent_client, respondent, settings):
    statement = first_theme_statements(respondent)[0]
    data = {f"{statement.key}-note": "x" * (settings.ZELFSCAN_NOTE_MAX_LENGTH + 1), f"{statement.key}-current": "2"}
    result = respondent_client.post(theme_url(respondent, 1), data)
    assert result.status_code == 400
    assert str(settings.ZELFSCAN_NOTE_MAX_LENGTH) in result.content.decode()
    assert not Answer.objects.filter(response=respondent).exists()


def test_huge_payload_gets_400_not_500(respondent_client, respondent):
    statement = first_theme_statements(respondent)[0]
    result = respondent_client.post(theme_url(respondent, 1), {f"{statement.key}-note": "x" * 400_000})
    assert result.status_code == 400
    assert not Answer.objects.filter(response=respondent).exists()


def test_unknown_theme_number_is_404(respondent_client, respondent):
    assert respondent_client.get(theme_url(respondent, 99)).status_code == 404
    assert respondent_client.get(theme_url(respondent, 0)).status_code == 404


def test_two_devices_end_with_the_last_save_per_statement(client, respondent):
    statements = first_theme_statements(respondent)
    phone, laptop = client.__class__(), client.__class__()
    for device in (phone, laptop):
        login(device, respondent)
    phone.post(theme_url(respondent, 1), {f"{statements[0].key}-current": "2", f"{statements[1].key}-current": "2"})
    # The laptop's page was opened before the phone saved: statement 2 is empty there.
    laptop.post(theme_url(respondent, 1), {f"{statements[0].key}-current": "4"})
    answers = {a.statement_id: a.current for a in Answer.objects.filter(response=respondent)}
    assert answers[statements[0].id] == 4  # last save wins
    assert answers[statements[1].id] == 2  # an empty field on a stale page erases nothing


def test_expired_session_shows_the_posted_answers_again_unsaved(client, respondent):
    statement = first_theme_statements(respondent)[0]
    data = {f"{statement.key}-current": "3", f"{statement.key}-note": "my typed note", "action": "next"}
    result = client.post(theme_url(respondent, 1), data)  # a session without access
    assert result.status_code == 403
    content = result.content.decode()
    assert "my typed note" in content
    assert f'name="{statement.key}-current" value="3" id="id_{statement.key}-current_2" checked' in content
    assert reverse("assessments:new_link") in content
    assert not Answer.objects.filter(response=respondent).exists()
    # After opening the personal link again (new tab), pressing Save on the same page works.
    login(client, respondent)
    assert client.post(theme_url(respondent, 1), {**data, "action": "save"}).status_code == 302
    assert Answer.objects.get(response=respondent).note == "my typed note"


def test_expired_csrf_token_shows_the_posted_answers_again(respondent, version):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    login(browser, respondent)
    statement = first_theme_statements(respondent)[0]
    data = {
        f"{statement.key}-current": "5",
        f"{statement.key}-note": "typed before lunch",
        "csrfmiddlewaretoken": "expired" * 5,
    }
    result = browser.post(theme_url(respondent, 1), data)
    assert result.status_code == 403
    content = result.content.decode()
    assert "typed before lunch" in content
    assert 'name="csrfmiddlewaretoken"' in content  # a fresh token to save with
    assert not Answer.objects.filter(response=respondent).exists()


def test_expired_csrf_token_on_registration_keeps_the_form(version):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    result = browser.post(reverse("assessments:start"), {"email": "kees@zwolle.nl", "municipality": "Zwolle"})
    assert result.status_code == 403
    assert 'value="kees@zwolle.nl"' in result.content.decode()


def test_another_session_cannot_open_or_change_a_response(client, respondent):
    statement = first_theme_statements(respondent)[0]
    assert client.get(theme_url(respondent, 1)).status_code == 403
    assert client.get(reverse("assessments:review", kwargs={"public_id": respondent.public_id})).status_code == 403
    assert client.post(reverse("assessments:review", kwargs={"public_id": respondent.public_id})).status_code == 403
    client.post(theme_url(respondent, 1), {f"{statement.key}-current": "1"})
    assert not Answer.objects.filter(response=respondent).exists()


def test_unknown_response_id_is_404(respondent_client):
    url = reverse("assessments:theme", kwargs={"public_id": "00000000-0000-0000-0000-000000000000", "number": 1})
    assert respondent_client.get(url).status_code == 404
    assert respondent_client.get("/scan/not-a-uuid/theme/1/").status_code == 404


def test_switching_language_follows_the_respondent(respondent_client, respondent):
    respondent_client.post(reverse("set_language"), {"language": "en", "next": theme_url(respondent, 1)})
    page = respondent_client.get(theme_url(respondent, 1))
    assert '<html lang="en">' in page.content.decode()
    respondent.refresh_from_db()
    assert respondent.language == "en"


def test_submitted_response_is_read_only(respondent_client, respondent):
    answer_all(respondent)
    services.submit(respondent)
    statement = first_theme_statements(respondent)[0]
    result = respondent_client.post(theme_url(respondent, 1), {f"{statement.key}-current": "1"})
    assert result.status_code == 409
    assert Answer.objects.get(response=respondent, statement=statement).current == 3
    assert respondent_client.get(theme_url(respondent, 1)).status_code == 302


def test_a_stale_page_only_saves_what_was_changed_on_it(client, respondent):
    """Device A changes A1 from 2 to 4; device B, loaded when A1 was 2, then changes only A2."""
    statements = first_theme_statements(respondent)
    a1, a2 = statements[0].key, statements[1].key
    services.save_answers(respondent, {statements[0].id: {"current": 2, "desired": None, "note": "old"}})
    laptop, phone = client.__class__(), client.__class__()
    for device in (laptop, phone):
        login(device, respondent)
    phone_page = phone.get(theme_url(respondent, 1)).content.decode()  # loaded now: A1 = 2
    assert f'name="{a1}-current-was" value="2"' in phone_page
    laptop.post(
        theme_url(respondent, 1),
        {f"{a1}-current": "4", f"{a1}-current-was": "2", f"{a1}-note": "new", f"{a1}-note-was": "old"},
    )
    # The phone posts everything its page shows: A1 still checked at 2, a note "old", and A2 = 5.
    phone.post(
        theme_url(respondent, 1),
        {
            f"{a1}-current": "2",
            f"{a1}-current-was": "2",
            f"{a1}-note": "old",
            f"{a1}-note-was": "old",
            f"{a2}-current": "5",
            f"{a2}-current-was": "",
        },
    )
    answers = {a.statement_id: a for a in Answer.objects.filter(response=respondent)}
    assert (answers[statements[0].id].current, answers[statements[0].id].note) == (4, "new")
    assert answers[statements[1].id].current == 5


def test_an_error_page_keeps_the_values_it_was_loaded_with(respondent_client, respondent):
    statement = first_theme_statements(respondent)[0]
    data = {f"{statement.key}-current": "9", f"{statement.key}-current-was": "3"}
    page = respondent_client.post(theme_url(respondent, 1), data).content.decode()
    assert f'name="{statement.key}-current-was" value="3"' in page


def test_registration_access_ends_when_the_owner_confirms(client, version):
    """Someone who registers another person's address can start, but loses access the moment
    the owner opens the e-mailed link, and never sees what the owner enters."""
    from assessments.models import AccessToken, Response

    client.post(
        reverse("assessments:start"),
        {"email": "victim@utrecht.nl", "municipality": "Utrecht", "domain": "it", "role": "it", "language": "nl"},
    )
    response = Response.objects.get()
    assert client.get(theme_url(response, 1)).status_code == 200
    raw = services.issue_token(response)
    owner = client.__class__()
    owner.post(reverse("assessments:link"), {"t": raw})
    assert client.get(theme_url(response, 1)).status_code == 403
    assert owner.get(theme_url(response, 1)).status_code == 200
    assert AccessToken.objects.filter(response=response).count() == 2


def test_the_link_page_says_what_is_being_confirmed(client, respondent):
    raw = services.issue_token(respondent)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("assessments:link"), {"t": raw}).content.decode()
    assert "Utrecht" in page
    assert "Did you not start this self-assessment yourself?" in page


def test_switching_language_on_a_theme_page_keeps_unsaved_choices(respondent_client, respondent):
    statement = first_theme_statements(respondent)[0]
    page = respondent_client.get(theme_url(respondent, 1)).content.decode()
    assert 'form="theme-form" name="switch_language" value="en"' in page
    result = respondent_client.post(
        theme_url(respondent, 1), {f"{statement.key}-current": "4", "switch_language": "en"}
    )
    assert result.status_code == 302
    assert result["Location"] == theme_url(respondent, 1)
    assert Answer.objects.get(response=respondent, statement=statement).current == 4
    respondent.refresh_from_db()
    assert respondent.language == "en"
    assert '<html lang="en">' in respondent_client.get(theme_url(respondent, 1)).content.decode()


def test_a_page_saved_after_a_submit_on_another_device_is_refused_with_409(respondent_client, respondent):
    """The response was submitted between loading it and saving this page (a race the save's own
    statement settles): nothing is written and the respondent reads why."""
    from unittest import mock

    statement = respondent.instrument_version.statements.order_by("position").first()
    url = reverse("assessments:theme", kwargs={"public_id": respondent.public_id, "number": 1})
    with mock.patch("assessments.services._save_page", return_value=None):
        page = respondent_client.post(url, {f"{statement.key}-current": "3", "action": "next"})
    assert page.status_code == 409
    assert "submitted" in page.content.decode().lower() or "verstuurd" in page.content.decode().lower()
    assert not respondent.answers.exists()
