"""The respondent's journey through the test client: register, link, answer, review, submit."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from assessments.models import Answer, Response
from conftest import answer_all


def _link_from_mail(message) -> str:
    return re.search(r"http://testserver(/link/\?t=[\w-]+)", message.body).group(1)


@pytest.mark.django_db
def test_whole_journey_in_dutch(client, version, sent_mail):
    page = client.get(reverse("assessments:start"))
    assert page.status_code == 200
    assert "Start de zelfscan" in page.content.decode() or "Start the self-assessment" in page.content.decode()
    result = client.post(
        reverse("assessments:start"),
        {
            "email": "Bea@Utrecht.nl",
            "name": "Bea",
            "municipality": "utrecht",
            "domain": "mobility",
            "role": "policy",
            "language": "nl",
        },
    )
    assert result.status_code == 302
    response = Response.objects.get()
    assert response.email == "bea@utrecht.nl"
    assert response.municipality_id == "GM0344"
    assert len(sent_mail()) == 1
    link = _link_from_mail(mail.outbox[0])

    registered = client.get(reverse("assessments:registered"))
    assert "b***@u***.nl" in registered.content.decode()

    # A new browser (another device) opens the link: GET shows a button, POST confirms.
    other = client.__class__()
    assert other.get(link).status_code == 200
    assert Response.objects.get().email_confirmed_at is None
    token = link.split("t=")[1]
    exchanged = other.post(reverse("assessments:link"), {"t": token})
    assert exchanged.status_code == 302
    assert Response.objects.get().email_confirmed_at is not None

    theme_url = reverse("assessments:theme", kwargs={"public_id": response.public_id, "number": 1})
    page = other.get(theme_url)
    assert page.status_code == 200
    statements = list(version.themes.get(position=1).statements.all())
    data = {"action": "next"}
    for statement in statements:
        data[f"{statement.key}-current"] = "2"
        data[f"{statement.key}-desired"] = "4"
    saved = other.post(theme_url, data)
    assert saved.status_code == 302
    assert saved["Location"].endswith("/theme/2/")
    assert Answer.objects.filter(response=response, current=2, desired=4).count() == len(statements)

    answer_all(response)
    review_url = reverse("assessments:review", kwargs={"public_id": response.public_id})
    submitted = other.post(review_url)
    assert submitted.status_code == 302
    report = other.get(submitted["Location"])
    assert report.status_code == 200
    assert len(sent_mail()) == 2
