"""Small text helpers for what the app writes in Chinese: titles in quotes, plain numbers."""

from __future__ import annotations

import re
from decimal import Decimal

# Marks that already set a title off: Chinese curly and corner quotes, book-title marks, and
# straight quotes as pasted from elsewhere.
QUOTE_MARKS = "“”‘’「」『』《》〈〉\"'"
_QUOTE_PAIRS = [("“", "”"), ("「", "」"), ("『", "』"), ('"', '"')]
_STRAIGHT_PAIR = re.compile(r'"([^"]*)"')


def _balanced(inner: str, left: str, right: str) -> bool:
    """Whether the quotes inside `inner` pair up: in “书香”与“法院” the first and last marks are
    not one pair, and stripping them would leave 书香”与“法院."""
    if left == right:
        return inner.count(left) % 2 == 0
    depth = 0
    for ch in inner:
        depth += (ch == left) - (ch == right)
        if depth < 0:
            return False
    return depth == 0


def strip_quotes(title: str) -> str:
    """`title` without quotes around the whole of it: “书香法院征文比赛” → 书香法院征文比赛, while
    “书香法院”征文比赛 and “书香”与“法院” keep theirs."""
    text = " ".join((title or "").split())
    changed = True
    while changed and len(text) >= 2:
        changed = False
        for left, right in _QUOTE_PAIRS:
            if text.startswith(left) and text.endswith(right) and _balanced(text[1:-1], left, right):
                text, changed = text[1:-1].strip(), True
                break
    return text


def quoted(title: str) -> str:
    """A title set off in Chinese quotes, once: 周分享 → “周分享”. A title that already carries
    quotes or book-title marks is written as the court wrote it (“书香法院”征文比赛, “一刻钟”微党课,
    《红岩》读书会), never ““…”…”; straight quotes pasted from elsewhere become Chinese ones."""
    text = _STRAIGHT_PAIR.sub(r"“\1”", " ".join((title or "").split()))
    if not text or any(mark in text for mark in QUOTE_MARKS):
        return text
    return f"“{text}”"


def in_quotes(title: str) -> str:
    """A title for a message that already has the quotes around it ("“%(title)s” is cancelled"):
    quotes around the whole title go, quotes inside become single ones, as Chinese nests them
    (“书香法院”征文比赛 → ‘书香法院’征文比赛, so the message reads “‘书香法院’征文比赛”)."""
    text = _STRAIGHT_PAIR.sub(r"“\1”", strip_quotes(title))
    return text.replace("“", "‘").replace("”", "’")


def plain_number(value) -> str:
    """A number as people write it: 100, 92.5, 0.05 — never 1E+2 (what Decimal("100.00").normalize()
    prints) nor 100.00."""
    if value is None:
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text
