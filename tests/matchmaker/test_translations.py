"""Every string of ours has its Chinese translation: a new string cannot land untranslated.

The committed catalogue must hold every msgid that `makemessages` finds in the code and
templates today, each translated (not fuzzy), with the same placeholders.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%\(\w+\)04X|%d|%%")


def entries() -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]


def test_every_entry_is_translated_and_none_is_fuzzy():
    untranslated = [e.msgid for e in entries() if not e.translated()]
    fuzzy = [e.msgid for e in entries() if "fuzzy" in e.flags]
    assert (untranslated, fuzzy) == ([], [])


def test_translations_keep_every_placeholder():
    broken = []
    for entry in entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(entry.msgid)):
                broken.append(entry.msgid)
    assert broken == []


def test_the_catalogue_holds_every_string_of_the_code_today(tmp_path):
    """makemessages on a copy of the sources: no msgid may be missing from the catalogue."""
    if not shutil.which("xgettext"):
        pytest.fail("gettext is missing: `make test` installs it")
    for name in ("manage.py", "matchmaker", "projects", "investors", "templates"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "-v0"],
        cwd=tmp_path,
        check=True,
        env={**os.environ, "VAR_DIR": str(tmp_path / "var")},
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    committed = {entry.msgid for entry in entries()}
    missing = sorted(entry.msgid for entry in fresh if entry.msgid not in committed)
    assert missing == [], "run makemessages -l zh_Hans and translate these"
