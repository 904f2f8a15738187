"""The public API, version 1: the instrument, the municipality register, the public groups and
their aggregates. Everything here may be read by anyone (../shared/privacy-model.md); the figures
come from analysis.figures, as on the national page and in the exports.

Room for what comes next (accounts and rounds): per-municipality aggregates at
/municipalities/{code}/aggregates/ (with a token), `round=` beside `version=`, and a `round`
in every aggregate's `period`.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router

from analysis.catalogue import find_public_group, public_groups
from analysis.exports import aggregates_to_dict, group_to_dict, texts
from analysis.figures import group_aggregates
from instrument.models import LEVELS, InstrumentVersion
from organisations.models import Municipality

from . import schemas

router = Router()

ERRORS = {400: schemas.ErrorResponse, 404: schemas.ErrorResponse}
VERSION_PATTERN = r"^[0-9A-Za-z._-]{1,20}$"
CODE_PATTERN = r"^GM[0-9]{4}$"
GROUP_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$"
PROVINCE_PATTERN = r"^PV[0-9]{2}$"


@router.get("/", response=schemas.Index, operation_id="index", summary="Where to start")
def index(request):
    links = [
        ("openapi", "openapi.json"),
        ("reference", "docs/"),
        ("instrument", "instrument/versions/"),
        ("municipalities", "municipalities/"),
        ("groups", "groups/"),
    ]
    base = request.path
    return {"api_version": "1", "links": [{"rel": rel, "href": base + href} for rel, href in links]}


def version_summary(version: InstrumentVersion, current_id: int | None) -> dict:
    return {
        "version": version.version,
        "title": texts(version.title),
        "languages": list(version.languages),
        "current": version.pk == current_id,
        "predecessor": version.predecessor.version if version.predecessor_id else None,
        "published_at": version.published_at.isoformat(),
    }


@router.get(
    "/instrument/versions/",
    response=list[schemas.VersionSummary],
    operation_id="list_instrument_versions",
    summary="Every version of the instrument",
)
def list_versions(request):
    current = InstrumentVersion.objects.current()
    versions = InstrumentVersion.objects.select_related("predecessor").order_by("published_at", "id")
    return [version_summary(version, current.pk if current else None) for version in versions]


@router.get(
    "/instrument/versions/{version}/",
    response={200: schemas.InstrumentVersionDetail, **ERRORS},
    operation_id="get_instrument_version",
    summary="One version: themes, statements and level texts in every language",
)
def get_version(request, version: str = Path(..., pattern=VERSION_PATTERN, examples=["2026.1"])):
    instrument = get_object_or_404(InstrumentVersion.objects.select_related("predecessor"), version=version)
    current = InstrumentVersion.objects.current()
    statements = list(instrument.statements.order_by("position"))
    result = version_summary(instrument, current.pk if current else None)
    result["preconditions"] = {key: texts(value) for key, value in instrument.preconditions.items()}
    result["themes"] = [
        {
            "key": theme.key,
            "position": theme.position,
            "title": texts(theme.title),
            "description": texts(theme.description),
            "statements": [
                {
                    "key": s.key,
                    "position": s.position,
                    "precondition": s.precondition,
                    "lineage": s.lineage,
                    "predecessor": s.predecessor_key or None,
                    "comparable": s.comparable,
                    "topic": texts(s.topic),
                    "text": texts(s.text),
                    "levels": [{"level": level, "text": texts(s.levels[level - 1])} for level in LEVELS],
                }
                for s in statements
                if s.theme_id == theme.id
            ],
        }
        for theme in instrument.themes.order_by("position")
    ]
    return result


def municipality_rows(queryset) -> list[dict]:
    everyone = dict(Municipality.objects.values_list("pk", "merged_into_id"))

    def successor(code: str) -> str:
        seen = {code}
        while everyone.get(code) and everyone[code] not in seen:
            code = everyone[code]
            seen.add(code)
        return code

    return [
        {
            "code": m.pk,
            "name": m.name,
            "common_name": m.common_name,
            "province": m.province,
            "province_code": m.province_code,
            "population": m.population,
            "size_class": m.size_class,
            "urbanisation_class": m.urbanisation_class,
            "g4": m.g4,
            "g40": m.g40,
            "regions": [f"region-{region.slug}" for region in m.regions.all()],
            "active": m.active,
            "merged_into": m.merged_into_id,
            "successor": successor(m.pk),
        }
        for m in queryset.prefetch_related("regions").order_by("pk")
    ]


@router.get(
    "/municipalities/",
    response={200: list[schemas.Municipality], 400: schemas.ErrorResponse},
    operation_id="list_municipalities",
    summary="The municipality register, with merged municipalities and their successor",
)
def list_municipalities(
    request,
    province: str | None = Query(None, pattern=PROVINCE_PATTERN, description="Province code, e.g. PV26."),
    active: bool | None = Query(None, description="true: today's municipalities; false: merged ones."),
):
    queryset = Municipality.objects.all()
    if province is not None:
        queryset = queryset.filter(province_code=province)
    if active is not None:
        queryset = queryset.filter(active=active)
    return municipality_rows(queryset)


@router.get(
    "/municipalities/{code}/",
    response={200: schemas.Municipality, **ERRORS},
    operation_id="get_municipality",
    summary="One municipality of the register",
)
def get_municipality(request, code: str = Path(..., pattern=CODE_PATTERN, examples=["GM0344"])):
    rows = municipality_rows(Municipality.objects.filter(pk=code))
    if not rows:
        raise Http404("No municipality with this code.")
    return rows[0]


@router.get(
    "/groups/",
    response=list[schemas.Group],
    operation_id="list_groups",
    summary="The groups of municipalities with public aggregates",
)
def list_groups(request):
    return [group_to_dict(group) for group in public_groups()]


@router.get(
    "/groups/{group}/aggregates/",
    response={200: schemas.Aggregates, **ERRORS},
    operation_id="get_group_aggregates",
    summary="A group's figures per statement and scale (national: group 'national')",
)
def get_group_aggregates(
    request,
    group: str = Path(..., pattern=GROUP_PATTERN, examples=["national"]),
    version: str | None = Query(
        None, pattern=VERSION_PATTERN, description="Instrument version; default: the current one."
    ),
):
    found = find_public_group(group)
    if found is None:
        raise Http404("No group with this key: see /api/v1/groups/.")
    if version is None:
        instrument = InstrumentVersion.objects.current()
    else:
        instrument = InstrumentVersion.objects.filter(version=version).first()
    if instrument is None:
        raise Http404("No instrument version with this name: see /api/v1/instrument/versions/.")
    return aggregates_to_dict(group_aggregates(found, instrument))
