import pytest
from django.contrib.auth import get_user_model

from audit.models import AuditEvent
from audit.services import record


@pytest.mark.django_db
def test_record_keeps_action_actor_target_and_details():
    event = record("role.granted", actor="admin#1", target="coordinator#7", municipality="GM0344", role="coordinator")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.actor, stored.target, stored.municipality) == (
        "role.granted",
        "admin#1",
        "coordinator#7",
        "GM0344",
    )
    assert stored.detail == {"role": "coordinator"}


@pytest.mark.django_db
def test_admin_can_read_but_not_change_or_delete(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password-123")
    event = record("export.raw", actor="admin#1")
    client.force_login(admin)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    page = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
