"""Shared fixtures and builders for the plans family's tests.

Test modules import the fixtures by their function names (clock_fixture, head_fixture);
pytest knows them as `clock` and `head`.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from docx import Document

from activities.models.plans import PLAN_TZ, MonthlyPlan, PlanItem, ResearchOutput
from members.models import Member

from ..factories import make_member

# A moment inside the month-end window of January 2027 (last day 23:00 Beijing time).
IN_WINDOW = dt.datetime(2027, 1, 31, 23, 0, tzinfo=PLAN_TZ)
# The middle of January 2027: no month's report window is open.
MID_MONTH = dt.datetime(2027, 1, 15, 10, 0, tzinfo=PLAN_TZ)
# Past January's deadline (23:59 on 3 February).
AFTER_DEADLINE = dt.datetime(2027, 2, 4, 9, 0, tzinfo=PLAN_TZ)


@pytest.fixture(name="clock")
def clock_fixture(monkeypatch):
    """Set what django.utils.timezone.now() returns (views read the time from there)."""

    class Clock:
        def set(self, moment: dt.datetime) -> dt.datetime:
            monkeypatch.setattr(timezone, "now", lambda: moment)
            return moment

    return Clock()


@pytest.fixture(name="head")
def head_fixture(cast) -> Member:
    """The head of 民一庭 (the member's and colleague's department)."""
    person = make_member(cast.court, "孙庭长", department=cast.department, username="head", post=Member.Post.JUDGE)
    cast.department.head = person
    cast.department.save(update_fields=["head"])
    return person


def login_as(member: Member) -> Client:
    client = Client()
    client.force_login(member.user, backend="members.backends.MemberModelBackend")
    return client


def make_plan(
    member: Member, year: int = 2027, month: int = 1, items=("读《习近平法治思想概论》第一章", "审结民事案件15件")
):
    plan = MonthlyPlan.objects.create(member=member, year=year, month=month)
    for i, text in enumerate(items, start=1):
        PlanItem.objects.create(
            plan=plan, text=text, position=i, kind=PlanItem.Kind.LEARNING if i == 1 else PlanItem.Kind.WORK
        )
    return plan


def make_output(court, member: Member, title: str = "论司法为民", kind=ResearchOutput.Kind.PAPER, **fields):
    output = ResearchOutput.objects.create(
        court=court, kind=kind, title=title, date=fields.pop("date", dt.date(2026, 6, 1)), created_by=member, **fields
    )
    output.authors.create(position=1, member=member, name=member.name)
    return output


def pdf_upload(name: str = "paper.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def docx_upload(name: str = "paper.docx") -> SimpleUploadedFile:
    document = Document()
    document.add_paragraph("正文")
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def png_upload(name: str = "cert.png") -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
