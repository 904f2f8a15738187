"""The data migrations that put existing responses and snapshots into continuous rounds run one
UPDATE per municipality (not one per row: the models' default ordering once made distinct() return
every row, and the migration took 27 minutes on the benchmark's 54,500 responses)."""

import importlib
from datetime import UTC, datetime

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Response
from conftest import make_response
from reports.models import Snapshot
from rounds.services import continuous_round


class SchemaEditor:
    """What the functions use of the schema editor migrate passes them."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _updates(queries, table: str) -> int:
    return sum(1 for q in queries if q["sql"].startswith(f'UPDATE "{table}"'))


def test_responses_move_into_continuous_rounds_with_one_update_per_municipality(base_data, utrecht, amersfoort):
    migration = importlib.import_module("assessments.migrations.0003_response_round")
    for number in range(4):
        make_response(base_data, utrecht, email=f"u{number}@utrecht.nl")
    make_response(base_data, amersfoort, email="a@amersfoort.nl")
    with CaptureQueriesContext(connection) as queries:
        migration.into_continuous_rounds(apps, SchemaEditor())
    assert _updates(queries, "assessments_response") == 2
    assert {r.round.kind for r in Response.objects.select_related("round")} == {"continuous"}


def test_snapshots_move_into_continuous_rounds_with_one_update_per_municipality(base_data, utrecht, amersfoort):
    migration = importlib.import_module("reports.migrations.0002_snapshot_published_snapshot_round")
    round_ = continuous_round(utrecht)
    for hour in (9, 10, 11):
        Snapshot.objects.create(
            municipality=utrecht, round=round_, taken_at=datetime(2026, 3, 2, hour, tzinfo=UTC), n_responses=0
        )
    Snapshot.objects.create(
        municipality=amersfoort,
        round=continuous_round(amersfoort),
        taken_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
        n_responses=0,
    )
    assert Snapshot.objects.filter(municipality=utrecht).count() == 3
    with CaptureQueriesContext(connection) as queries:
        migration.into_continuous_rounds(apps, SchemaEditor())
    assert _updates(queries, "reports_snapshot") == 2
