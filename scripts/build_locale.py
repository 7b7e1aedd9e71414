"""Merge locale/fragments/*.po into locale/zh_Hans/LC_MESSAGES/django.po and compile django.mo.

Each activity family keeps its own fragment, so parallel work never edits one catalogue.
Run `make messages` after changing a fragment; commit both the .po and the .mo.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
FRAGMENTS = ROOT / "locale" / "fragments"
TARGET = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"


def build() -> polib.POFile:
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Project-Id-Version": "courtlearn",
        "Language": "zh_Hans",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    seen: dict[tuple[str | None, str], str] = {}
    for fragment in sorted(FRAGMENTS.glob("*.po")):
        for entry in polib.pofile(str(fragment)):
            if entry.obsolete or not (entry.msgstr or entry.msgstr_plural):
                continue
            key = (entry.msgctxt, entry.msgid)
            if key in seen:
                continue  # first fragment wins; duplicates across fragments are harmless
            seen[key] = fragment.name
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


def main() -> int:
    catalogue = build()
    TARGET.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(TARGET / "django.po"))
    catalogue.save_as_mofile(str(TARGET / "django.mo"))
    print(f"{len(catalogue)} messages -> {TARGET / 'django.mo'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
