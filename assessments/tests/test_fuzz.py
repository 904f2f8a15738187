"""Property-based fuzzing of the theme form: whatever a tampered or broken browser posts, the
answer is never a server error, nothing outside levels 0-5 is stored, and what was saved before
is never lost to a post that is refused."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import login, make_response

LEVEL_LIKE = st.one_of(
    st.sampled_from(["", "0", "1", "2", "3", "4", "5", "6", "-1", "01", " 3", "3.0", "1e1", "null", "٣"]),
    st.text(max_size=12),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)
ACTIONS = st.sampled_from(["next", "previous", "stop", "save", "", "submit", "x" * 50])


@pytest.fixture
def fuzz_target(client, version, utrecht):
    response = make_response(version, utrecht)
    login(client, response)
    theme = version.themes.order_by("position").first()
    keys = [s.key for s in theme.statements.order_by("position")]
    client.post(
        f"/scan/{response.public_id}/theme/1/",
        {"action": "save", **{f"{k}-{scale}": "2" for k in keys for scale in ("current", "desired")}},
    )
    return client, response, keys


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_theme_post_is_answered_and_stores_only_valid_levels(fuzz_target, data):
    client, response, keys = fuzz_target
    fields = {}
    for key in keys:
        for scale in ("current", "desired"):
            if data.draw(st.booleans()):
                fields[f"{key}-{scale}"] = data.draw(LEVEL_LIKE)
        if data.draw(st.booleans()):
            fields[f"{key}-note"] = data.draw(st.text(max_size=300))
    extra = data.draw(st.dictionaries(st.text(min_size=1, max_size=20), st.text(max_size=20), max_size=4))
    fields.update({k: v for k, v in extra.items() if k != "csrfmiddlewaretoken"})
    fields["action"] = data.draw(ACTIONS)
    number = data.draw(st.sampled_from(["1", "2", "6", "7", "0", "99999999999"]))
    reply = client.post(f"/scan/{response.public_id}/theme/{number}/", fields)
    assert reply.status_code < 500
    assert reply.status_code in (200, 302, 400, 404, 405, 409)
    for current, desired in response.answers.values_list("current", "desired"):
        assert current is None or 0 <= current <= 5
        assert desired is None or 0 <= desired <= 5
    # The first theme was answered (2/2) before; a refused post never erases those answers.
    assert response.answers.filter(statement__key__in=keys, current__isnull=True).count() == 0
