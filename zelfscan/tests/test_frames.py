"""zelfscan.frames: a rendered page cut at its slots and filled in per request."""

from django.utils.safestring import mark_safe

from zelfscan.frames import Frame, slot


def test_slots_are_filled_in_escaped_unless_safe():
    frame = Frame(f'<p>{slot("a")}</p><input value="{slot("b")}"{slot("c")}>')
    assert frame.names == ["a", "b", "c"]
    page = frame.fill({"a": "<b>&", "b": "say \"hi\" 'x'", "c": mark_safe(" checked")})
    assert page == '<p>&lt;b&gt;&amp;</p><input value="say &quot;hi&quot; &#x27;x&#x27;" checked>'


def test_a_slot_may_appear_more_than_once_and_numbers_become_text():
    frame = Frame(f"{slot('n')} of 42 ({slot('n')})")
    assert frame.fill({"n": 13}) == "13 of 42 (13)"


def test_a_uuid_stand_in_becomes_a_slot():
    frame = Frame(
        "/scan/00000000-0000-0000-0000-000000000001/theme/2/", {"00000000-0000-0000-0000-000000000001": "id_uuid"}
    )
    assert frame.fill({"id_uuid": "abc"}) == "/scan/abc/theme/2/"
