"""Assessment rounds: every response, and so every answer, belongs to exactly one round.

Each municipality has one continuous round that self-registered respondents join. A coordinator
can open a named round with a period; responses started while it is open belong to it. When a
named round closes (after a grace period for unfinished responses) its snapshot is published
and kept.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instrument.models import InstrumentVersion
from organisations.models import Municipality
from zelfscan.privacy import counting_identity, mask_email, token_hash


class Round(models.Model):
    class Kind(models.TextChoices):
        CONTINUOUS = "continuous", _("continuous round")
        NAMED = "named", _("named round")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("not open yet")
        OPEN = "open", _("open")
        GRACE = "grace", _("closed; unfinished responses can still be completed")
        CLOSED = "closed", _("closed and published")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("municipality")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.NAMED)
    name = models.CharField(_("name"), max_length=120)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    # Null: the current instrument version when a response starts.
    instrument_version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("instrument version"),
    )
    invite_only = models.BooleanField(
        _("invited colleagues only"),
        default=False,
        help_text=_("Only answers from addresses invited to this round count in its results."),
    )
    grace_days = models.PositiveSmallIntegerField(
        _("days to complete after closing"),
        default=7,
        help_text=_("Colleagues who started before the closing date can finish their answers for this many days."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.CharField(_("created by"), max_length=200, blank=True)
    # Set when the round was finalised: its snapshot published, unfinished responses moved on.
    closed_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(kind="continuous"),
                name="one_continuous_round_per_municipality",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="continuous") | models.Q(opens_on__isnull=False, closes_on__isnull=False),
                name="named_round_has_period",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__isnull=True) | models.Q(closes_on__gte=models.F("opens_on")),
                name="round_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.name}"

    @property
    def display_name(self) -> str:
        return str(_("Continuous round")) if self.is_continuous else self.name

    @property
    def is_continuous(self) -> bool:
        return self.kind == self.Kind.CONTINUOUS

    @property
    def grace_ends_on(self) -> datetime.date | None:
        if self.closes_on is None:
            return None
        return self.closes_on + datetime.timedelta(days=self.grace_days)

    def state(self, today: datetime.date | None = None) -> str:
        """Pure on the round's fields and today's date (in the site's time zone)."""
        today = today or timezone.localdate()
        if self.is_continuous:
            return self.State.OPEN
        if self.closed_at is not None:
            return self.State.CLOSED
        if today < self.opens_on:
            return self.State.SCHEDULED
        if today <= self.closes_on:
            return self.State.OPEN
        if today <= self.grace_ends_on:
            return self.State.GRACE
        # Past its grace period but not finalised yet (the daily job does that): no new answers.
        return self.State.CLOSED

    def get_state_display(self) -> str:
        return self.State(self.state()).label

    def accepts_new_responses(self, today=None) -> bool:
        return self.state(today) == self.State.OPEN

    def accepts_answers(self, today=None) -> bool:
        """Responses already in the round may be saved and submitted while open or in grace."""
        return self.state(today) in (self.State.OPEN, self.State.GRACE)

    def period_label(self) -> str:
        if self.is_continuous:
            return str(_("continuous"))
        return f"{self.opens_on:%d-%m-%Y} – {self.closes_on:%d-%m-%Y}"


class Department(models.Model):
    """A municipality's own department names, kept by its coordinators (added to the fixed domains)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("department"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="unique_department_name")]

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """A colleague a coordinator invited to a round. The address is visible to that round's
    coordinators (privacy-model.md: "invitees it added"); status comes from their response."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        STARTED = "started", _("started")
        FINISHED = "finished", _("finished")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"), max_length=254)
    identity = models.CharField(max_length=254, db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=120, blank=True)
    department = models.CharField(_("department"), max_length=120, blank=True)
    role = models.CharField(_("role"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="nl")
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    invited_by = models.CharField(_("invited by"), max_length=200, blank=True)
    response = models.OneToOneField(
        "assessments.Response", on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("no more reminders since"), null=True, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["round", "identity"], name="one_invitation_per_person_and_round")
        ]

    def __str__(self) -> str:
        return f"{mask_email(self.email)} – {self.round}"

    def save(self, *args, **kwargs):
        self.identity = counting_identity(self.email)
        super().save(*args, **kwargs)

    @property
    def status(self) -> str:
        response = self.response
        if response is None:
            return self.Status.INVITED
        if response.submitted_at is not None:
            return self.Status.FINISHED
        return self.Status.STARTED

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class InvitationToken(models.Model):
    """A personal invitation link (the first mail or a reminder); only the hash is kept."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"invitation link {self.pk}"

    @staticmethod
    def hash(token: str) -> str:
        return token_hash(token)
