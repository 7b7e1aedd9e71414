"""Builders for the reading family's tests."""

from __future__ import annotations

import datetime as dt
import io
import itertools

from PIL import Image

from activities.models import Book, BookRecommendation, ReadingCampaign, ReadingLog, Reflection
from activities.models.reading import isbn13_with_check
from activities.services.reading import render_markdown

TODAY = dt.date(2026, 11, 10)
_serial = itertools.count(100)


def make_campaign(court, *, status=ReadingCampaign.Status.ACTIVE, **fields) -> ReadingCampaign:
    defaults = {
        "title": "点燃读书热情·创建书香法院",
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2026, 12, 31),
    }
    return ReadingCampaign.objects.create(court=court, status=status, **{**defaults, **fields})


def make_isbn() -> str:
    return isbn13_with_check(f"978790001{next(_serial):03d}")


def make_book(title: str = "乡土中国", **fields) -> Book:
    fields.setdefault("isbn", make_isbn())
    fields.setdefault("author", "费孝通")
    return Book.objects.create(title=title, **fields)


def make_log(member, book, *, day=TODAY, minutes=30, **fields) -> ReadingLog:
    return ReadingLog.objects.create(member=member, book=book, day=day, minutes=minutes, **fields)


def make_recommendation(campaign, book, recommender, text="基层法官的必读书。") -> BookRecommendation:
    return BookRecommendation.objects.create(campaign=campaign, book=book, recommender=recommender, text=text)


def make_reflection(author, *, status=Reflection.Status.SUBMITTED, body="读书有感", **fields) -> Reflection:
    fields.setdefault("title", "读《乡土中国》有感")
    if "book" not in fields and "campaign" not in fields:
        fields["book"] = make_book()
    return Reflection.objects.create(author=author, status=status, body=body, body_html=render_markdown(body), **fields)


def png_bytes(size=(60, 90), color=(180, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()
