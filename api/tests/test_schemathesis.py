"""Schemathesis against the app's own OpenAPI schema, in-process (WSGI): generated requests for
every endpoint, valid ones and invalid ones, must never get a server error and every answer must
match the schema (status codes, content types, response bodies).

Schemathesis' own pytest integration does not run on pytest 9 yet, so this drives its Hypothesis
strategies directly: one test per operation and generation mode.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode

from analysis.tests.helpers import province_of_utrecht
from api.api import api

EXAMPLES = 25  # per operation and mode: enough to reach every parameter's edges, quick enough for `make test`
SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")
OPERATIONS = [(method.upper(), path) for path, operations in SCHEMA["paths"].items() for method in operations]
# Invalid data exists only for operations that take parameters.
CASES = [(method, path, GenerationMode.POSITIVE) for method, path in OPERATIONS] + [
    (method, path, GenerationMode.NEGATIVE)
    for method, path in OPERATIONS
    if SCHEMA["paths"][path][method.lower()].get("parameters")
]


def test_every_endpoint_is_covered():
    assert len(OPERATIONS) == 8
    assert len(CASES) == 8 + 5


@pytest.fixture
def api_schema(version):
    province_of_utrecht()  # groups with figures, and groups without
    # The WSGI handler closes "old" database connections after each request, which inside a test
    # transaction on PostgreSQL closes the test's own connection; Django's test client switches
    # that off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_the_api_conforms_to_its_schema_and_never_fails(api_schema, method, path, mode):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate()

    check()
