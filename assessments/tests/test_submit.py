"""Review, submit, and which responses count (privacy-model.md, "Which responses count")."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Response
from conftest import answer_all, confirm, counted_response, login, make_response


def review_url(response):
    return reverse("assessments:review", kwargs={"public_id": response.public_id})


def test_review_lists_what_is_still_unanswered(respondent_client, respondent):
    statements = list(respondent.instrument_version.statements.order_by("position"))
    services.save_answers(respondent, {s.id: {"current": 2, "desired": 3, "note": None} for s in statements[1:]})
    services.save_answers(respondent, {statements[1].id: {"current": None, "desired": None, "note": None}})
    page = respondent_client.get(review_url(respondent))
    content = page.content.decode()
    assert page.status_code == 200
    assert f"{statements[0].key}. {statements[0].get_topic()}" in content
    assert f"{statements[2].key}. {statements[2].get_topic()}" not in content


def test_submitting_an_incomplete_response_is_refused(respondent_client, respondent):
    result = respondent_client.post(review_url(respondent))
    assert result.status_code == 400
    respondent.refresh_from_db()
    assert respondent.submitted_at is None


def test_dont_know_counts_as_an_answer(respondent_client, respondent):
    answer_all(respondent, current=0, desired=0)
    assert respondent_client.post(review_url(respondent)).status_code == 302
    respondent.refresh_from_db()
    assert respondent.submitted_at is not None


def test_submitting_twice_changes_nothing(respondent_client, respondent, sent_mail):
    answer_all(respondent)
    first = respondent_client.post(review_url(respondent))
    respondent.refresh_from_db()
    submitted_at = respondent.submitted_at
    mails = len(sent_mail())
    second = respondent_client.post(review_url(respondent))
    respondent.refresh_from_db()
    assert first["Location"] == second["Location"]
    assert respondent.submitted_at == submitted_at
    assert len(sent_mail()) == mails
    assert services.submit(respondent) is False


def test_report_ready_mail_links_to_the_report_in_the_respondents_language(version, utrecht, sent_mail):
    response = make_response(version, utrecht, email="eve@utrecht.nl", language="en")
    answer_all(response)
    sent_mail()
    services.submit(response)
    message = sent_mail()[-1]
    assert message.subject == "Your Smart City Self-Assessment report is ready"
    assert "/link/?t=" in message.body


def test_response_counts_only_when_submitted_and_confirmed(version, utrecht):
    response = make_response(version, utrecht, email="x@utrecht.nl")
    answer_all(response)
    assert not Response.objects.counted().exists()
    services.submit(response)
    assert not Response.objects.counted().exists()  # not confirmed yet
    confirm(response)
    assert list(Response.objects.counted()) == [response]


def test_confirming_before_submitting_counts_at_submit(version, utrecht):
    response = make_response(version, utrecht, email="y@utrecht.nl")
    confirm(response)
    assert not Response.objects.counted().exists()
    answer_all(response)
    services.submit(response)
    assert list(Response.objects.counted()) == [response]


def test_later_submission_by_the_same_address_replaces_the_earlier(version, utrecht, amersfoort):
    first = counted_response(version, utrecht, "z@utrecht.nl", current=2)
    second = counted_response(version, utrecht, "Z@Utrecht.nl", current=4)
    elsewhere = counted_response(version, amersfoort, "z@utrecht.nl", current=1)
    counted = set(Response.objects.counted())
    assert counted == {second, elsewhere}
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert first.answers.count() == 21  # the owner still has both


def test_unconfirmed_later_submission_does_not_replace_a_confirmed_one(version, utrecht):
    first = counted_response(version, utrecht, "q@utrecht.nl")
    later = make_response(version, utrecht, email="q@utrecht.nl")
    answer_all(later)
    services.submit(later)
    assert list(Response.objects.counted()) == [first]
    confirm(later)
    assert list(Response.objects.counted()) == [later]


def test_an_older_response_confirmed_late_does_not_replace_a_newer_one(version, utrecht):
    older = make_response(version, utrecht, email="r@utrecht.nl")
    answer_all(older)
    services.submit(older)
    newer = counted_response(version, utrecht, "r@utrecht.nl")
    confirm(older)
    assert list(Response.objects.counted()) == [newer]


@pytest.mark.parametrize("demo_mode,expected", [(False, 0), (True, 1)])
def test_demo_data_counts_only_in_demo_mode(version, utrecht, settings, demo_mode, expected):
    response = counted_response(version, utrecht, "demo@demo.invalid")
    Response.objects.filter(pk=response.pk).update(is_demo=True)
    settings.ZELFSCAN_DEMO_MODE = demo_mode
    assert Response.objects.counted().count() == expected


def test_demo_responses_cannot_be_opened_as_a_respondent(client, version, utrecht):
    response = counted_response(version, utrecht, "d@demo.invalid")
    Response.objects.filter(pk=response.pk).update(is_demo=True)
    login(client, response)
    assert client.get(reverse("reports:report", kwargs={"public_id": response.public_id})).status_code == 404


def test_a_response_finishes_on_the_version_it_started_on(version, utrecht):
    from instrument.models import InstrumentVersion

    response = make_response(version, utrecht, email="v@utrecht.nl")
    newer = InstrumentVersion.objects.create(version="2099.1", title={"nl": "x"}, languages=["nl"], content_sha256="x")
    assert InstrumentVersion.objects.current() == newer
    answer_all(response)
    assert services.missing_scales(response) == {}
    services.submit(response)
    response.refresh_from_db()
    assert response.instrument_version == version
