"""SQL statements of the personal report page with all comparisons, pinned.

The viewer's own municipality and the two chosen ones each have K counted responses. The first GET
takes the three snapshots (cold); every later GET is served from them (steady state, the common case).
A pinned count is the regression guard: an N+1 query shows up here; pin a lower number when a change
makes the page cheaper. bench/report_page.py and bench/inprocess.py print the same counts on the
national benchmark data set (bench/README.md).
"""

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import counted_response, login
from organisations.models import Municipality

# Per compared municipality (3): its rounds, each open round's last snapshot and new arrivals,
# the merger lineage, and the snapshot shown (its most recent round reaching K).
REPORT_GET_STEADY = 24
REPORT_GET_COLD = 35  # the same request taking the three snapshots (and filling the municipality picker cache)


@pytest.fixture
def viewer_client(client, version, utrecht, amersfoort):
    groningen = Municipality.objects.get(pk="GM0014")
    for municipality in (utrecht, amersfoort, groningen):
        for n in range(settings.ZELFSCAN_K):
            counted_response(version, municipality, f"colleague{n}@{municipality.pk.lower()}.nl")
    viewer = counted_response(version, utrecht, "viewer@utrecht.nl")
    viewer.compare_with.set([amersfoort, groningen])
    login(client, viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    return client, reverse("reports:report", kwargs={"public_id": viewer.public_id})


def test_report_page_cold(viewer_client, django_assert_num_queries):
    client, url = viewer_client
    with django_assert_num_queries(REPORT_GET_COLD):
        page = client.get(url)
    assert page.status_code == 200


def test_report_page_steady_state(viewer_client, django_assert_num_queries):
    client, url = viewer_client
    assert client.get(url).status_code == 200  # takes the snapshots
    with django_assert_num_queries(REPORT_GET_STEADY):
        page = client.get(url)
    assert page.status_code == 200
