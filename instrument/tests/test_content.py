"""Content quality guards on the real instrument file (instrument/content/2026.1.yaml).

What the statements must cover: /work/shared/instrument-brief.md.
"""

import pytest

from instrument.loader import CONTENT_DIR, PRECONDITIONS, read_file

LANGUAGES = ("nl", "en")
MAX_LEVEL_TEXT = 220


@pytest.fixture(scope="module")
def content():
    return read_file(CONTENT_DIR / "2026.1.yaml")


@pytest.fixture(scope="module")
def statements(content):
    return [statement for theme in content["themes"] for statement in theme["statements"]]


@pytest.fixture(scope="module")
def by_key(statements):
    return {statement["key"]: statement for statement in statements}


def _all_texts(content):
    """Every {language: text} mapping in the file, with where it sits."""
    yield "title", content["title"]
    for key, texts in content["preconditions"].items():
        yield f"precondition {key}", texts
    for theme in content["themes"]:
        yield f"theme {theme['key']} title", theme["title"]
        yield f"theme {theme['key']} description", theme["description"]
        for statement in theme["statements"]:
            yield f"{statement['key']} topic", statement["topic"]
            yield f"{statement['key']} text", statement["text"]
            for level, texts in enumerate(statement["levels"], start=1):
                yield f"{statement['key']} level {level}", texts


def test_version_and_languages(content):
    assert content["version"] == "2026.1"
    assert content["languages"] == ["nl", "en"]
    assert not content.get("predecessor_version")


def test_instrument_has_21_statements(statements):
    assert len(statements) == 21


def test_instrument_has_6_themes_a_to_f(content):
    assert [theme["key"] for theme in content["themes"]] == ["A", "B", "C", "D", "E", "F"]


def test_statement_keys_are_unique_and_numbered_per_theme(content):
    for theme in content["themes"]:
        keys = [statement["key"] for statement in theme["statements"]]
        assert keys == [f"{theme['key']}{n}" for n in range(1, len(keys) + 1)]


def test_every_statement_has_five_levels(statements):
    for statement in statements:
        assert len(statement["levels"]) == 5, statement["key"]


def test_dutch_and_english_everywhere(content):
    count = 0
    for where, texts in _all_texts(content):
        count += 1
        assert set(texts) == set(LANGUAGES), where
        for language in LANGUAGES:
            assert isinstance(texts[language], str), where
            assert texts[language].strip(), f"{where} ({language}) is empty"
    # title + 5 preconditions + 6 themes x 2 + 21 statements x (topic + text + 5 levels)
    assert count == 1 + 5 + 12 + 21 * 7


def test_every_precondition_has_a_label_and_is_used(content, statements):
    assert set(content["preconditions"]) == set(PRECONDITIONS)
    used = {statement["precondition"] for statement in statements}
    assert used == set(PRECONDITIONS)


def test_level_texts_are_short_enough(statements):
    too_long = [
        (statement["key"], level, language, len(texts[language]))
        for statement in statements
        for level, texts in enumerate(statement["levels"], start=1)
        for language in LANGUAGES
        if len(texts[language]) > MAX_LEVEL_TEXT
    ]
    assert too_long == []


def test_level_texts_of_a_statement_differ(statements):
    for statement in statements:
        for language in LANGUAGES:
            texts = [level[language] for level in statement["levels"]]
            assert len(set(texts)) == 5, (statement["key"], language)


def test_topics_are_unique(statements):
    for language in LANGUAGES:
        topics = [statement["topic"][language] for statement in statements]
        assert len(set(topics)) == len(topics)


# The 11 topics of the original instrument named in the instrument brief, with the statement
# that covers each and a word that its English topic must contain.
KNOWN_TOPICS = [
    ("ICT systems adequate for smart city use", "F1", "ict systems"),
    ("handling of data", "E1", "handling of data"),
    ("procurement that supports innovation", "B2", "procurement"),
    ("use of sensor data", "E2", "sensor data"),
    ("a roadmap for smart city development", "A2", "roadmap"),
    ("one contact point for all questions", "C3", "one contact point"),
    ("monitoring the quality of service delivery", "D1", "quality of service delivery"),
    ("a measurement system for reaching goals", "D2", "goals"),
    ("control over the smart city budget", "A4", "budget"),
    ("informing all stakeholders", "C1", "informing all stakeholders"),
    ("information about the municipality's own assets", "E5", "own assets"),
]


@pytest.mark.parametrize(("topic", "key", "word"), KNOWN_TOPICS, ids=[t[1] for t in KNOWN_TOPICS])
def test_known_topic_of_the_original_instrument_is_covered(by_key, topic, key, word):
    assert key in by_key, topic
    assert word in by_key[key]["topic"]["en"].lower(), topic
