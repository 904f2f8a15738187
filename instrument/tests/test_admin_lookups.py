"""The admin refuses hand-made URL lookups that would unmask addresses or find links in mail."""

from django.urls import reverse

from conftest import counted_response


def test_response_admin_refuses_email_lookups(admin_client, version, utrecht):
    counted_response(version, utrecht, "victim.name@utrecht.nl")
    url = reverse("admin:assessments_response_changelist")
    for query in ({"email__startswith": "victim"}, {"email": "victim.name@utrecht.nl"}, {"identity__contains": "v"}):
        page = admin_client.get(url, query)
        # Django answers a refused lookup with a redirect to ?e=1 (no filtering applied).
        assert page.status_code in (302, 400), query
    assert admin_client.get(url, {"is_demo__exact": "0"}).status_code == 200


def test_outbox_admin_refuses_body_lookups(admin_client, respondent):
    url = reverse("admin:mailing_outboxmessage_changelist")
    assert admin_client.get(url, {"body__contains": "/link/"}).status_code in (302, 400)
    assert admin_client.get(url, {"status__exact": "queued"}).status_code == 200
