"""Every user-facing string has its Chinese: the interface is Simplified Chinese by default."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.activities.reading_factories import make_book
from tests.activities.sessions_factories import make_session

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


def _build_locale():
    """scripts/build_locale.py, loaded as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("build_locale", ROOT / "scripts" / "build_locale.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_one_english_message_has_one_chinese_translation_in_every_fragment():
    # "Minutes" was 分钟数 in reading.po and 纪要 in sessions.po; the first fragment won and the
    # session page's minutes button read 分钟数. Every fragment counts, reports_*.po included.
    build_locale = _build_locale()
    conflicts = build_locale.find_conflicts(build_locale.fragment_paths())
    assert not conflicts, (
        "Use one translation everywhere, or give each meaning its own context (pgettext / "
        '{% translate "…" context "…" %}):\n' + "\n".join(str(c) for c in conflicts)
    )


def _fragment(path: Path, *entries: tuple[str | None, str, str]) -> Path:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgctxt, msgid, msgstr in entries:
        po.append(polib.POEntry(msgctxt=msgctxt, msgid=msgid, msgstr=msgstr))
    po.save(str(path))
    return path


def test_the_build_stops_and_names_both_fragments_when_a_word_is_translated_twice(tmp_path, capsys):
    build_locale = _build_locale()
    fragments, target = tmp_path / "fragments", tmp_path / "out"
    fragments.mkdir()
    _fragment(fragments / "reading.po", (None, "Minutes", "分钟数"), (None, "Book", "图书"))
    _fragment(fragments / "sessions.po", (None, "Minutes", "纪要"), (None, "Book", "图书"))

    assert build_locale.main(fragments, target) != 0

    err = capsys.readouterr().err
    assert "'Minutes'" in err and "reading.po: 分钟数" in err and "sessions.po: 纪要" in err
    assert "'Book'" not in err  # the same translation twice is no conflict
    assert not (target / "django.mo").exists()


def test_each_meaning_with_its_own_context_builds_and_translates_apart(tmp_path):
    build_locale = _build_locale()
    fragments, target = tmp_path / "fragments", tmp_path / "out"
    fragments.mkdir()
    _fragment(fragments / "reading.po", ("duration", "Minutes", "分钟数"))
    _fragment(fragments / "sessions.po", ("session record", "Minutes", "纪要"), ("duration", "Minutes", "分钟数"))

    assert build_locale.main(fragments, target) == 0

    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(target / "django.mo"))}
    assert compiled == {("duration", "Minutes"): "分钟数", ("session record", "Minutes"): "纪要"}


def test_plural_and_singular_forms_of_one_msgid_are_a_conflict(tmp_path):
    build_locale = _build_locale()
    _fragment(tmp_path / "contests.po", (None, "%(n)s open", "进行中%(n)s期"))
    plans = polib.POFile()
    plans.append(polib.POEntry(msgid="%(n)s open", msgid_plural="%(n)s open", msgstr_plural={0: "%(n)s 个报名中"}))
    plans.save(str(tmp_path / "plans.po"))

    [conflict] = build_locale.find_conflicts(build_locale.fragment_paths(tmp_path))
    assert conflict.msgid == "%(n)s open"
    assert [name for name, _ in conflict.translations] == ["contests.po", "plans.po"]


def test_the_session_page_says_纪要_and_the_reading_log_says_分钟数(cast):
    # Both pages use the English word "Minutes"; each meaning has its own context and Chinese.
    session = make_session(cast.court, created_by=cast.organizer)
    page = cast.client_for("organizer").get(reverse("activities:sessions_detail", args=[session.pk])).content.decode()
    assert f'href="{reverse("activities:sessions_minutes", args=[session.pk])}">纪要</a>' in page
    assert "分钟数" not in page

    book = make_book()
    log_form = cast.client_for("member").get(reverse("activities:reading_log_create"), {"book": book.pk})
    assert "分钟数" in log_form.content.decode() and "页数" in log_form.content.decode()
    assert "纪要" not in log_form.content.decode()
