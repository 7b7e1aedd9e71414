"""The quarter view of any rota: a party branch's 周一例会 and a department's rota, not only study groups."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from activities.models import Rota
from members.models import Department, Member
from tests.activities.sessions_factories import make_session
from tests.activities.test_sessions_rota_units import login, research_office_branch
from tests.factories import make_member

JAN = dt.datetime(2027, 1, 4, 8, 30, tzinfo=dt.UTC)


def quarter_url(rota: Rota, query: str = "?year=2027&quarter=1") -> str:
    return reverse("activities:sessions_rota_quarter", args=[rota.pk]) + query


def test_branch_secretary_sees_the_branch_quarter_from_the_rota_page(db):
    court, branch, secretary, members, other_secretary = research_office_branch()
    rota = Rota.objects.create(court=court, branch=branch)
    mine = make_session(
        court, start=JAN, title="研究室党支部周一例会", speakers=(members[0],), rota=rota, unit_branch=branch,
        audience_court=False,
    )  # fmt: skip
    mine.audience_branches.add(branch)
    make_session(court, start=JAN + dt.timedelta(days=1), title="刑庭党支部例会", audience_court=False)
    make_session(court, start=JAN + dt.timedelta(days=100), title="二季度例会", rota=rota, unit_branch=branch)

    client = login(secretary)
    rota_page = client.get(rota.get_absolute_url()).content.decode()
    assert reverse("activities:sessions_rota_quarter", args=[rota.pk]) in rota_page

    page = client.get(quarter_url(rota)).content.decode()
    assert "研究室党支部" in page and "研究室党支部周一例会" in page and members[0].name in page
    assert "刑庭党支部例会" not in page and "二季度例会" not in page
    assert "?year=2027&amp;quarter=2" in page  # the next quarter stays on this rota
    assert "二季度例会" in client.get(quarter_url(rota, "?year=2027&quarter=2")).content.decode()
    assert client.get(quarter_url(rota, "?year=abc&quarter=")).status_code == 200

    # Another branch's secretary and the branch's members see the rota page, not the planning view.
    assert login(other_secretary).get(quarter_url(rota)).status_code == 403
    assert login(members[1]).get(quarter_url(rota)).status_code == 403


def test_department_rota_has_a_quarter_view_and_the_group_view_still_works(db):
    court, branch, secretary, members, _ = research_office_branch()
    department = Department.objects.create(court=court, name="研究室")
    rota = Rota.objects.create(court=court, department=department)
    make_session(court, start=JAN, title="研究室业务学习", rota=rota, unit_department=department, audience_court=False)
    organizer = make_member(court, "郑主任", role=Member.Role.ORGANIZER)
    client = login(organizer)
    page = client.get(quarter_url(rota)).content.decode()
    assert "研究室业务学习" in page and "研究室" in page
    assert client.get(reverse("activities:sessions_quarter") + "?year=2027&quarter=1").status_code == 200
    # An organizer limited to a branch does not run a department's rota.
    assert login(secretary).get(quarter_url(rota)).status_code == 403
