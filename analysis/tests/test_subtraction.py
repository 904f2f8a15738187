"""No public figure follows by subtraction (analysis.subtraction), with hand-made groups."""

import pytest

from analysis.subtraction import hidden_groups


def groups(**spec):
    return {key: (kind, frozenset(members)) for key, (kind, members) in spec.items()}


ALL = set("ABCDEFG")


def test_the_national_figure_minus_the_shown_provinces_must_not_leave_one_or_two():
    """Provinces X (A, B, C), Y (D, E, F), Z (G): national minus X minus Y gives G alone."""
    spec = groups(national=("national", ALL), X=("province", "ABC"), Y=("province", "DEF"), Z=("province", "G"))
    hidden = hidden_groups(spec, frozenset(ALL))
    assert hidden == {"X"}  # the smallest of the two (ties by key): then national - Y = A, B, C, G: 4


def test_a_region_inside_its_province_must_not_leave_one_or_two():
    spec = groups(national=("national", "ABCDEFGH"), P=("province", "ABCD"), R=("region", "ABC"))
    assert "R" in hidden_groups(spec, frozenset("ABCDEFGH"))


def test_differences_of_none_or_at_least_three_are_fine():
    spec = groups(
        national=("national", "ABCDEFGHI"),
        P=("province", "ABC"),
        Q=("province", "DEF"),
        S=("province", "GHI"),
        R=("region", "ABC"),  # the same members as P: difference 0
    )
    assert hidden_groups(spec, frozenset("ABCDEFGHI")) == set()


def test_only_municipalities_that_reach_k_count():
    """Region R (A, B, C, D) inside province P (A..E): E does not reach K for this statement, so
    P minus R holds nobody and both may show; when E does reach K, R must go."""
    spec = groups(national=("national", "ABCDEFGHIJ"), P=("province", "ABCDE"), R=("region", "ABCD"))
    assert hidden_groups(spec, frozenset("ABCDFGHIJ")) == set()
    assert "R" in hidden_groups(spec, frozenset("ABCDEFGHIJ"))


def test_hiding_one_group_is_checked_again():
    """After hiding the smallest size class, national minus the rest must still hold 0 or >= 3."""
    spec = groups(
        national=("national", "ABCDEFGHIJK"),
        s1=("size", "ABC"),
        s2=("size", "DEFG"),
        s3=("size", "HIJ"),
        s4=("size", "K"),
    )
    # s4 (K alone) is below 3 and not shown; national minus s1, s2, s3 would give K: the smallest
    # shown class goes (s1, before s3 by key); national minus s2, s3 then leaves A, B, C, K.
    assert hidden_groups(spec, frozenset("ABCDEFGHIJK")) == {"s1"}


@pytest.mark.django_db
def test_the_api_hides_a_province_whose_subtraction_reveals_a_municipality(client, version):
    """Seven municipalities with K each: three in Utrecht, three in Noord-Holland, one in Zeeland.
    National minus both provinces would give the Zeeland one: one of the provinces is hidden."""
    from analysis.tests.helpers import counts, snapshot

    for code in ["GM0344", "GM0307", "GM0355", "GM0363", "GM0392", "GM0361", "GM0687"]:
        snapshot(code, counts(3, 5), counts(4, 5))
    national = client.get("/api/v1/groups/national/aggregates/").json()
    utrecht = client.get("/api/v1/groups/province-PV26/aggregates/").json()
    holland = client.get("/api/v1/groups/province-PV27/aggregates/").json()
    assert national["statements"][0]["current"]["shown"]
    shown = [body["statements"][0]["current"]["shown"] if body["shown"] else False for body in (utrecht, holland)]
    assert shown.count(True) <= 1
