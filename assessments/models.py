"""Responses to the instrument, their answers, and the personal links that open them."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instrument.models import InstrumentVersion, Statement, version_as_of
from organisations.models import Municipality
from rounds.models import Round
from zelfscan.privacy import counting_identity, mask_email, token_hash
from zelfscan.rows import Select

from .choices import Domain, Role

DONT_KNOW = 0
LEVEL_CHOICES = [(DONT_KNOW, _("I don't know"))] + [(level, str(level)) for level in range(1, 6)]


class ResponseQuerySet(models.QuerySet):
    def counted(self, include_demo: bool | None = None) -> "ResponseQuerySet":
        """Responses that count in aggregates (privacy-model.md, "Which responses count")."""
        if include_demo is None:
            include_demo = settings.ZELFSCAN_DEMO_MODE
        qs = self.filter(counted_at__isnull=False, superseded_at__isnull=True)
        return qs if include_demo else qs.filter(is_demo=False)

    def respondent(self, public_id) -> "Response | None":
        """The response (not demo data) with this public id, with its version and municipality.
        Every respondent page starts with it, so its SQL is built once (zelfscan.rows), and the
        version comes whole from the process's cache (instrument.models.version_as_of)."""
        found = _RESPONDENT.first(public_id, False)
        if found is not None:
            found.instrument_version = version_as_of(found.instrument_version)
            _remember_version(found)
        return found

    def locked(self, pk: int) -> "Response":
        """The response with its version and municipality, its row locked (PostgreSQL: FOR UPDATE
        OF the response only) until the transaction ends."""
        found = _LOCKED.first(pk, for_update=True)
        if found is None:
            raise Response.DoesNotExist
        return found


# The instrument version of the responses the respondent's pages read lately in this process, and
# of the last one read (under None): the page save's guess (assessments.views.theme), which the
# save's own statement checks (services.PageTarget), so a wrong or stale guess costs nothing but the
# ordinary path. Forgotten wholesale at RECENT_VERSIONS_LIMIT entries (about 1 MB).
_recent_versions: dict = {}
RECENT_VERSIONS_LIMIT = 10_000


def _remember_version(response: "Response") -> None:
    if len(_recent_versions) >= RECENT_VERSIONS_LIMIT:
        _recent_versions.clear()
    _recent_versions[response.public_id] = _recent_versions[None] = response.instrument_version


def forget_remembered_versions() -> None:
    _recent_versions.clear()


def remembered_version(public_id: uuid.UUID) -> "InstrumentVersion | None":
    """The version of the response with this public id as this process last read it, else the
    version of the last response read; None before any was read."""
    return _recent_versions.get(public_id) or _recent_versions.get(None)


class Response(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="responses", verbose_name=_("instrument version")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="responses", verbose_name=_("municipality")
    )
    # Every response, and so every answer, belongs to exactly one round of its municipality.
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="responses", verbose_name=_("round"))
    email = models.EmailField(_("e-mail address"), max_length=254, db_index=True)
    # The address as a person (see zelfscan.privacy.counting_identity): one identity counts once.
    identity = models.CharField(max_length=254, db_index=True, editable=False, default="")
    name = models.CharField(_("name"), max_length=120, blank=True)
    domain = models.CharField(_("domain"), max_length=40, choices=Domain.choices)
    # One of the municipality's own departments (rounds.Department), when its coordinator keeps a list.
    department = models.CharField(_("department"), max_length=120, blank=True)
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    # Set when the respondent exchanged a personal link e-mailed to this address.
    email_confirmed_at = models.DateTimeField(_("address confirmed"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # When the response started to count (submitted and confirmed); null while it does not.
    counted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Set when a later counted submission from the same address and municipality replaced it.
    superseded_at = models.DateTimeField(null=True, blank=True)
    # Up to two other municipalities the respondent compares with in the report.
    compare_with = models.ManyToManyField(Municipality, blank=True, related_name="+", verbose_name=_("compared with"))

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["municipality", "counted_at"])]

    def __str__(self) -> str:
        return f"{mask_email(self.email)} – {self.municipality}"

    def save(self, *args, **kwargs):
        self.identity = counting_identity(self.email)
        if kwargs.get("update_fields") is not None and "email" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "identity"}
        super().save(*args, **kwargs)

    @property
    def masked_email(self) -> str:
        return mask_email(self.email)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="answers")
    # Level 1..5, 0 for "I don't know", null while unanswered.
    current = models.PositiveSmallIntegerField(null=True, blank=True, choices=LEVEL_CHOICES)
    desired = models.PositiveSmallIntegerField(null=True, blank=True, choices=LEVEL_CHOICES)
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "statement"], name="one_answer_per_statement"),
            models.CheckConstraint(condition=models.Q(current__lte=5), name="current_level_in_range"),
            models.CheckConstraint(condition=models.Q(desired__lte=5), name="desired_level_in_range"),
        ]

    def __str__(self) -> str:
        return f"answer {self.pk}"


_RESPONDENT = Select(
    Response,
    where=("public_id", "is_demo"),
    related=("municipality", "instrument_version"),
    related_only={"instrument_version": ("content_sha256", "published_at")},
)
_LOCKED = Select(Response, where=("id",), related=("municipality", "instrument_version", "round"))


class SavedAnswer:
    """A stored answer as the respondent's pages use it: its key, statement and levels and note.
    Not a model instance: the pages read all of a response's answers on every request, and 21
    Answer instances cost five times the query. `zelfscan.rows.Update(Answer, ...)` saves it
    (updated_at is set before saving)."""

    __slots__ = ("id", "statement_id", "current", "desired", "note", "updated_at")

    def __init__(self, id, statement_id, current, desired, note):  # noqa: A002 - the column's name
        self.id, self.statement_id, self.current, self.desired, self.note = id, statement_id, current, desired, note
        self.updated_at = None

    @property
    def pk(self):
        return self.id

    def __repr__(self) -> str:
        return f"SavedAnswer({self.id}, statement {self.statement_id}: {self.current}/{self.desired})"


_ANSWER_FIELDS = ("statement", "current", "desired", "note")
_ANSWERS = Select(Answer, where=("response",), only=_ANSWER_FIELDS, record=SavedAnswer)


def answers_of(response: Response) -> dict[int, SavedAnswer]:
    """{statement_id: SavedAnswer} of a response. SQL built once (zelfscan.rows)."""
    rows = _ANSWERS.all(response.pk)
    return {answer.statement_id: answer for answer in rows}


class AccessToken(models.Model):
    """A personal link (kind=personal) or a read-only report link (kind=share); only the hash is kept."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("personal link")
        SHARE = "share", _("read-only report link")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="tokens")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @staticmethod
    def hash(token: str) -> str:
        return token_hash(token)

    def expires_at(self):
        return (self.last_used_at or self.created_at) + timedelta(days=settings.ZELFSCAN_LINK_VALIDITY_DAYS)

    def is_valid(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at()
