"""The one way to write to the audit log."""

from .models import AuditEvent


def record(action: str, *, actor: str = "", target: str = "", municipality: str = "", **detail) -> AuditEvent:
    """Log `action` (a dotted verb such as "role.granted" or "export.raw") by `actor` on `target`.

    `detail` must hold no personal data beyond what actor and target already name.
    """
    return AuditEvent.objects.create(
        action=action, actor=actor[:200], target=target[:200], municipality=municipality, detail=detail
    )
