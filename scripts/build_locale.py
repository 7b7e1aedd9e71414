"""Merge locale/fragments/*.po into locale/zh_Hans/LC_MESSAGES/django.po and compile django.mo.

Each activity family keeps its own fragment, so parallel work never edits one catalogue.
Run `make messages` after changing a fragment; commit both the .po and the .mo.

One English message has one Chinese translation. When two fragments translate the same
(msgctxt, msgid) differently, the build stops and lists them: "first fragment wins" once
turned the session page's 纪要 (minutes) button into 分钟数. Where one English word means
two things, the call sites give each meaning its own context (pgettext, `context "…"`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
FRAGMENTS = ROOT / "locale" / "fragments"
TARGET = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"

Key = tuple[str | None, str]  # (msgctxt, msgid)


@dataclass(frozen=True)
class Conflict:
    """One (msgctxt, msgid) that fragments translate in more than one way."""

    msgctxt: str | None
    msgid: str
    translations: tuple[tuple[str, str], ...]  # (fragment file name, translation), in build order

    def __str__(self) -> str:
        context = f" (context {self.msgctxt!r})" if self.msgctxt is not None else ""
        lines = [f"{self.msgid!r}{context}:"]
        lines += [f"    {name}: {text}" for name, text in self.translations]
        return "\n".join(lines)


def _translated(entry: polib.POEntry) -> bool:
    return not entry.obsolete and bool(entry.msgstr or any(entry.msgstr_plural.values()))


def _translation(entry: polib.POEntry) -> str:
    """What the catalogue would say for this entry, plural forms and all."""
    if entry.msgid_plural:
        forms = " | ".join(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        return f"[plural {entry.msgid_plural!r}] {forms}"
    return entry.msgstr


def fragment_paths(directory: Path = FRAGMENTS) -> list[Path]:
    return sorted(directory.glob("*.po"))


def find_conflicts(fragments: Iterable[Path]) -> list[Conflict]:
    """Every (msgctxt, msgid) that two fragments translate differently."""
    seen: dict[Key, list[tuple[str, str]]] = {}
    for fragment in fragments:
        for entry in polib.pofile(str(fragment)):
            if _translated(entry):
                seen.setdefault((entry.msgctxt, entry.msgid), []).append((fragment.name, _translation(entry)))
    return [
        Conflict(msgctxt, msgid, tuple(translations))
        for (msgctxt, msgid), translations in seen.items()
        if len({text for _, text in translations}) > 1
    ]


def build(fragments: Iterable[Path] | None = None) -> polib.POFile:
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Project-Id-Version": "courtlearn",
        "Language": "zh_Hans",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    seen: set[Key] = set()
    for fragment in fragment_paths() if fragments is None else fragments:
        for entry in polib.pofile(str(fragment)):
            if not _translated(entry):
                continue
            key = (entry.msgctxt, entry.msgid)
            if key in seen:
                continue  # the same translation in another fragment (find_conflicts rules out a different one)
            seen.add(key)
            catalogue.append(
                polib.POEntry(
                    msgid=entry.msgid,
                    msgctxt=entry.msgctxt,
                    msgstr=entry.msgstr,
                    msgid_plural=entry.msgid_plural,
                    msgstr_plural=dict(entry.msgstr_plural),
                )
            )
    return catalogue


def main(fragments_dir: Path = FRAGMENTS, target: Path = TARGET) -> int:
    fragments = fragment_paths(fragments_dir)
    conflicts = find_conflicts(fragments)
    if conflicts:
        print(
            f"{len(conflicts)} message(s) have two different Chinese translations in locale/fragments/.\n"
            "Use one translation everywhere, or give each meaning its own context at the call sites\n"
            '(pgettext / pgettext_lazy / {% translate "…" context "…" %}) and put msgctxt entries in the fragments:\n',
            file=sys.stderr,
        )
        for conflict in conflicts:
            print(conflict, file=sys.stderr)
        print("\nThe catalogue was not rebuilt.", file=sys.stderr)
        return 1
    catalogue = build(fragments)
    target.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(target / "django.po"))
    catalogue.save_as_mofile(str(target / "django.mo"))
    print(f"{len(catalogue)} messages -> {target / 'django.mo'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
