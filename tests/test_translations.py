"""Every user-facing string has its Chinese: the interface is Simplified Chinese by default."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_every_message_has_a_chinese_translation_in_a_fragment(settings, tmp_path, monkeypatch):
    # makemessages writes next to the sources: extract from a copy, never touch the real catalogue.
    source = tmp_path / "src"
    for name in ("courtlearn", "members", "activities", "reports", "templates"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    settings.LOCALE_PATHS = [tmp_path / "out"]
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(source)
    call_command(
        "makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0,
        ignore_patterns=[".venv/*", "static/vendor/*", "var/*", "tests/*", "test-artifacts/*"],
    )  # fmt: skip
    extracted = polib.pofile(str(tmp_path / "out" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    translated = set()
    for fragment in sorted((ROOT / "locale" / "fragments").glob("*.po")):
        for entry in polib.pofile(str(fragment)):
            if entry.msgstr or any(entry.msgstr_plural.values()):
                translated.add((entry.msgctxt, entry.msgid))
    missing = [f"{e.msgid!r} ({e.occurrences[0][0] if e.occurrences else '?'})" for e in extracted
               if (e.msgctxt, e.msgid) not in translated]  # fmt: skip
    assert not missing, "Translate these in locale/fragments/<area>.po, then `make messages`:\n" + "\n".join(missing)


def test_the_compiled_catalogue_is_up_to_date_with_the_fragments():
    compiled = polib.mofile(str(ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"))
    in_mo = {(e.msgctxt, e.msgid) for e in compiled}
    for fragment in sorted((ROOT / "locale" / "fragments").glob("*.po")):
        for entry in polib.pofile(str(fragment)):
            if entry.msgstr or any(entry.msgstr_plural.values()):
                assert (entry.msgctxt, entry.msgid) in in_mo, f"run `make messages`: {entry.msgid!r} missing"
