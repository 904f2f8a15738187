"""The pure decisions: rates, fixed windows (computed by hand below), and the client's address."""

import pytest

from throttling.rules import ALLOWED, Decision, Rate, client_ip, decide, parse_rate, seconds_left, window_index

HOUR = Rate(limit=5, period=3600)
DAY = Rate(limit=10, period=86400)
# 2026-03-02 10:20:00 UTC = 1772446800, so the hour runs 10:00-11:00 (1772445600-1772449200)
# and the UTC day 2026-03-02 00:00 - 2026-03-03 00:00 (1772409600-1772496000).
T = 1772446800.0


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("5/h", Rate(5, 3600)),
        ("1000/h", Rate(1000, 3600)),
        ("20/15m", Rate(20, 900)),
        ("3/s", Rate(3, 1)),
        ("10/d", Rate(10, 86400)),
        (" 7 / 2h ", Rate(7, 7200)),
        ("0/h", Rate(0, 3600)),
    ],
)
def test_parse_rate(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "5", "5/", "5/x", "h/5", "-1/h", "5/2d", "5/0m", "5 per hour", None])
def test_parse_rate_refuses_what_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_rate(text)


def test_windows_are_fixed_and_start_on_the_epoch_multiple():
    assert window_index(T, 3600) == 1772446800 // 3600 == 492346
    assert window_index(1772445600.0, 3600) == 492346  # 10:00:00 opens the window
    assert window_index(1772449199.9, 3600) == 492346  # 10:59:59.9 is still in it
    assert window_index(1772449200.0, 3600) == 492347  # 11:00:00 is the next
    assert window_index(T, 86400) == 20514  # 2026-03-02 is day 20514 since 1970-01-01


def test_seconds_left_rounds_up_and_is_at_least_one():
    assert seconds_left(T, 3600) == 40 * 60  # 10:20 -> 11:00
    assert seconds_left(T + 0.5, 3600) == 2400  # 2399.5 s rounds up
    assert seconds_left(1772449199.9, 3600) == 1
    assert seconds_left(1772445600.0, 3600) == 3600  # at the very start: a whole window
    assert seconds_left(T, 86400) == 1772496000 - 1772446800 == 49200  # 13 h 40 min to midnight UTC


def test_decide_allows_up_to_the_limit_and_refuses_the_next():
    assert decide(T, [(HOUR, 5)]) == ALLOWED
    assert decide(T, [(HOUR, 6)]) == Decision(False, 2400)
    assert decide(T, []) == ALLOWED


def test_decide_refuses_when_any_counter_is_over_and_waits_for_the_longest_exceeded_window():
    generous = Rate(1000, 3600)
    assert decide(T, [(generous, 200), (HOUR, 6)]) == Decision(False, 2400)
    assert decide(T, [(HOUR, 6), (DAY, 11)]) == Decision(False, 49200)
    # A counter within its limit does not lengthen the wait.
    assert decide(T, [(HOUR, 6), (DAY, 3)]) == Decision(False, 2400)


def test_a_zero_limit_refuses_everything():
    assert decide(T, [(Rate(0, 3600), 1)]).allowed is False


@pytest.mark.parametrize(("seconds", "minutes"), [(1, 1), (59, 1), (60, 1), (61, 2), (2400, 40), (3600, 60)])
def test_minutes_for_the_message_round_up(seconds, minutes):
    assert Decision(False, seconds).minutes == minutes


# --- the client's address -------------------------------------------------------------------


def test_without_trusted_proxies_the_connection_address_counts_and_the_header_is_ignored():
    assert client_ip("203.0.113.9", "", 0) == "203.0.113.9"
    # Anyone can write X-Forwarded-For: a forged one changes nothing.
    assert client_ip("203.0.113.9", "198.51.100.1", 0) == "203.0.113.9"
    assert client_ip("203.0.113.9", "198.51.100.1, 192.0.2.5", 0) == "203.0.113.9"


def test_behind_one_proxy_the_address_it_appended_counts():
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw, 198.51.100.1.
    assert client_ip("10.0.0.2", "1.2.3.4, 198.51.100.1", 1) == "198.51.100.1"
    assert client_ip("10.0.0.2", "198.51.100.1", 1) == "198.51.100.1"


def test_behind_two_proxies_the_second_entry_from_the_right_counts():
    assert client_ip("10.0.0.3", "1.2.3.4, 198.51.100.1, 10.0.0.2", 2) == "198.51.100.1"


def test_a_proxy_setting_without_a_usable_header_falls_back_to_the_connection():
    assert client_ip("10.0.0.2", "", 1) == "10.0.0.2"
    assert client_ip("10.0.0.2", "198.51.100.1", 2) == "10.0.0.2"  # fewer hops than proxies
    assert client_ip("10.0.0.2", "not-an-address", 1) == "10.0.0.2"
    assert client_ip("10.0.0.2", " , ,", 1) == "10.0.0.2"


def test_ports_are_dropped():
    assert client_ip("10.0.0.2", "198.51.100.1:51234", 1) == "198.51.100.1"
    assert client_ip("10.0.0.2", "[2001:db8::1]:443", 1) == "2001:db8::/64"


def test_ipv6_counts_per_64_network_and_mapped_ipv4_as_ipv4():
    assert client_ip("2001:db8:1:2:aaaa::1", "", 0) == "2001:db8:1:2::/64"
    assert client_ip("2001:db8:1:2:bbbb::9", "", 0) == "2001:db8:1:2::/64"
    assert client_ip("::ffff:203.0.113.9", "", 0) == "203.0.113.9"


def test_no_address_at_all_is_one_group():
    assert client_ip("", "", 0) == "unknown"
    assert client_ip("garbage", "", 0) == "unknown"
