"""Open data: the national and peer-group aggregates of an instrument version and period, with a
licence and a description of every column (a Frictionless Data Package, datapackage.json).

No municipality appears by name: a municipality's own figures are published only if its
coordinator opts in, and opting in does not exist yet. So the open data holds groups only, and
every group follows the privacy model (members reaching K, at least 3 of them).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from instrument.models import InstrumentVersion

from . import exports
from .catalogue import public_groups
from .figures import GroupAggregates, Period, current_period, many_group_aggregates

NO_MUNICIPALITIES = gettext_lazy(
    "National and peer-group figures only: a municipality's own figures are published only when its "
    "coordinator opts in, and that option does not exist yet."
)


def all_groups(version: InstrumentVersion, period: Period | None = None) -> list[GroupAggregates]:
    return many_group_aggregates(public_groups(), version, period)


def open_data_json(version: InstrumentVersion, many: list[GroupAggregates] | None = None) -> dict:
    many = many if many is not None else all_groups(version)
    period = many[0].period if many else current_period()
    return {
        "title": f"Zelfscan aggregates, instrument {version.version}, {period.key}",
        "licence": exports.LICENCE,
        "instrument_version": version.version,
        "period": exports.period_to_dict(period),
        "k": many[0].k if many else None,
        "note": str(NO_MUNICIPALITIES),
        "groups": [exports.aggregates_to_dict(aggregates) for aggregates in many],
    }


def datapackage(version: InstrumentVersion, base_url: str = "", period: Period | None = None) -> dict:
    """The Data Package descriptor: licence, resources and the meaning of every CSV column."""
    period = period or current_period()
    types = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean", "datetime": "datetime"}
    return {
        "name": f"zelfscan-aggregates-{version.version.replace('.', '-')}-{period.key}",
        "title": f"Zelfscan aggregates, instrument {version.version}, {period.key}",
        "description": _(
            "Smart City Self-Assessment: national and peer-group figures per statement and scale, following the "
            "privacy rules (K, at least 3 municipalities, distributions only from n = 2K)."
        )
        + " "
        + str(NO_MUNICIPALITIES),
        "licenses": [exports.LICENCE],
        "resources": [
            {
                "name": "aggregates",
                "path": f"{base_url}aggregates.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": name, "type": types[kind], "description": str(description)}
                        for name, kind, description in exports.COLUMNS
                    ]
                },
            },
            {
                "name": "aggregates-json",
                "path": f"{base_url}aggregates.json",
                "format": "json",
                "mediatype": "application/json",
            },
        ],
    }
