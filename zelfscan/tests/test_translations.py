"""The Dutch catalogue is complete: Dutch is the default language, so an untranslated or fuzzy
entry would show English on a Dutch page."""

import re
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent.parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def entries():
    return [e for e in polib.pofile(str(CATALOGUE)) if not e.obsolete]


def test_every_entry_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(CATALOGUE))
    assert po.percent_translated() == 100, [e.msgid for e in po.untranslated_entries()][:5]
    assert po.fuzzy_entries() == []
    assert not po.metadata_is_fuzzy


def test_placeholders_survive_translation():
    for entry in entries():
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == wanted, entry.msgid
