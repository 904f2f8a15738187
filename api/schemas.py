"""The shapes of the API's responses (they generate the OpenAPI schema and validate every answer)."""

from ninja import Schema
from pydantic import Field

Texts = dict[str, str]  # {language code: text}, one entry per language of the instrument


class Error(Schema):
    status: int = Field(description="The HTTP status code, repeated.")
    code: str = Field(description="Stable machine-readable code, e.g. not_found, invalid_request, method_not_allowed.")
    message: str = Field(description="What went wrong, for a person.")
    details: list[dict] = Field(default_factory=list, description="Per parameter: where and what.")


class ErrorResponse(Schema):
    error: Error


class Link(Schema):
    rel: str
    href: str


class Index(Schema):
    api_version: str
    links: list[Link]


class VersionSummary(Schema):
    version: str
    title: Texts
    languages: list[str]
    current: bool = Field(description="Whether new responses start on this version.")
    predecessor: str | None
    published_at: str


class Level(Schema):
    level: int
    text: Texts


class InstrumentStatement(Schema):
    key: str
    position: int
    precondition: str
    lineage: str = Field(
        description="Statements sharing a lineage are comparable across versions; aggregates pool them."
    )
    predecessor: str | None
    comparable: bool
    topic: Texts
    text: Texts
    levels: list[Level]


class InstrumentTheme(Schema):
    key: str
    position: int
    title: Texts
    description: Texts
    statements: list[InstrumentStatement]


class InstrumentVersionDetail(VersionSummary):
    preconditions: dict[str, Texts]
    themes: list[InstrumentTheme]


class Municipality(Schema):
    code: str = Field(description="CBS municipality code, e.g. GM0344.")
    name: str = Field(description="Official name.")
    common_name: str
    province: str
    province_code: str
    population: int
    size_class: int = Field(
        description="1: under 20,000; 2: 20,000-50,000; 3: 50,000-100,000; 4: 100,000-250,000; 5: 250,000+."
    )
    urbanisation_class: int = Field(description="CBS urbanisation class, 1 (very strongly urban) to 5 (not urban).")
    g4: bool
    g40: bool
    regions: list[str] = Field(description="Keys of the regions (groups) the municipality belongs to.")
    active: bool = Field(description="False for a municipality that merged into another.")
    merged_into: str | None = Field(description="Code of the municipality it merged into.")
    successor: str = Field(description="Code of the municipality it lives on in today (its own code if never merged).")


class Group(Schema):
    key: str = Field(description="national, size-1..5, province-<code>, urbanisation-1..5, g4, g40 or region-<slug>.")
    kind: str
    label: Texts
    municipalities_in_register: int = Field(description="Today's municipalities in the group.")


class Period(Schema):
    key: str = Field(description="'latest': each municipality's latest published snapshot. Rounds will add their keys.")
    round: str | None = Field(description="The round the figures belong to (rounds do not exist yet).")
    as_of: str | None = Field(description="When the newest snapshot behind the figures was taken.")


class Bin(Schema):
    levels: list[int] = Field(description="[from, to]: one level, or merged neighbouring levels.")
    count: int = Field(ge=3, description="People in these levels (at least 3).")


class Figure(Schema):
    shown: bool
    reason: str | None = Field(description="Why not shown: none, below_k, few_members or small_complement.")
    n: int | None = Field(description="People behind the figure who gave a level (1-5).")
    municipalities: int | None = Field(description="Municipalities behind the figure, each reaching K.")
    mean: float | None
    median: float | None = Field(description="Only from n = 2K.")
    p25: float | None = Field(description="Only from n = 2K.")
    p75: float | None = Field(description="Only from n = 2K.")
    distribution: list[Bin] | None = Field(description="People per level, only from n = 2K; levels under 3 merged.")


class StatementAggregate(Schema):
    key: str
    position: int
    theme: str
    lineage: str
    topic: Texts
    current: Figure
    desired: Figure
    gap: float | None = Field(description="Desired mean minus current mean, when both are shown.")


class ThemeFigure(Schema):
    shown: bool
    reason: str | None
    n: int | None = Field(description="The smallest n of the theme's statements.")
    mean: float | None
    stage: str | None = Field(description="improvising, effective, adaptive or smart.")


class ThemeAggregate(Schema):
    key: str
    title: Texts
    current: ThemeFigure
    desired: ThemeFigure


class Aggregates(Schema):
    instrument_version: str
    period: Period
    k: int = Field(description="The threshold K in force.")
    includes_demo_data: bool
    group: Group
    shown: bool = Field(
        description="False when fewer than 3 municipalities in the group reach K (few_members), or when only 1 or 2 "
        "counted municipalities lie outside it (small_complement: national minus the group would show theirs)."
    )
    reason: str | None
    municipalities: int | None = Field(description="Municipalities counted in the group (each reaching K).")
    statements: list[StatementAggregate]
    themes: list[ThemeAggregate]
