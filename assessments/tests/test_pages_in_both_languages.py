"""Every page of the respondent's journey renders in Dutch and in English."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import AccessToken
from conftest import answer_all, login


@pytest.fixture(params=["nl", "en"])
def language(request, client):
    client.cookies["django_language"] = request.param
    return request.param


def assert_page(page, language, status=200):
    assert page.status_code == status
    assert f'<html lang="{language}">' in page.content.decode()


def test_registration_pages(client, version, language):
    client.post(
        reverse("assessments:start"),
        {"email": "a@utrecht.nl", "municipality": "Utrecht", "domain": "it", "role": "it", "language": language},
    )
    assert_page(client.get(reverse("assessments:registered")), language)
    assert_page(client.get(reverse("assessments:correct_email")), language)


def test_link_pages(client, respondent, language):
    raw = services.issue_token(respondent)
    assert_page(client.get(reverse("assessments:link"), {"t": raw}), language)
    assert_page(client.get(reverse("assessments:link"), {"t": "wrong"}), language, 404)
    AccessToken.objects.update(revoked_at=None, created_at="2000-01-01T00:00Z")
    assert_page(client.get(reverse("assessments:link"), {"t": raw}), language, 410)


def test_journey_pages(respondent_client, respondent, language):
    kwargs = {"public_id": respondent.public_id}
    respondent.language = language
    respondent.save()
    assert_page(respondent_client.get(reverse("assessments:stopped", kwargs=kwargs)), language)
    assert_page(respondent_client.get(reverse("assessments:review", kwargs=kwargs)), language)
    assert_page(respondent_client.post(reverse("assessments:review", kwargs=kwargs)), language, 400)
    statement = respondent.instrument_version.statements.first()
    theme_one = reverse("assessments:theme", kwargs={**kwargs, "number": 1})
    assert_page(respondent_client.post(theme_one, {"Z9-current": "1", f"{statement.key}-current": "1"}), language, 400)
    answer_all(respondent)
    services.submit(respondent)
    assert_page(respondent_client.post(theme_one, {f"{statement.key}-current": "1"}), language, 409)
    assert_page(respondent_client.get(reverse("reports:report", kwargs=kwargs)), language)
    created = respondent_client.post(reverse("reports:share", kwargs=kwargs), {"action": "create"})
    assert_page(created, language)
    shared_path = created.context["link"].replace("http://testserver", "")
    assert_page(respondent_client.get(shared_path), language)
    assert_page(respondent_client.post(reverse("reports:share", kwargs=kwargs), {"action": "revoke"}), language)
    assert_page(respondent_client.get(shared_path), language, 404)


def test_no_access_page(client, respondent, language):
    page = client.get(reverse("assessments:theme", kwargs={"public_id": respondent.public_id, "number": 1}))
    assert_page(page, language, 403)


def test_dutch_report_uses_decimal_commas(client, version, utrecht):
    from conftest import counted_response

    viewer = None
    for i in range(5):
        viewer = counted_response(version, utrecht, f"p{i}@utrecht.nl", current=lambda s, i=i: 1 + i % 2, desired=4)
    login(client, viewer)
    content = client.get(reverse("reports:report", kwargs={"public_id": viewer.public_id})).content.decode()
    # now: 1,2,1,2,1 -> 7/5 = 1.4, shown the Dutch way
    assert "1,4 <span" in content
    assert "getoond: minstens 5 mensen van deze gemeente" in content
    assert "op basis van" not in content  # no exact total beside each figure's n
