"""The snapshot rule per group (review finding): a department, domain or role figure never moves
by fewer than K people between two pages, or the difference would give their levels."""

import re

import pytest

from insights.breakdown import moves_by_fewer_than_k
from insights.tests.helpers import colleague, levels, named_round

pytestmark = pytest.mark.django_db


def cells(client, round_):
    page = client.get(f"/coordinator/rounds/{round_.pk}/report/groups/?by=department&scale=current")
    html = page.content.decode()
    return re.search(r'<th scope="row">A1\..*?</tr>', html, re.S).group(0)


def test_one_new_colleague_in_a_department_does_not_move_its_figures(coordinator_client, version, utrecht):
    spring = named_round(utrecht)
    for i in range(5):
        colleague(version, utrecht, f"f{i}@utrecht.nl", levels(2, 3, 3), 4, department="Finance")
        colleague(version, utrecht, f"i{i}@utrecht.nl", levels(4, 3, 3), 4, department="IT")
    before = cells(coordinator_client, spring)
    assert "n=5" in before
    # One new Finance colleague and four IT colleagues: K new in the round, so the round snapshot
    # moves; Finance would move by 1 person, so the department view stays as it was.
    colleague(version, utrecht, "newcomer@utrecht.nl", levels(5, 3, 3), 4, department="Finance")
    for i in range(4):
        colleague(version, utrecht, f"j{i}@utrecht.nl", levels(4, 3, 3), 4, department="IT")
    assert cells(coordinator_client, spring) == before
    # Four more Finance colleagues: Finance has grown by K since the view was taken: it moves.
    for i in range(4):
        colleague(version, utrecht, f"g{i}@utrecht.nl", levels(2, 3, 3), 4, department="Finance")
    for i in range(1):
        colleague(version, utrecht, f"k{i}@utrecht.nl", levels(4, 3, 3), 4, department="IT")
    after = cells(coordinator_client, spring)
    assert after != before and "n=10" in after


@pytest.mark.parametrize(
    ("before", "after", "moves"),
    [
        (
            {"department": {"F": {"A1": {"current": [0, 0, 5, 0, 0, 0], "desired": [0] * 6}}}},
            {"department": {"F": {"A1": {"current": [0, 0, 5, 0, 0, 1], "desired": [0] * 6}}}},
            True,
        ),
        (
            {"department": {"F": {"A1": {"current": [0, 0, 5, 0, 0, 0], "desired": [0] * 6}}}},
            {"department": {"F": {"A1": {"current": [0, 0, 5, 0, 0, 5], "desired": [0] * 6}}}},
            False,
        ),
        ({"department": {}}, {"department": {"G": {"A1": {"current": [0, 3, 0, 0, 0, 0], "desired": [0] * 6}}}}, True),
        (
            {"role": {"x": {"A1": {"current": [9, 0, 0, 0, 0, 0], "desired": [0] * 6}}}},
            {"role": {"x": {"A1": {"current": [10, 0, 0, 0, 0, 0], "desired": [0] * 6}}}},
            True,
        ),  # one more "I don't know" counts too
    ],
)
def test_moves_by_fewer_than_k(before, after, moves):
    assert moves_by_fewer_than_k(before, after, 5) is moves
