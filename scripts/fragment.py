"""Refresh one family's Chinese fragment: locale/fragments/<name>.po.

    .venv/bin/python scripts/fragment.py reading activities/models/reading.py activities/views/reading.py \
        templates/activities/reading ...

Runs makemessages, keeps the messages whose source references start with one of the
given paths, carries over translations already in the fragment, and lists what is still
untranslated. Fill in the msgstr lines, then `make messages` to rebuild the catalogue.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main(name: str, prefixes: list[str]) -> int:
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--ignore=.venv/*",
            "--ignore=static/vendor/*",
            "--ignore=var/*",
            "--ignore=tests/*",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(CATALOGUE))
    fragment_path = ROOT / "locale" / "fragments" / f"{name}.po"
    old = polib.pofile(str(fragment_path)) if fragment_path.exists() else polib.POFile()
    known = {(e.msgctxt, e.msgid): e for e in old}
    fragment = polib.POFile()
    fragment.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=1; plural=0;"}
    for entry in extracted:
        if not any(path.startswith(tuple(prefixes)) for path, _line in entry.occurrences):
            continue
        previous = known.get((entry.msgctxt, entry.msgid))
        new = polib.POEntry(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgid_plural=entry.msgid_plural,
            occurrences=entry.occurrences,
            flags=[f for f in entry.flags if f != "fuzzy"],
        )
        if previous is not None:
            new.msgstr = previous.msgstr
            new.msgstr_plural = dict(previous.msgstr_plural)
        elif entry.msgid_plural:
            new.msgstr_plural = {0: ""}
        fragment.append(new)
    fragment_path.parent.mkdir(parents=True, exist_ok=True)
    fragment.save(str(fragment_path))
    built = subprocess.run([sys.executable, "scripts/build_locale.py"], cwd=ROOT, capture_output=True, text=True)
    if built.returncode:
        print(built.stderr, file=sys.stderr)  # two translations of one message: fix before building
    missing = [e.msgid for e in fragment if not (e.msgstr or any(e.msgstr_plural.values()))]
    print(f"{fragment_path.relative_to(ROOT)}: {len(fragment)} messages, {len(missing)} untranslated")
    for msgid in missing:
        print("  -", msgid)
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
