"""The admin: instrument read-only, respondents masked, never levels or notes."""

from django.contrib import admin
from django.urls import reverse

from assessments.models import AccessToken, Answer
from conftest import counted_response


def test_instrument_is_read_only_in_the_admin(admin_client, version):
    change = reverse("admin:instrument_instrumentversion_change", args=[version.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"version": "hacked"}).status_code == 403
    assert admin_client.get(reverse("admin:instrument_instrumentversion_add")).status_code == 403
    statement = version.statements.first()
    assert admin_client.post(reverse("admin:instrument_statement_change", args=[statement.pk]), {}).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:instrument_statement_delete", args=[statement.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    version.refresh_from_db()
    assert version.version == "2026.1"


def test_respondents_are_masked_and_show_no_levels_or_notes(admin_client, version, utrecht):
    response = counted_response(version, utrecht, "jan.jansen@utrecht.nl")
    response.answers.update(note="private note")
    listing = admin_client.get(reverse("admin:assessments_response_changelist")).content.decode()
    assert "j***@u***.nl" in listing
    assert "jan.jansen@utrecht.nl" not in listing
    detail = admin_client.get(reverse("admin:assessments_response_change", args=[response.pk])).content.decode()
    assert "jan.jansen" not in detail
    assert "private note" not in detail
    assert Answer not in admin.site._registry
    assert AccessToken not in admin.site._registry


def test_admin_can_revoke_a_respondents_links(admin_client, version, utrecht):
    response = counted_response(version, utrecht, "r@utrecht.nl")
    admin_client.post(
        reverse("admin:assessments_response_changelist"),
        {"action": "revoke_links", "_selected_action": [response.pk]},
    )
    assert not AccessToken.objects.filter(response=response, revoked_at__isnull=True).exists()


def test_outbox_in_the_admin_masks_the_recipient_and_hides_the_body(admin_client, respondent):
    page = admin_client.get(reverse("admin:mailing_outboxmessage_changelist")).content.decode()
    assert "a***@u***.nl" in page
    assert "alice@utrecht.nl" not in page
    from mailing.models import OutboxMessage

    message = OutboxMessage.objects.first()
    detail = admin_client.get(reverse("admin:mailing_outboxmessage_change", args=[message.pk])).content.decode()
    assert "/link/?t=" not in detail


def test_anonymous_users_and_respondents_cannot_open_the_admin(client, respondent_client):
    assert client.get(reverse("admin:assessments_response_changelist")).status_code == 302
    assert respondent_client.get(reverse("admin:assessments_response_changelist")).status_code == 302
