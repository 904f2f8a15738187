"""Validate and load instrument content files (instrument/content/<version>.yaml).

`validate_content` is pure: it returns every problem it finds as a readable sentence.
`load_content` writes a validated file to the database, idempotently, and refuses to
change the text of a version that is in use.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from .models import LEVELS, InstrumentVersion, Statement, Structure, Theme

CONTENT_DIR = Path(__file__).resolve().parent / "content"
STATEMENT_COUNT = 21
PRECONDITIONS = ("infrastructure", "collaboration", "governance", "education", "regional")
KEY_PATTERN = re.compile(r"[A-Z][0-9]{1,2}")
VERSION_PATTERN = re.compile(r"[0-9]{4}\.[0-9]{1,3}")


class ContentError(Exception):
    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass
class LoadResult:
    version: InstrumentVersion
    created: bool
    changed: bool


def read_file(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(str(path), [f"not valid YAML: {exc}"]) from exc
    if not isinstance(data, dict):
        raise ContentError(str(path), ["the file must hold a mapping with version, languages and themes"])
    return data


def _check_texts(value, languages: list[str], where: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{where}: expected a text per language ({', '.join(languages)})")
        return
    for language in languages:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: text for language '{language}' is missing or empty")
    for language in value:
        if language not in languages:
            problems.append(f"{where}: language '{language}' is not listed in 'languages'")


def validate_content(data: dict) -> list[str]:
    """Every problem with an instrument content mapping, as sentences; empty when valid."""
    problems: list[str] = []
    version = data.get("version")
    if not isinstance(version, str) or not VERSION_PATTERN.fullmatch(version):
        problems.append('version: must be a string like "2026.1"')
    languages = data.get("languages")
    if not isinstance(languages, list) or not languages or not all(isinstance(x, str) for x in languages):
        return [*problems, "languages: must be a non-empty list of language codes, e.g. [nl, en]"]
    if len(set(languages)) != len(languages):
        problems.append("languages: a language is listed twice")
    if "nl" not in languages:
        problems.append("languages: Dutch (nl) is required")
    _check_texts(data.get("title"), languages, "title", problems)
    preconditions = data.get("preconditions")
    if not isinstance(preconditions, dict) or set(preconditions) != set(PRECONDITIONS):
        problems.append(f"preconditions: must name exactly these keys: {', '.join(PRECONDITIONS)}")
    else:
        for key, texts in preconditions.items():
            _check_texts(texts, languages, f"preconditions.{key}", problems)
    themes = data.get("themes")
    if not isinstance(themes, list) or not themes:
        return [*problems, "themes: must be a non-empty list"]
    theme_keys: set[str] = set()
    statement_keys: set[str] = set()
    count = 0
    for t_index, theme in enumerate(themes, start=1):
        if not isinstance(theme, dict):
            problems.append(f"themes[{t_index}]: must be a mapping")
            continue
        t_key = theme.get("key")
        where = f"theme {t_key or t_index}"
        if not isinstance(t_key, str) or not re.fullmatch(r"[A-Z]", t_key):
            problems.append(f"{where}: key must be one capital letter")
        elif t_key in theme_keys:
            problems.append(f"{where}: key is used twice")
        else:
            theme_keys.add(t_key)
        _check_texts(theme.get("title"), languages, f"{where} title", problems)
        _check_texts(theme.get("description"), languages, f"{where} description", problems)
        statements = theme.get("statements")
        if not isinstance(statements, list) or not statements:
            problems.append(f"{where}: statements must be a non-empty list")
            continue
        for s_index, statement in enumerate(statements, start=1):
            count += 1
            if not isinstance(statement, dict):
                problems.append(f"{where} statement {s_index}: must be a mapping")
                continue
            s_key = statement.get("key")
            s_where = f"statement {s_key or f'{t_key}?{s_index}'}"
            if not isinstance(s_key, str) or not KEY_PATTERN.fullmatch(s_key):
                problems.append(f"{s_where}: key must look like A1")
            elif s_key in statement_keys:
                problems.append(f"{s_where}: key is used twice")
            else:
                statement_keys.add(s_key)
            if statement.get("precondition") not in PRECONDITIONS:
                problems.append(f"{s_where}: precondition must be one of {', '.join(PRECONDITIONS)}")
            _check_texts(statement.get("topic"), languages, f"{s_where} topic", problems)
            _check_texts(statement.get("text"), languages, f"{s_where} text", problems)
            levels = statement.get("levels")
            if not isinstance(levels, list) or len(levels) != len(LEVELS):
                problems.append(f"{s_where}: must have exactly {len(LEVELS)} levels")
            else:
                for level, texts in zip(LEVELS, levels, strict=True):
                    _check_texts(texts, languages, f"{s_where} level {level}", problems)
            if "comparable" in statement and not isinstance(statement["comparable"], bool):
                problems.append(f"{s_where}: comparable must be true or false")
            if statement.get("predecessor") and not data.get("predecessor_version"):
                problems.append(f"{s_where}: names a predecessor but the file has no predecessor_version")
    if count != STATEMENT_COUNT:
        problems.append(f"the instrument must have exactly {STATEMENT_COUNT} statements, this file has {count}")
    return problems


def content_hash(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _lineages(data: dict, predecessor: InstrumentVersion | None) -> tuple[dict[str, str], list[str]]:
    """Lineage per statement key: inherited from a comparable predecessor, otherwise new."""
    lineages: dict[str, str] = {}
    problems: list[str] = []
    previous = {s.key: s.lineage for s in predecessor.statements.all()} if predecessor else {}
    for theme in data["themes"]:
        for statement in theme["statements"]:
            key = statement["key"]
            predecessor_key = statement.get("predecessor") or ""
            comparable = statement.get("comparable", True)
            if predecessor is None:
                lineages[key] = f"{data['version']}/{key}"
            elif predecessor_key and predecessor_key not in previous:
                problems.append(f"statement {key}: predecessor {predecessor_key} is not in version {predecessor}")
            elif predecessor_key and comparable:
                lineages[key] = previous[predecessor_key]
            else:
                lineages[key] = f"{data['version']}/{key}"
    used: dict[str, str] = {}
    for key, lineage in lineages.items():
        if lineage in used:
            problems.append(f"statements {used[lineage]} and {key} cannot both continue the same predecessor")
        used[lineage] = key
    return lineages, problems


@transaction.atomic
def load_content(data: dict, source: str = "content") -> LoadResult:
    problems = validate_content(data)
    if problems:
        raise ContentError(source, problems)
    predecessor = None
    if data.get("predecessor_version"):
        predecessor = InstrumentVersion.objects.filter(version=data["predecessor_version"]).first()
        if predecessor is None:
            raise ContentError(source, [f"predecessor_version {data['predecessor_version']} is not loaded yet"])
    lineages, problems = _lineages(data, predecessor)
    if problems:
        raise ContentError(source, problems)

    digest = content_hash(data)
    version = InstrumentVersion.objects.filter(version=data["version"]).first()
    if version is not None:
        if version.content_sha256 == digest:
            return LoadResult(version, created=False, changed=False)
        if version.responses.exists():
            raise ContentError(
                source,
                [
                    f"version {version} is published and has answers, so its text cannot change; "
                    "publish the change as a new version that names this one as predecessor_version"
                ],
            )
        version.themes.all().delete()
        created = False
    else:
        version = InstrumentVersion(version=data["version"])
        created = True
    version.title = data["title"]
    version.languages = data["languages"]
    version.preconditions = data["preconditions"]
    version.predecessor = predecessor
    version.content_sha256 = digest
    version.save()

    position = 0
    for t_position, theme_data in enumerate(data["themes"], start=1):
        theme = Theme.objects.create(
            version=version,
            key=theme_data["key"],
            position=t_position,
            title=theme_data["title"],
            description=theme_data["description"],
        )
        for statement in theme_data["statements"]:
            position += 1
            Statement.objects.create(
                version=version,
                theme=theme,
                key=statement["key"],
                position=position,
                precondition=statement["precondition"],
                topic=statement["topic"],
                text=statement["text"],
                levels=statement["levels"],
                lineage=lineages[statement["key"]],
                predecessor_key=statement.get("predecessor") or "",
                comparable=statement.get("comparable", True),
            )
    Structure.clear()
    return LoadResult(version, created=created, changed=not created)


def content_files() -> list[Path]:
    """Content files in load order: a file naming a predecessor comes after it."""
    files = sorted(CONTENT_DIR.glob("*.yaml"))
    return sorted(files, key=lambda p: [int(part) for part in p.stem.split(".") if part.isdigit()])
