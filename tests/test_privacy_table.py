"""One test per cell of the privacy model's "who sees what" table that the core loop touches.

Rows: public pages; one municipality's aggregate; an individual's levels; notes; e-mail addresses.
Columns here: anonymous, respondent (own session), another respondent, administrator.
Coordinators and analysts arrive with later issues.
"""

import pytest
from django.urls import reverse

from conftest import counted_response, login

PUBLIC = ["pages:home", "pages:privacy", "pages:accessibility", "pages:instrument", "reports:sample"]
NOTE = "only-the-owner-may-read-this"


@pytest.fixture
def owner(version, utrecht):
    response = counted_response(version, utrecht, "owner.person@utrecht.nl", current=2, desired=5)
    response.answers.filter(statement__position=1).update(note=NOTE)
    for i in range(4):
        counted_response(version, utrecht, f"colleague{i}@utrecht.nl")
    return response


def session_for(client, response):
    login(client, response)
    return client


def personal_pages(response):
    kwargs = {"public_id": response.public_id}
    return [
        reverse("assessments:resume", kwargs=kwargs),
        reverse("assessments:theme", kwargs={**kwargs, "number": 1}),
        reverse("assessments:review", kwargs=kwargs),
        reverse("assessments:stopped", kwargs=kwargs),
        reverse("reports:report", kwargs=kwargs),
    ]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_are_open_to_anonymous_visitors(client, version, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_are_open_to_respondents_and_administrators(client, admin_client, owner, name):
    assert session_for(client, owner).get(reverse(name)).status_code == 200
    assert admin_client.get(reverse(name)).status_code == 200


def test_anonymous_sees_no_individual_levels_notes_or_municipality_aggregate(client, owner):
    for url in personal_pages(owner):
        page = client.get(url)
        assert page.status_code == 403, url
        assert NOTE not in page.content.decode()


def test_another_respondent_sees_nothing_of_the_owner(client, version, utrecht, owner):
    other = counted_response(version, utrecht, "other@utrecht.nl")
    session_for(client, other)
    for url in personal_pages(owner):
        page = client.get(url)
        assert page.status_code == 403, url
        assert NOTE not in page.content.decode()


def test_respondent_sees_own_levels_notes_and_the_municipality_aggregate(client, owner):
    session_for(client, owner)
    client.cookies["django_language"] = "en"
    content = client.get(reverse("reports:report", kwargs={"public_id": owner.public_id})).content.decode()
    assert NOTE in content
    assert "shown: at least 5 people from this municipality" in content
    assert "(n=5)" in content


def test_respondent_sees_no_aggregate_before_submitting(client, version, utrecht, owner):
    from conftest import make_response

    newcomer = make_response(version, utrecht, email="new@utrecht.nl")
    session_for(client, newcomer)
    result = client.get(reverse("reports:report", kwargs={"public_id": newcomer.public_id}))
    assert result.status_code == 302
    assert "(n=" not in client.get(result["Location"]).content.decode()


def test_respondent_sees_own_address_only_masked_on_pages(client, owner):
    session_for(client, owner)
    for url in personal_pages(owner):
        assert "owner.person@utrecht.nl" not in client.get(url, follow=True).content.decode()


def test_administrator_never_sees_levels_or_notes_and_sees_addresses_masked(admin_client, owner):
    for url in personal_pages(owner):
        assert admin_client.get(url).status_code == 403
    listing = admin_client.get(reverse("admin:assessments_response_changelist")).content.decode()
    detail = admin_client.get(reverse("admin:assessments_response_change", args=[owner.pk])).content.decode()
    for content in (listing, detail):
        assert "owner.person@utrecht.nl" not in content
        assert NOTE not in content
    assert "o***@u***.nl" in listing


def test_administrator_has_no_admin_page_for_answers(admin_client, owner):
    assert admin_client.get("/admin/assessments/answer/").status_code == 404


def test_e_mails_carry_no_levels_or_notes(version, utrecht, sent_mail):
    response = counted_response(version, utrecht, "mail@utrecht.nl", current=2, desired=5)
    response.answers.update(note=NOTE)
    for message in sent_mail():
        assert NOTE not in message.body
