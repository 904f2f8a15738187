"""The public group figures: hand-computed numbers (analysis/tests/helpers.py), every threshold, and
demo data left out. The same builder feeds the page, the API and the exports."""

from decimal import Decimal

import pytest
from django.utils import translation

from analysis.catalogue import find_public_group, public_groups
from analysis.figures import group_aggregates
from organisations.models import Municipality, Region
from reports.groups import available_groups, group_comparison

from .helpers import counts, province_of_utrecht, snapshot

D = Decimal


def bins(figure):
    return [(b.low, b.high, b.count) for b in figure.distribution]


def test_province_figures_are_hand_computed(version):
    province_of_utrecht()
    aggregates = group_aggregates(find_public_group("province-PV26"), version)
    assert (aggregates.shown, aggregates.reason, aggregates.municipalities, aggregates.k) == (True, None, 3, 5)
    assert len(aggregates.statements) == 21 and len(aggregates.themes) == 6
    row = aggregates.statements[0]
    now, wanted = row.current, row.desired
    assert (now.n, now.municipalities, now.mean, now.p25, now.median, now.p75) == (
        21,
        3,
        D("2.8"),
        D("2.0"),
        D("3.0"),
        D("3.0"),
    )
    assert bins(now) == [(1, 2, 7), (3, 3, 11), (4, 5, 3)]
    assert (wanted.n, wanted.mean, wanted.p25, wanted.median, wanted.p75) == (
        21,
        D("4.3"),
        D("4.0"),
        D("4.0"),
        D("5.0"),
    )
    assert bins(wanted) == [(1, 4, 15), (5, 5, 6)]
    assert row.gap == D("1.5")
    theme = aggregates.themes[0]
    # every statement alike: the theme pools the same counts, so its mean is the statement's
    assert (theme.current.mean, theme.current.stage, theme.desired.mean, theme.desired.stage) == (
        D("2.8"),
        "effective",
        D("4.3"),
        "smart",
    )


def test_the_report_peer_group_shows_the_same_numbers(version):
    """The personal report's province group and the public province group are one computation."""
    province_of_utrecht()
    utrecht = Municipality.objects.get(pk="GM0344")
    report_group = group_comparison(next(g for g in available_groups(utrecht) if g.key == "province"))
    public = group_aggregates(find_public_group("province-PV26"), version)
    for row in public.statements:
        for scale in ("current", "desired"):
            assert report_group.figure(row.statement.lineage, scale).mean == row.figure(scale).mean
            assert report_group.spread(row.statement.lineage, scale).median == row.figure(scale).median


def test_group_below_the_thresholds_returns_its_reason_and_no_numbers(version):
    snapshot("GM0344", counts(3, 10), counts(4, 10))
    snapshot("GM0307", counts(3, 10), counts(4, 10))
    snapshot("GM0308", counts(3, 4), counts(4, 4))  # below K: does not count as a member
    aggregates = group_aggregates(find_public_group("province-PV26"), version)
    assert (aggregates.shown, aggregates.reason, aggregates.municipalities) == (False, "few_members", None)
    assert aggregates.statements == [] and aggregates.themes == []


def test_statement_below_k_in_a_shown_group_gives_its_reason(version):
    province_of_utrecht()
    # Zeist now gives desired levels on only 4 answers: 2 members left for "desired"
    snapshot("GM0355", counts(3, 3, 4, 3), counts(5, 4, dont_know=2))
    aggregates = group_aggregates(find_public_group("province-PV26"), version)
    row = aggregates.statements[0]
    assert row.current.shown is True
    assert (row.desired.shown, row.desired.reason, row.desired.n, row.desired.mean) == (
        False,
        "few_members",
        None,
        None,
    )
    assert row.gap is None


def test_a_shown_group_figure_always_has_its_distribution(version):
    """Three members that each reach K hold at least 3K >= 2K answers, so the distribution rule
    (reports.scoring.distribution, unit-tested there below and at 2K) never hides a shown group's
    distribution: the smallest possible group, 3 x K = 15 answers, has one."""
    snapshot("GM0344", counts(3, 3, 4, 2), counts(4, 5))
    snapshot("GM0307", counts(2, 5), counts(4, 5))
    snapshot("GM0355", counts(3, 5), counts(4, 5))
    now = group_aggregates(find_public_group("province-PV26"), version).statements[0].current
    # 2x5 + 3x8 + 4x2 = 10 + 24 + 8 = 42 / 15 = 2.8
    assert (now.n, now.mean) == (15, D("2.8"))
    # levels 0,5,8,2,0: 1 (0) joins 2 -> 1-2:5; 5 (0) joins 4 -> 4-5:2; 4-5 (2) joins 3 -> 3-5:10
    assert bins(now) == [(1, 2, 5), (3, 5, 10)]


def test_demo_snapshots_are_left_out(version):
    province_of_utrecht()
    # A demo snapshot of another municipality in the province, with levels far from the others
    snapshot("GM0312", counts(5, 50), counts(5, 50), include_demo=True)
    snapshot("GM0344", counts(5, 50), counts(5, 50), include_demo=True)  # newer, but demo
    aggregates = group_aggregates(find_public_group("province-PV26"), version)
    assert (aggregates.municipalities, aggregates.statements[0].current.mean) == (3, D("2.8"))
    assert aggregates.includes_demo is False


def test_public_groups_cover_every_kind_with_register_counts(version):
    region = Region.objects.create(name="Regio Amersfoort", slug="amersfoort")
    region.municipalities.set(Municipality.objects.filter(pk__in=["GM0307", "GM0308", "GM0355"]))
    groups = {group.key: group for group in public_groups()}
    assert list(groups)[0] == "national"
    assert groups["national"].members_in_register == Municipality.objects.filter(active=True).count()
    assert groups["province-PV26"].members_in_register == Municipality.objects.filter(province_code="PV26").count()
    assert groups["g4"].members_in_register == 4
    assert groups["region-amersfoort"].members_in_register == 3
    assert {f"size-{n}" for n in range(1, 6)} <= set(groups)
    assert {f"urbanisation-{n}" for n in range(1, 6)} <= set(groups)
    assert groups["province-PV26"].label("en") == "Province of Utrecht"
    assert groups["province-PV26"].label("nl") == "Provincie Utrecht"


def test_region_group_figures(version):
    province_of_utrecht()
    region = Region.objects.create(name="Regio Utrecht", slug="utrecht")
    region.municipalities.set(Municipality.objects.filter(pk__in=["GM0344", "GM0307", "GM0355", "GM0308"]))
    aggregates = group_aggregates(find_public_group("region-utrecht"), version)
    assert (aggregates.municipalities, aggregates.statements[0].current.mean) == (3, D("2.8"))


@pytest.mark.parametrize("key", ["nope", "province-PV99", "size-9", "region-none"])
def test_unknown_group_keys_find_nothing(version, key):
    assert find_public_group(key) is None


def test_group_leaving_out_one_or_two_counted_municipalities_is_not_shown(version):
    """National minus the province would otherwise be Groningen's own figure."""
    province_of_utrecht()
    snapshot("GM0014", counts(2, 5), counts(4, 5))
    province = find_public_group("province-PV26")
    aggregates = group_aggregates(province, version)
    assert (aggregates.shown, aggregates.reason, aggregates.statements) == (False, "small_complement", [])
    with translation.override("en"):
        assert "outside this group" in aggregates.reason_label
    snapshot("GM0037", counts(2, 5), counts(4, 5))
    assert group_aggregates(province, version).reason == "small_complement"  # two left out
    snapshot("GM0047", counts(2, 5), counts(4, 5))
    aggregates = group_aggregates(province, version)  # three left out: both groups may be shown
    assert (aggregates.shown, aggregates.statements[0].current.mean) == (True, D("2.8"))
    national = group_aggregates(find_public_group("national"), version)
    assert (national.shown, national.municipalities) == (True, 6)


def test_the_complement_rule_also_applies_per_statement_and_scale(version):
    province_of_utrecht()
    snapshot("GM0014", counts(2, 5), counts(4, 5))
    # Stadskanaal and Veendam reach K now, but not on "desired": nationally 4 members there
    snapshot("GM0037", counts(2, 5), counts(4, 4, dont_know=1))
    snapshot("GM0047", counts(2, 5), counts(4, 4, dont_know=1))
    aggregates = group_aggregates(find_public_group("province-PV26"), version)
    row = aggregates.statements[0]
    assert (row.current.shown, row.current.mean) == (True, D("2.8"))
    assert (row.desired.shown, row.desired.reason, row.desired.mean) == (False, "small_complement", None)
    assert row.gap is None
    assert (aggregates.themes[0].desired.shown, aggregates.themes[0].desired.reason) == (False, "small_complement")
