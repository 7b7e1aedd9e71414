"""No English on a Chinese page: every page each role can open, read as a person reads it.

The crawler takes every GET case of the access matrix (tests/access/*.py) that answers 200 to a
role, opens it once as that role in zh-hans, and keeps what a person sees: the text, a field's
placeholder, a title or aria-label (read aloud, shown on hover), a button's value, the options of
a select, and data-confirm (the question the confirm dialog asks). Scripts, styles and other
attributes are left out. It fails on words of three or more Latin letters that are not on the
allow-list below, on Django's or crispy's English placeholders, on 12-hour times, on numbers in
exponent form and on doubled Chinese quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import transaction
from django.urls import reverse

from tests.access import ROLES, Case
from tests.test_access_matrix import all_cases

# Words a Chinese court page writes in Latin letters: file types, product names, codes.
ALLOWED = {
    "PDF", "Excel", "Word", "WPS", "ISBN", "QR", "URL", "iCal", "ics", "CSV", "csv", "xlsx", "xls", "docx",
    "doc", "pdf", "png", "jpg", "jpeg", "zip", "ID", "PNG", "JPG", "JPEG", "ZIP", "WebP", "Markdown", "HTML",
    "HTTPS", "Office", "UTF", "GBK", "Ctrl", "Cmd",
    "English",  # the language switcher names each language in its own tongue
}  # fmt: skip

# reports pages are rewritten on another branch; the lead checks them at merge.
# URL name -> the English words tolerated there today (remove an entry once its page is clean).
REPORTS_PAGES: dict[str, set[str]] = {}

# What a crawled page may hold that is not words: addresses, links, file names, codes such as a
# sign-in code (VE89-ARJS), the {placeholders} of a summary template, the cast's user names.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
FILE_NAME = re.compile(r"[\w.-]+\.(csv|xlsx|xls|docx|doc|pdf|png|jpe?g|webp|zip|ics|txt)\b", re.IGNORECASE)
CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")  # sign-in and vote receipt codes, random letters
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
LINK = re.compile(r"https?://\S+|(?:(?<=\s)|^)/[\w./?=&%#:+-]*")
WORD = re.compile(r"[A-Za-z]{3,}")

# Never right on a zh-hans page, whatever the letters around them.
FORBIDDEN = {
    "a select's English empty label": re.compile(r"Select an option|-{9}"),
    "a 12-hour time": re.compile(r"\b\d{1,2}(:\d{2})?\s*(AM|PM|a\.m\.|p\.m\.)|[上下]午\s*\d{1,2}[:：]\d{2}"),
    "a number in exponent form": re.compile(r"\d[eE][+-]?\d"),
    "doubled quotes": re.compile(r"““|””|\"\""),
}

READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "data-confirm"}
BUTTON_INPUTS = {"submit", "button", "reset"}


class VisibleText(HTMLParser):
    """Collects what a person sees or hears of an HTML page, piece by piece."""

    SKIP = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
            return
        values = dict(attrs)
        for name in READ_ATTRIBUTES:
            if values.get(name):
                self.pieces.append(values[name])
        # An input button shows its value; a <button>'s value is only sent, its text is shown.
        if tag == "input" and (values.get("type") or "").lower() in BUTTON_INPUTS and values.get("value"):
            self.pieces.append(values["value"])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.SKIP:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.pieces.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.pieces


@dataclass(frozen=True)
class Finding:
    url_name: str
    role: str
    url: str
    what: str
    text: str

    def __str__(self) -> str:
        return f"{self.url_name} as {self.role} ({self.url}): {self.what} in {self.text[:120]!r}"


def english_in(pieces: list[str], *, allowed: set[str]) -> list[tuple[str, str]]:
    """(what, piece) for each English word or forbidden form in the pieces."""
    found = []
    for piece in pieces:
        # Addresses, links, file names and random codes first: a receipt code such as AFRK-4PMQ
        # is not a "4PM".
        text = piece
        for pattern in (EMAIL, LINK, FILE_NAME, CODE, PLACEHOLDER):
            text = pattern.sub(" ", text)
        for what, pattern in FORBIDDEN.items():
            if pattern.search(text):
                found.append((what, piece))
        words = WORD.findall(text)
        found += [(f"English {word!r}", piece) for word in words if word not in allowed]
    return found


def pages(cast) -> list[tuple[Case, list[str]]]:
    """Each GET case with the roles that it answers 200 (anonymous visitors included)."""
    return [
        (case, roles)
        for case in all_cases()
        if case.method == "get" and (roles := [role for role in ROLES if case.status_for(role) == 200])
    ]


def crawl(cast) -> list[Finding]:
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    clients = {role: cast.client_for(role) for role in ROLES}
    for client in clients.values():
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    findings: list[Finding] = []
    for case, roles in pages(cast):
        # Each case's objects live in a savepoint: cases build the same books and campaigns.
        with transaction.atomic():
            url = reverse(case.url_name, args=case.args(cast)) + case.query
            data = case.data(cast) if case.data else {}
            for cache in ("default", "fragments"):
                caches[cache].clear()  # fragments cached by an earlier, rolled-back case
            for role in roles:
                response = clients[role].get(url, data)
                assert response.status_code == 200, f"{role} GET {url}: {response.status_code}"
                if not response.get("Content-Type", "").startswith("text/html"):
                    continue  # files (xlsx, docx, ics, images) are checked by their own tests
                allowed = ALLOWED | usernames | REPORTS_PAGES.get(case.url_name, set())
                pieces = visible_text(response.content.decode())
                findings += [Finding(case.url_name, role, url, w, t) for w, t in english_in(pieces, allowed=allowed)]
            transaction.set_rollback(True)
    return findings


def test_no_english_on_any_page_any_role_can_open(cast):
    findings = crawl(cast)
    unique = list(dict.fromkeys(str(f) for f in findings))
    assert not unique, f"{len(unique)} English left on zh-hans pages:\n" + "\n".join(unique)


def test_the_reader_sees_labels_and_dialogs_but_not_scripts_or_styles():
    html = """<html><head><title>学习</title><style>.x{color:red}</style></head><body>
      <script>var English = "hidden";</script>
      <input name="q" placeholder="Search" class="form-control" data-autosubmit>
      <button aria-label="Close" data-confirm="Delete this?">删除</button>
      <input type="submit" value="Save"><input type="text" value="typed by a user">
      <select><option value="">- Select an option -</option></select><a href="/en/x" title="Help">帮助</a>
    </body></html>"""
    found = english_in(visible_text(html), allowed=set())
    words = {what for what, _ in found}
    assert {"English 'Search'", "English 'Close'", "English 'Delete'", "English 'Save'", "English 'Help'"} <= words
    assert "a select's English empty label" in words
    assert not any("hidden" in what or "color" in what or "typed" in what or "control" in what for what in words)


def test_times_numbers_quotes_and_allowed_words():
    def flagged(text: str, allowed: set[str] = ALLOWED) -> set[str]:
        return {what for what, _ in english_in([text], allowed=allowed)}

    assert flagged("2026年11月10日 3:30 PM") == {"a 12-hour time"}
    assert flagged("下午3:30 开会") == {"a 12-hour time"}
    assert flagged("投票回执 AFRK-4PMQ") == set()  # a random receipt code, not a time
    assert flagged("得分 1E+2") == {"a number in exponent form"}
    assert flagged("主题“““法治””") == {"doubled quotes"}
    assert flagged("导出 Excel（.xlsx）、PDF，扫 QR 码，联系 wang.fang@court.example，见 /activities/x/") == set()
    assert flagged("2026-11-10 15:30 · 共 12 人") == set()
    assert flagged("投票凭证 QWBR-YDJF，签到码 VE89-ARJS") == set()
    assert flagged("Minutes 纪要") == {"English 'Minutes'"}
