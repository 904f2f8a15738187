"""SQL statements per request of the respondent's journey, pinned.

A pinned count is the regression guard: a new N+1 query or a lost select_related shows up here as a
failing test. When a change makes a page cheaper, pin the new, lower number. bench/inprocess.py prints
the same counts on the national benchmark data set (bench/README.md).

Each count is for the request as it happens in a journey: the browser has the language cookie (set at
registration), the session that registered the response, and answers theme by theme.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from assessments.models import Response
from conftest import answer_all

# Pinned numbers (SQLite and PostgreSQL alike, unless a dict says per database).
THEME_PAGE_GET = 2
# A page save (theme 1, A1-A4, inserted the first time, updated the next) on PostgreSQL: one upsert
# of the page's answers that finds and checks the response and sets its updated_at (the theme page
# read before it, as in a journey, left the response's version in this process's memory:
# assessments.views._save_unread). SQLite has no data-modifying WITH: there the response is read,
# the answers upserted and updated_at set in a transaction of their own.
THEME_PAGE_SAVE = {"postgresql": 1, "sqlite": 5}  # SQLite: BEGIN, SELECT, INSERT, UPDATE, COMMIT
# The same save in a process that has read no response yet (a worker's first request): the ordinary
# path reads the response first.
THEME_PAGE_SAVE_UNREMEMBERED = {"postgresql": 2, "sqlite": 6}
REVIEW_GET = 2
# The journey's submit: address not yet confirmed, so nothing starts to count (and no other response
# of the same person is read). One of these counts the recipient's mail of today for the daily cap
# (mailing.outbox.over_cap).
SUBMIT_POST = 13


@pytest.fixture
def journey_client(respondent_client, respondent):
    from instrument.models import Structure, version_as_of

    respondent_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    # A version and its structure are loaded once per process (as in a journey): not counted here,
    # whichever test of the run happens to come first.
    stub = Response.objects.respondent(respondent.public_id).instrument_version
    version_as_of(stub)
    Structure.of(stub)
    return respondent_client


def theme_url(response, number=1):
    return reverse("assessments:theme", kwargs={"public_id": response.public_id, "number": number})


def first_theme_post(response) -> dict:
    theme = response.instrument_version.themes.order_by("position").first()
    data = {"action": "next"}
    for statement in theme.statements.order_by("position"):
        data[f"{statement.key}-current"] = "2"
        data[f"{statement.key}-desired"] = "4"
        data[f"{statement.key}-note"] = ""
    return data


def test_theme_page_get(journey_client, respondent, django_assert_num_queries):
    from instrument.models import Structure

    Structure.of(respondent.instrument_version)  # cached per process once any page used the version
    with django_assert_num_queries(THEME_PAGE_GET):
        page = journey_client.get(theme_url(respondent))
    assert page.status_code == 200


def test_theme_page_save(journey_client, respondent, django_assert_num_queries):
    from django.db import connection

    data = first_theme_post(respondent)
    with django_assert_num_queries(THEME_PAGE_SAVE[connection.vendor]):
        saved = journey_client.post(theme_url(respondent), data)
    assert saved.status_code == 302
    assert sorted(respondent.answers.values_list("current", "desired")) == [(2, 4)] * (len(data) // 3)
    changed = {name: ("5" if name.endswith("-desired") else value) for name, value in data.items()}
    with django_assert_num_queries(THEME_PAGE_SAVE[connection.vendor]):
        saved = journey_client.post(theme_url(respondent), changed)
    assert saved.status_code == 302
    assert sorted(respondent.answers.values_list("current", "desired")) == [(2, 5)] * (len(data) // 3)


def test_theme_page_save_in_a_process_that_read_no_response(journey_client, respondent, django_assert_num_queries):
    from django.db import connection

    from assessments.models import forget_remembered_versions

    data = first_theme_post(respondent)
    forget_remembered_versions()
    with django_assert_num_queries(THEME_PAGE_SAVE_UNREMEMBERED[connection.vendor]):
        saved = journey_client.post(theme_url(respondent), data)
    assert saved.status_code == 302
    assert respondent.answers.count() == len(data) // 3


def test_review_get(journey_client, respondent, django_assert_num_queries):
    answer_all(respondent)
    url = reverse("assessments:review", kwargs={"public_id": respondent.public_id})
    with django_assert_num_queries(REVIEW_GET):
        page = journey_client.get(url)
    assert page.status_code == 200


def test_submit_post(journey_client, respondent, django_assert_num_queries, django_capture_on_commit_callbacks):
    answer_all(respondent)
    url = reverse("assessments:review", kwargs={"public_id": respondent.public_id})
    # After the commit the report-ready e-mail is delivered (mailing.outbox.deliver): counted too.
    with django_assert_num_queries(SUBMIT_POST), django_capture_on_commit_callbacks(execute=True):
        submitted = journey_client.post(url)
    assert submitted.status_code == 302
    respondent.refresh_from_db()
    assert respondent.submitted_at is not None
