"""Peer groups: hand-computed figures, every threshold rule just below and at its limit, and the
subtraction rule across every group the report offers."""

from decimal import Decimal
from fractions import Fraction
from itertools import combinations

import pytest
from django.utils import timezone

from organisations.models import Municipality, Region, size_class
from reports import scoring
from reports.groups import available_groups, build_group, group_comparison, national_comparison
from reports.models import Snapshot

K = 5


def counts(*levels_with_counts, dont_know=0):
    """counts(3, 4, ...) -> [dk, n1..n5] from (level, n) pairs given as a flat list."""
    result = [dont_know, 0, 0, 0, 0, 0]
    pairs = list(levels_with_counts)
    for level, n in zip(pairs[::2], pairs[1::2], strict=True):
        result[level] += n
    return result


# --- pure rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "population,expected",
    [(0, 1), (19_999, 1), (20_000, 2), (49_999, 2), (50_000, 3), (99_999, 3), (100_000, 4), (249_999, 4), (250_000, 5)],
)
def test_size_class_boundaries(population, expected):
    assert size_class(population) == expected


def test_group_needs_three_municipalities_that_reach_k():
    five_at_3 = counts(3, 5)
    four_at_1 = counts(1, 4)  # below K: never part of a group
    two = scoring.peer_group_figure([five_at_3, five_at_3, four_at_1], K)
    assert (two.shown, two.reason) == (False, "few_members")
    three = scoring.peer_group_figure([five_at_3, five_at_3, counts(4, 5), four_at_1], K)
    # (5x3 + 5x3 + 5x4) / 15 = 50/15 = 3.33 -> 3.3; the member below K is left out entirely
    assert (three.shown, three.n, three.mean) == (True, 15, Decimal("3.3"))


def test_dont_know_answers_do_not_make_a_member_reach_k():
    almost = counts(2, 4, dont_know=10)
    assert scoring.qualifying_members([almost], K) == []


@pytest.mark.parametrize(
    "level_counts,q,expected",
    [
        # 1,2,3,4: P50 at rank 1.5 -> 2.5; P25 at rank 0.75 -> 1 + 0.75 = 1.75; P75 at 2.25 -> 3.25
        (counts(1, 1, 2, 1, 3, 1, 4, 1), Fraction(1, 2), Fraction(5, 2)),
        (counts(1, 1, 2, 1, 3, 1, 4, 1), Fraction(1, 4), Fraction(7, 4)),
        (counts(1, 1, 2, 1, 3, 1, 4, 1), Fraction(3, 4), Fraction(13, 4)),
        # ten answers 2,2,2,3,3,3,3,5,5,5: P50 at rank 4.5 -> 3; P25 at 2.25 -> 2 + 0.25 = 2.25
        (counts(2, 3, 3, 4, 5, 3), Fraction(1, 2), Fraction(3)),
        (counts(2, 3, 3, 4, 5, 3), Fraction(1, 4), Fraction(9, 4)),
        # P75 at rank 6.75: between 3 (rank 6) and 5 (rank 7) -> 3 + 2 x 0.75 = 4.5
        (counts(2, 3, 3, 4, 5, 3), Fraction(3, 4), Fraction(9, 2)),
        (counts(4, 1, dont_know=9), Fraction(1, 2), Fraction(4)),
        (counts(dont_know=3), Fraction(1, 2), None),
    ],
)
def test_percentiles_over_respondents(level_counts, q, expected):
    assert scoring.percentile(level_counts, q) == expected


def test_quartiles_are_shown_only_from_2k_answers():
    below = scoring.spread(counts(3, 9), K)  # n = 9 < 2K
    assert below.shown is False
    at = scoring.spread(counts(2, 3, 3, 4, 5, 3), K)  # n = 10 = 2K
    assert (at.shown, at.p25, at.median, at.p75) == (True, Decimal("2.3"), Decimal("3.0"), Decimal("4.5"))


@pytest.mark.parametrize("value,expected", [(2, "below"), (Decimal("2.3"), "within"), (4, "within"), (5, "above")])
def test_position_in_the_middle_half(value, expected):
    group = scoring.Spread(Decimal("2.3"), Decimal("3.0"), Decimal("4.5"), True)
    assert scoring.position_in(value, group) == expected
    assert scoring.position_in(None, group) is None


def test_build_group_qualifies_members_per_statement_and_scale():
    a = {"L1": {"current": counts(3, 5), "desired": counts(4, 5)}}
    b = {"L1": {"current": counts(3, 5), "desired": counts(4, 4, dont_know=1)}}  # desired below K
    c = {"L1": {"current": counts(4, 5), "desired": counts(5, 5)}}
    group = build_group("G", [a, b, c], K)
    now = group.figure("L1", "current")
    assert (now.shown, now.n, now.mean) == (True, 15, Decimal("3.3"))
    wanted = group.figure("L1", "desired")  # only a and c qualify: 2 members
    assert (wanted.shown, wanted.reason) == (False, "few_members")


# --- groups from snapshots ----------------------------------------------------------------------


def snapshot(code, current_levels, desired=4, n=None, include_demo=False):
    """A snapshot where every statement lineage has the same counts."""
    from instrument.models import InstrumentVersion

    version = InstrumentVersion.objects.current()
    data = {
        s.lineage: {"current": list(current_levels), "desired": counts(desired, scoring.known_n(current_levels))}
        for s in version.statements.all()
    }
    from organisations.models import Municipality
    from rounds.services import continuous_round

    return Snapshot.objects.create(
        municipality_id=code,
        round=continuous_round(Municipality.objects.get(pk=code)),
        include_demo=include_demo,
        taken_at=timezone.now(),
        n_responses=n if n is not None else scoring.known_n(current_levels),
        counts=data,
    )


@pytest.fixture
def utrecht_province(version):
    """Utrecht (GM0344), Amersfoort (GM0307) and Zeist (GM0355) reach K; Baarn (GM0308) does not."""
    snapshot("GM0344", counts(3, 10))
    snapshot("GM0307", counts(2, 5))
    snapshot("GM0355", counts(4, 6))
    snapshot("GM0308", counts(1, 4))
    return version


def test_province_group_is_built_from_members_that_reach_k(utrecht_province, version):
    utrecht = Municipality.objects.get(pk="GM0344")
    province = next(g for g in available_groups(utrecht) if g.key == "province")
    group = group_comparison(province)
    lineage = version.statements.first().lineage
    figure = group.figure(lineage, "current")
    # (10x3 + 5x2 + 6x4) / 21 = 64/21 = 3.05 -> 3.0; Baarn (4 answers) is left out
    assert (figure.shown, figure.n, figure.mean) == (True, 21, Decimal("3.0"))
    assert (group.n_municipalities, group.n_responses) == (3, 21)


def test_group_with_only_two_qualifying_members_is_not_shown(version):
    snapshot("GM0344", counts(3, 10))
    snapshot("GM0307", counts(2, 5))
    snapshot("GM0308", counts(1, 4))
    utrecht = Municipality.objects.get(pk="GM0344")
    group = group_comparison(next(g for g in available_groups(utrecht) if g.key == "province"))
    assert group.shown is False
    assert group.figure(version.statements.first().lineage, "current").reason == "few_members"


def test_groups_use_the_latest_snapshot_only(utrecht_province, version):
    snapshot("GM0344", counts(5, 10))  # a newer Utrecht snapshot replaces the older one
    lineage = version.statements.first().lineage
    figure = national_comparison().figure(lineage, "current")
    # (10x5 + 5x2 + 6x4) / 21 = 84/21 = 4.0
    assert (figure.n, figure.mean) == (21, Decimal("4.0"))


def test_demo_snapshots_are_not_used_outside_demo_mode(utrecht_province, version, settings):
    for code in ("GM0014", "GM0034", "GM0037"):
        snapshot(code, counts(5, 50), include_demo=True)
    lineage = version.statements.first().lineage
    assert national_comparison().figure(lineage, "current").n == 21


def test_available_groups_follow_the_register(version):
    utrecht = Municipality.objects.get(pk="GM0344")
    amersfoort = Municipality.objects.get(pk="GM0307")
    region = Region.objects.create(name="Regio Utrecht", slug="regio-utrecht")
    region.municipalities.add(utrecht, amersfoort)
    keys = [g.key for g in available_groups(utrecht)]
    assert keys == ["all", "province", "size", "urbanisation", "g4", "region-regio-utrecht"]
    assert [g.key for g in available_groups(amersfoort)] == [
        "all",
        "province",
        "size",
        "urbanisation",
        "g40",
        "region-regio-utrecht",
    ]
    assert utrecht.size_class == 5 and amersfoort.size_class == 4


def test_no_group_figure_minus_another_isolates_a_municipality_below_k(utrecht_province, version):
    """Subtraction rule, across every group the report offers to respondents of these
    municipalities: where one shown group contains another, their difference is exactly the sum
    of the qualifying members in between (each reaching K), and municipalities below K never
    contribute, so no subtraction reveals anything a respondent could not see directly."""
    snapshot("GM0363", counts(2, 8))  # Amsterdam
    snapshot("GM0599", counts(3, 7))  # Rotterdam
    snapshot("GM0518", counts(4, 2))  # Den Haag: below K
    region = Region.objects.create(name="Randstad", slug="randstad")
    region.municipalities.add(*Municipality.objects.filter(pk__in=["GM0344", "GM0363", "GM0518", "GM0308"]))
    lineage = version.statements.first().lineage
    member_counts = {s.municipality_id: s.counts[lineage]["current"] for s in Snapshot.objects.all()}
    qualifying = {code for code, c in member_counts.items() if scoring.reaches_k(scoring.known_n(c), K)}
    assert qualifying == {"GM0344", "GM0307", "GM0355", "GM0363", "GM0599"}
    offered = {}
    for code in ("GM0344", "GM0307", "GM0363", "GM0518", "GM0308"):
        for group in available_groups(Municipality.objects.get(pk=code)):
            result = group_comparison(group)
            if result.figure(lineage, "current").shown:
                members = set(Municipality.objects.filter(group.members).values_list("pk", flat=True))
                offered[(group.key, frozenset(members))] = (members & qualifying, result.data[lineage]["current"][0])
    assert len(offered) >= 4
    for members, shown_counts in offered.values():
        # Every shown group is exactly the sum of its qualifying members.
        assert shown_counts == scoring.add_counts(*[member_counts[c] for c in members])
    for (a_members, a_counts), (b_members, b_counts) in combinations(offered.values(), 2):
        if b_members < a_members or a_members < b_members:
            big, small = (a_counts, b_counts) if b_members < a_members else (b_counts, a_counts)
            difference = [x - y for x, y in zip(big, small, strict=True)]
            assert scoring.known_n(difference) >= K
            assert min(difference) >= 0


def test_report_page_shows_the_group_with_its_numbers(client, version, utrecht):
    from conftest import counted_response, login

    viewer = counted_response(version, utrecht, "v@utrecht.nl", current=3, desired=4)
    snapshot("GM0307", counts(2, 5))
    snapshot("GM0355", counts(4, 6))
    snapshot("GM0344", counts(3, 10))
    login(client, viewer)
    client.cookies["django_language"] = "en"
    url = f"/scan/{viewer.public_id}/report/"
    page = client.get(url, {"group": "province"}).content.decode()
    assert "Province of Utrecht" in page
    assert "built from 3 municipalities" in page
    # 21 answers sorted: 2 x5 (ranks 0-4), 3 x10 (ranks 5-14), 4 x6 (ranks 15-20).
    # median: rank 0.5 x 20 = 10 -> 3; P25: rank 5 -> 3; P75: rank 15 -> 4
    assert "3.0 (3.0–4.0)" in page
    assert client.get(url, {"group": "nonsense"}).status_code == 200  # falls back to all municipalities


def test_refresh_snapshots_command_takes_due_snapshots_only(version, utrecht, amersfoort):
    from io import StringIO

    from django.core.management import call_command

    from conftest import counted_response

    for i in range(5):
        counted_response(version, utrecht, f"u{i}@utrecht.nl")
    for i in range(4):
        counted_response(version, amersfoort, f"a{i}@amersfoort.nl")
    out = StringIO()
    call_command("refresh_snapshots", stdout=out)
    assert "Snapshots taken: 1 (of 2 municipalities" in out.getvalue()
    call_command("refresh_snapshots", stdout=out)
    assert Snapshot.objects.count() == 1


def test_the_chosen_group_travels_to_the_pdf_link(client, version, utrecht):
    from conftest import counted_response, login

    viewer = counted_response(version, utrecht, "v@utrecht.nl")
    login(client, viewer)
    page = client.get(f"/scan/{viewer.public_id}/report/", {"group": "province"}).content.decode()
    assert f'href="/scan/{viewer.public_id}/report/pdf/?group=province"' in page


@pytest.fixture
def seven_municipalities(version):
    """Current levels (every statement alike): Utrecht 10 x 3, Amsterdam 8 x 2, Rotterdam 7 x 3,
    Den Haag 4 x 5 (below K), Amersfoort 5 x 2, Zeist 6 x 4, Baarn 4 x 1 (below K)."""
    for code, level, n in [
        ("GM0344", 3, 10),
        ("GM0363", 2, 8),
        ("GM0599", 3, 7),
        ("GM0518", 5, 4),
        ("GM0307", 2, 5),
        ("GM0355", 4, 6),
        ("GM0308", 1, 4),
    ]:
        snapshot(code, counts(level, n))
    region = Region.objects.create(name="Regio Amersfoort", slug="regio-amersfoort")
    region.municipalities.add(*Municipality.objects.filter(pk__in=["GM0307", "GM0355", "GM0308", "GM0344"]))
    return version


@pytest.mark.parametrize(
    "code,key,expected",
    [
        # national: Utrecht 30/10, Amsterdam 16/8, Rotterdam 21/7, Amersfoort 10/5, Zeist 24/6 = 101/36 = 2.81
        ("GM0344", "all", (36, "2.8")),
        # province of Utrecht: Utrecht, Amersfoort, Zeist (Baarn below K) = 64/21 = 3.05
        ("GM0344", "province", (21, "3.0")),
        # G4, size class 5 and urbanisation class 1 hold the same four; Den Haag is below K:
        # (30 + 16 + 21) / 25 = 67/25 = 2.68
        ("GM0344", "g4", (25, "2.7")),
        ("GM0344", "size", (25, "2.7")),
        ("GM0344", "urbanisation", (25, "2.7")),
        # region: Amersfoort, Zeist, Utrecht (Baarn below K) = 64/21 = 3.05
        ("GM0307", "region-regio-amersfoort", (21, "3.0")),
        # G40: only Amersfoort; size class 4: only Amersfoort; urbanisation 2: Amersfoort, Zeist (Baarn below K)
        ("GM0307", "g40", None),
        ("GM0307", "size", None),
        ("GM0307", "urbanisation", None),
    ],
)
def test_every_peer_group_with_hand_computed_figures(seven_municipalities, version, code, key, expected):
    municipality = Municipality.objects.get(pk=code)
    group = next(g for g in available_groups(municipality) if g.key == key)
    figure = group_comparison(group).figure(version.statements.first().lineage, "current")
    if expected is None:
        assert (figure.shown, figure.reason) == (False, "few_members")
    else:
        assert (figure.shown, figure.n, figure.mean) == (True, expected[0], Decimal(expected[1]))


def test_a_member_just_reaching_k_joins_the_group(seven_municipalities, version):
    snapshot("GM0518", counts(5, 5))  # Den Haag now at K: (67 + 25) / 30 = 92/30 = 3.07
    utrecht = Municipality.objects.get(pk="GM0344")
    figure = group_comparison(next(g for g in available_groups(utrecht) if g.key == "g4")).figure(
        version.statements.first().lineage, "current"
    )
    assert (figure.n, figure.mean) == (30, Decimal("3.1"))


def test_a_group_just_reaching_three_members_is_shown(seven_municipalities, version):
    snapshot("GM0308", counts(1, 5))  # Baarn now at K: urbanisation 2 has 3 members: 39/16 = 2.44
    amersfoort = Municipality.objects.get(pk="GM0307")
    figure = group_comparison(next(g for g in available_groups(amersfoort) if g.key == "urbanisation")).figure(
        version.statements.first().lineage, "current"
    )
    assert (figure.shown, figure.n, figure.mean) == (True, 16, Decimal("2.4"))
