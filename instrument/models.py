"""The instrument: versions of the 21 statements, their themes and their 5 level descriptors.

Texts are stored as {language code: text} so that a third language needs no code change.
A version that has answers is read-only: the loader refuses changed text for it.
"""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zelfscan.rows import Select

LEVELS = (1, 2, 3, 4, 5)


def pick_language(texts: dict, language: str | None = None) -> str:
    """The text in the active language, falling back to the site's default language."""
    if not texts:
        return ""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return texts.get(language) or texts.get(settings.LANGUAGE_CODE) or next(iter(texts.values()))


class InstrumentVersionQuerySet(models.QuerySet):
    def current(self) -> "InstrumentVersion | None":
        """The version new responses start on: the most recently published one."""
        if self.query.has_filters():
            return self.order_by("-published_at", "-id").first()
        # The landing and registration pages ask on every request: SQL built once (zelfscan.rows).
        return _CURRENT.first()


class InstrumentVersion(models.Model):
    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.JSONField(_("title"), default=dict)
    languages = models.JSONField(_("languages"), default=list)
    preconditions = models.JSONField(_("preconditions"), default=dict)
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("predecessor"),
    )
    content_sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    objects = InstrumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "id"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")

    def __str__(self) -> str:
        return self.version

    def get_title(self) -> str:
        return pick_language(self.title)

    def precondition_label(self, key: str) -> str:
        return pick_language(self.preconditions.get(key, {})) or key


class Theme(models.Model):
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="themes")
    key = models.CharField(max_length=10)
    position = models.PositiveSmallIntegerField()
    title = models.JSONField(default=dict)
    description = models.JSONField(default=dict)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_theme_key_per_version")]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return f"{self.key}. {self.get_title()}"

    def get_title(self) -> str:
        return pick_language(self.title)

    def get_description(self) -> str:
        return pick_language(self.description)


class Statement(models.Model):
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="statements")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="statements")
    key = models.CharField(max_length=10)
    # Position in the whole instrument (1..21): the order of display and of tie-breaking.
    position = models.PositiveSmallIntegerField()
    precondition = models.CharField(max_length=40)
    topic = models.JSONField(default=dict)
    text = models.JSONField(default=dict)
    # Five level descriptors, level 1 first, each {language: text}.
    levels = models.JSONField(default=list)
    # Statements that stay comparable across versions share a lineage; aggregates group by it.
    lineage = models.CharField(max_length=60, db_index=True)
    predecessor_key = models.CharField(max_length=10, blank=True)
    comparable = models.BooleanField(default=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_statement_key_per_version")]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return f"{self.key} {self.get_topic()}"

    def get_topic(self) -> str:
        return pick_language(self.topic)

    def get_text(self) -> str:
        return pick_language(self.text)

    def get_precondition_label(self) -> str:
        return self.version.precondition_label(self.precondition)

    def level_text(self, level: int, language: str | None = None) -> str:
        return pick_language(self.levels[level - 1], language)

    def level_texts(self) -> list[tuple[int, str]]:
        return [(level, self.level_text(level)) for level in LEVELS]


class Structure:
    """A version's themes and statements, loaded once per process: published text never changes
    (a changed unpublished version gets a new content hash, hence a new cache entry)."""

    _cache: dict = {}
    # Whole versions by id, content hash and publication date (see version_as_of).
    _versions: dict = {}

    @classmethod
    def clear(cls) -> None:
        """Forget every cached structure and version (a loaded version; tests)."""
        cls._cache.clear()
        cls._versions.clear()

    def __init__(self, version: InstrumentVersion):
        self.themes = list(version.themes.order_by("position"))
        statements = list(version.statements.order_by("position"))
        self.statements = statements
        self.by_theme = {theme.id: [s for s in statements if s.theme_id == theme.id] for theme in self.themes}
        self.statement_ids = [s.id for s in statements]

    @classmethod
    def of(cls, version: InstrumentVersion) -> "Structure":
        key = (version.pk, version.content_sha256)
        structure = cls._cache.get(key)
        if structure is None:
            structure = cls._cache[key] = cls(version)
        return structure


_CURRENT = Select(InstrumentVersion, where=(), order_by=("-published_at", "-id"), limit=1)


def version_as_of(stub: InstrumentVersion) -> InstrumentVersion:
    """The whole version for `stub`, a version read with only its id, content_sha256 and
    published_at: from this process's cache while those three are unchanged, else from the database.
    One instance per process and content, as Structure.of keeps a version's themes and statements:
    the respondent's pages read three columns of the version with every request, not the row."""
    key = (stub.pk, stub.content_sha256, stub.published_at)
    found = Structure._versions.get(key)
    if found is None:
        found = Structure._versions[key] = InstrumentVersion.objects.get(pk=stub.pk)
    return found
