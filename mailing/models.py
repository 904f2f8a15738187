"""The outbox: every e-mail is stored first and sent with retries, so a mail server that is
down never makes a registration or a submission fail."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.EmailField(_("recipient"), max_length=254)
    # The recipient as a person (zelfscan.privacy.counting_identity), for the daily mail cap.
    identity = models.CharField(max_length=254, editable=False, default="")
    # Counts towards the recipient's daily cap (mail anyone can cause); invitations, reminders
    # and role grants, which only coordinators and administrators cause, do not.
    capped = models.BooleanField(default=True, editable=False)
    subject = models.CharField(_("subject"), max_length=200)
    # The body is wiped once sent: it may carry a personal link.
    body = models.TextField(blank=True)
    kind = models.CharField(_("kind"), max_length=40)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["identity", "created_at"], name="outbox_identity_created")]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"{self.kind} ({self.status})"
