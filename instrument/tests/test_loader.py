"""Tests for instrument/loader.py and the load_instrument command.

validate_content is pure; load_content needs the database (which already holds 2026.1 from the
session fixture in conftest.py).
"""

import copy
import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from conftest import make_response
from instrument.loader import (
    CONTENT_DIR,
    ContentError,
    content_files,
    content_hash,
    load_content,
    read_file,
    validate_content,
)
from instrument.models import InstrumentVersion, Statement

REAL_FILE = CONTENT_DIR / "2026.1.yaml"


@pytest.fixture(scope="module")
def original():
    return read_file(REAL_FILE)


@pytest.fixture
def data(original):
    return copy.deepcopy(original)


def _statement(data, key):
    for theme in data["themes"]:
        for statement in theme["statements"]:
            if statement["key"] == key:
                return statement
    raise KeyError(key)


def _next_version(data, version="2027.1", predecessor="2026.1"):
    data["version"] = version
    data["predecessor_version"] = predecessor
    return data


# --- validate_content ----------------------------------------------------------------------


def test_real_content_file_is_valid(original):
    assert validate_content(original) == []


def test_content_files_lists_the_real_file():
    assert REAL_FILE in content_files()


def _drop_statement(d):
    d["themes"][0]["statements"].pop()


def _four_levels(d):
    _statement(d, "B2")["levels"].pop()


def _missing_english(d):
    del _statement(d, "C3")["text"]["en"]


def _empty_dutch(d):
    _statement(d, "D1")["text"]["nl"] = "   "


def _duplicate_statement_key(d):
    _statement(d, "A2")["key"] = "A1"


def _duplicate_theme_key(d):
    d["themes"][1]["key"] = "A"


def _unknown_precondition(d):
    _statement(d, "E2")["precondition"] = "health"


def _language_twice(d):
    d["languages"] = ["nl", "en", "nl"]


def _bad_version(d):
    d["version"] = "2026"


def _version_not_a_string(d):
    d["version"] = 2026.1  # what YAML makes of an unquoted 2026.1


def _level_text_missing(d):
    del _statement(d, "F1")["levels"][2]["en"]


def _unlisted_language(d):
    _statement(d, "A1")["topic"]["de"] = "Gemeinsame Vision"


def _predecessor_without_version(d):
    _statement(d, "A1")["predecessor"] = "A1"


def _bad_statement_key(d):
    _statement(d, "A3")["key"] = "a3"


def _comparable_not_bool(d):
    _statement(d, "A1")["comparable"] = "yes"


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (_drop_statement, "exactly 21 statements, this file has 20"),
        (_four_levels, "statement B2: must have exactly 5 levels"),
        (_missing_english, "statement C3 text: text for language 'en' is missing or empty"),
        (_empty_dutch, "statement D1 text: text for language 'nl' is missing or empty"),
        (_duplicate_statement_key, "statement A1: key is used twice"),
        (_duplicate_theme_key, "theme A: key is used twice"),
        (_unknown_precondition, "statement E2: precondition must be one of"),
        (_language_twice, "languages: a language is listed twice"),
        (_bad_version, "version: must be a string like"),
        (_version_not_a_string, "version: must be a string like"),
        (_level_text_missing, "statement F1 level 3: text for language 'en' is missing or empty"),
        (_unlisted_language, "statement A1 topic: language 'de' is not listed"),
        (_predecessor_without_version, "statement A1: names a predecessor but the file has no predecessor_version"),
        (_bad_statement_key, "statement a3: key must look like A1"),
        (_comparable_not_bool, "statement A1: comparable must be true or false"),
    ],
    ids=lambda value: value.__name__.lstrip("_") if callable(value) else "problem",
)
def test_validate_content_reports_one_clear_problem(data, mutate, expected):
    mutate(data)
    problems = validate_content(data)
    assert len(problems) == 1, problems
    assert expected in problems[0]


@pytest.mark.parametrize("where", ["version", "statement key", "theme key"])
def test_validate_content_rejects_a_trailing_newline_in_version_and_keys(data, where):
    # e.g. a YAML block scalar `version: |` gives "2026.1\n"; it would be stored as a second,
    # different-looking-identical version (and keys "A1\n" would not match predecessors "A1").
    if where == "version":
        data["version"] = "2026.1\n"
    elif where == "statement key":
        _statement(data, "A1")["key"] = "A1\n"
    else:
        data["themes"][0]["key"] = "A\n"
    assert validate_content(data) != []


def test_validate_content_reports_every_problem_at_once(data):
    _bad_version(data)
    _four_levels(data)
    _missing_english(data)
    problems = validate_content(data)
    assert len(problems) == 3


def test_validate_content_requires_dutch(data):
    data["languages"] = ["en"]
    problems = validate_content(data)
    assert "languages: Dutch (nl) is required" in problems


def test_validate_content_without_themes(data):
    data["themes"] = []
    assert "themes: must be a non-empty list" in validate_content(data)


def test_read_file_rejects_invalid_yaml_and_non_mappings(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match="not valid YAML"):
        read_file(broken)
    a_list = tmp_path / "list.yaml"
    a_list.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ContentError, match="must hold a mapping"):
        read_file(a_list)


def test_content_hash_changes_with_the_text(data, original):
    assert content_hash(data) == content_hash(original)
    _statement(data, "A1")["text"]["en"] += " Changed."
    assert content_hash(data) != content_hash(original)


# --- load_content -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_the_same_content_twice_is_a_no_op(version, data):
    statement_ids = sorted(version.statements.values_list("id", flat=True))
    result = load_content(data)
    assert (result.version.pk, result.created, result.changed) == (version.pk, False, False)
    assert sorted(version.statements.values_list("id", flat=True)) == statement_ids
    assert InstrumentVersion.objects.filter(version="2026.1").count() == 1


@pytest.mark.django_db
def test_loaded_version_has_21_statements_in_order(version):
    assert version.version == "2026.1"
    positions = list(version.statements.values_list("position", flat=True))
    assert positions == list(range(1, 22))
    assert version.themes.count() == 6
    a1 = version.statements.get(key="A1")
    assert a1.lineage == "2026.1/A1"
    assert len(a1.levels) == 5


@pytest.mark.django_db
def test_changed_text_updates_a_version_without_responses(version, data):
    assert not version.responses.exists()
    _statement(data, "A1")["text"]["en"] = "A new English text."
    result = load_content(data)
    assert (result.created, result.changed) == (False, True)
    assert result.version.pk == version.pk
    a1 = Statement.objects.get(version=version, key="A1")
    assert a1.text["en"] == "A new English text."
    assert a1.lineage == "2026.1/A1"
    assert version.statements.count() == 21
    version.refresh_from_db()
    assert version.content_sha256 == content_hash(data)


@pytest.mark.django_db
def test_changed_text_for_a_version_with_a_response_is_refused(version, utrecht, data):
    make_response(version, utrecht)
    before = Statement.objects.get(version=version, key="A1").text
    _statement(data, "A1")["text"]["en"] = "A sneaky change."
    with pytest.raises(ContentError) as raised:
        load_content(data, source="2026.1.yaml")
    assert "has answers" in str(raised.value)
    assert str(raised.value).startswith("2026.1.yaml:")
    assert Statement.objects.get(version=version, key="A1").text == before


@pytest.mark.django_db
def test_unchanged_content_for_a_version_with_a_response_is_still_a_no_op(version, utrecht, data):
    make_response(version, utrecht)
    result = load_content(data)
    assert (result.created, result.changed) == (False, False)


@pytest.mark.django_db
def test_invalid_content_is_not_loaded(version, data):
    data["version"] = "2099.1"
    _drop_statement(data)
    with pytest.raises(ContentError) as raised:
        load_content(data)
    assert any("this file has 20" in p for p in raised.value.problems)
    assert not InstrumentVersion.objects.filter(version="2099.1").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("comparable", "lineage"), [(True, "2026.1/A1"), (False, "2027.1/A1")])
def test_new_version_keeps_lineage_only_for_comparable_successors(version, data, comparable, lineage):
    _next_version(data)
    _statement(data, "A1").update(predecessor="A1", comparable=comparable)
    result = load_content(data)
    assert (result.created, result.changed) == (True, False)
    new = result.version
    assert new.version == "2027.1"
    assert new.predecessor == version
    a1 = new.statements.get(key="A1")
    assert a1.lineage == lineage
    assert a1.predecessor_key == "A1"
    assert a1.comparable is comparable
    # a statement that names no predecessor starts a new lineage
    assert new.statements.get(key="A2").lineage == "2027.1/A2"


@pytest.mark.django_db
def test_a_renamed_statement_can_continue_its_predecessor(version, data):
    _next_version(data)
    _statement(data, "A2")["predecessor"] = "A1"
    _statement(data, "A1")["predecessor"] = "A2"
    new = load_content(data).version
    assert new.statements.get(key="A2").lineage == "2026.1/A1"
    assert new.statements.get(key="A1").lineage == "2026.1/A2"


@pytest.mark.django_db
def test_unknown_predecessor_key_is_refused(version, data):
    _next_version(data)
    _statement(data, "A1")["predecessor"] = "Z9"
    with pytest.raises(ContentError, match="predecessor Z9 is not in version 2026.1"):
        load_content(data)
    assert not InstrumentVersion.objects.filter(version="2027.1").exists()


@pytest.mark.django_db
def test_two_statements_continuing_one_predecessor_are_refused(version, data):
    _next_version(data)
    _statement(data, "A1")["predecessor"] = "A1"
    _statement(data, "A2")["predecessor"] = "A1"
    with pytest.raises(ContentError, match="cannot both continue the same predecessor"):
        load_content(data)


@pytest.mark.django_db
def test_predecessor_version_that_is_not_loaded_is_refused(version, data):
    _next_version(data, predecessor="2025.1")
    with pytest.raises(ContentError, match="predecessor_version 2025.1 is not loaded yet"):
        load_content(data)


@pytest.mark.django_db
def test_current_returns_the_newest_version(version, data):
    assert InstrumentVersion.objects.current() == version
    new = load_content(_next_version(data)).version
    assert InstrumentVersion.objects.current() == new
    assert InstrumentVersion.objects.current().version == "2027.1"


# --- load_instrument command ---------------------------------------------------------------


def test_load_instrument_check_validates_the_real_files():
    out = io.StringIO()
    call_command("load_instrument", "--check", stdout=out)
    assert "2026.1.yaml: valid" in out.getvalue()


@pytest.mark.django_db
def test_load_instrument_check_writes_nothing(tmp_path, data):
    data["version"] = "2098.1"
    path = tmp_path / "2098.1.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = io.StringIO()
    call_command("load_instrument", str(path), "--check", stdout=out)
    assert "2098.1.yaml: valid" in out.getvalue()
    assert not InstrumentVersion.objects.filter(version="2098.1").exists()


@pytest.mark.django_db
def test_load_instrument_reports_unchanged_for_the_loaded_file(version):
    out = io.StringIO()
    call_command("load_instrument", stdout=out)
    assert "Instrument version 2026.1: unchanged" in out.getvalue()


@pytest.mark.django_db
def test_load_instrument_loads_a_new_file(version, tmp_path, data):
    path = tmp_path / "2027.1.yaml"
    path.write_text(yaml.safe_dump(_next_version(data), allow_unicode=True), encoding="utf-8")
    out = io.StringIO()
    call_command("load_instrument", str(path), stdout=out)
    assert "Instrument version 2027.1: loaded" in out.getvalue()
    assert InstrumentVersion.objects.filter(version="2027.1").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("check", [True, False])
def test_load_instrument_lists_the_problems_of_a_failing_file(tmp_path, data, check):
    _bad_version(data)
    _four_levels(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    args = [str(path), "--check"] if check else [str(path)]
    with pytest.raises(CommandError) as raised:
        call_command("load_instrument", *args)
    message = str(raised.value)
    assert message.startswith(f"{path}:")
    assert '  - version: must be a string like "2026.1"' in message
    assert "  - statement B2: must have exactly 5 levels" in message


def test_load_instrument_reports_invalid_yaml(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("themes: [\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid YAML"):
        call_command("load_instrument", str(path), "--check")
