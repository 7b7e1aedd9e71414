"""Rotas for any unit: 茂名's 研究室党支部 runs its own 周一例会 with a rota, planned by its branch
secretary (an organizer limited to the branch); swaps go to the unit's leader, else to its organizers,
the requester is told who decides, and an approved swap re-picks the reserve."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.models import Rota, Session, SwapRequest
from activities.selectors.sessions import unit_deciders
from activities.services import sessions as services
from members.models import Member, Notification, PartyBranch
from tests.factories import make_court, make_member

from . import sessions_factories as f


def login(member: Member) -> Client:
    client = Client()
    client.force_login(member.user, backend="members.backends.MemberModelBackend")
    return client


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def research_office_branch():
    """茂名 intermediate court: 研究室党支部 with its secretary (organizer limited to the branch) and four members."""
    court = make_court("茂名市中级人民法院", "mm")
    branch = PartyBranch.objects.create(court=court, name="研究室党支部")
    secretary = make_member(court, "陈晓梅", role=Member.Role.ORGANIZER, branch=branch, scope_branch=branch)
    branch.secretary = secretary
    branch.save(update_fields=["secretary"])
    members = [make_member(court, name, branch=branch) for name in ("黄志强", "林慧", "梁文博", "吴敏")]
    other_branch = PartyBranch.objects.create(court=court, name="刑事审判第一党支部")
    other_secretary = make_member(
        court, "周建华", role=Member.Role.ORGANIZER, branch=other_branch, scope_branch=other_branch
    )
    return court, branch, secretary, members, other_secretary


def turns_on_rota_page(html: str) -> list[tuple[str, str]]:
    """(speaker, reserve) as the rota page lists the coming turns."""
    turns = html.split('id="rota-turns"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"</a> · ([^<]+?) <small class=\"text-body-secondary\">（\S+ ([^）]+)）</small>", turns)


def test_branch_secretary_plans_the_branch_quarter_with_a_rota_and_decides_a_swap(db):
    court, branch, secretary, members, other_secretary = research_office_branch()
    client = login(secretary)
    url = reverse("activities:sessions_plan")

    # The branch secretary plans for their branch only, and may use a rota for it.
    page = client.get(url).content.decode()
    assert f'value="branch:{branch.pk}"' in page
    assert 'value="court"' not in page and "group:" not in page
    data = {
        "kind": f.kind().pk,
        "title": "研究室党支部周一例会",
        "unit": f"branch:{branch.pk}",
        "year": 2027,
        "quarter": 1,
        "frequency": "weekly",
        "weekday": "0",
        "start_time": "08:30",
        "duration_minutes": "45",
        "on_holiday": "skip",
        "place": "研究室会议室",
        "use_rota": "on",
    }
    preview = client.post(url, {**data, "action": "preview"})
    assert preview.status_code == 200
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.content.decode())[1]
    response = client.post(url, {**data, "token": token, "action": "publish"})
    rota = Rota.objects.get(branch=branch)
    assert response.status_code == 302 and response.url == rota.get_absolute_url()
    assert rota.court == court and rota.group is None and rota.department is None

    sessions = list(Session.objects.filter(rota=rota).order_by("start").prefetch_related("speakers"))
    assert len(sessions) == 12  # 2027 Q1: 13 Mondays, 春节 skipped
    speakers = [s.speakers.get().member for s in sessions]
    everyone = {secretary, *members}
    assert set(speakers[:5]) == everyone  # all five speak once before anyone speaks twice
    assert all(s.reserve_speaker not in (None, speaker) for s, speaker in zip(sessions, speakers, strict=True))
    assert sessions[0].audience_branches.get() == branch  # those expected are the branch's members

    # The first speaker asks to swap with the second; the reserve of the first turn is the second
    # speaker — the swap that used to leave "林慧（备选 林慧）".
    first, second = sessions[0], sessions[1]
    a, b = speakers[0], speakers[1]
    assert first.reserve_speaker == b
    speaker_client = login(a)
    response = speaker_client.post(
        reverse("activities:sessions_swap_create", args=[first.pk]), {"other_session": second.pk, "note": "外出调研"}
    )
    assert response.status_code == 302
    assert "申请已提交陈晓梅（支部书记）审批。" in flashed(response)
    assert Notification.objects.filter(recipient=secretary, kind="session_swap").count() == 1
    assert not Notification.objects.filter(recipient=other_secretary).exists()
    session_page = speaker_client.get(first.get_absolute_url()).content.decode()
    assert "等待陈晓梅（支部书记）审批" in session_page

    # Another branch's secretary does not run this rota; the branch's secretary does.
    swap = SwapRequest.objects.get()
    decide = reverse("activities:sessions_swap_decide", args=[swap.pk])
    assert login(other_secretary).post(decide, {"decision": "approve"}).status_code == 403
    assert login(members[3]).post(decide, {"decision": "approve"}).status_code == 403
    assert client.post(decide, {"decision": "approve"}).status_code == 302

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.speakers.get().member == b and second.speakers.get().member == a
    assert first.reserve_speaker not in (None, a, b)  # re-picked: not the new speaker, not who gave it away
    assert second.reserve_speaker not in (None, a)
    assert Notification.objects.filter(recipient=a, kind="session_swap", text__contains="已获同意").exists()

    # The rota page (as every branch member reads it): nobody is their own reserve.
    rota_page = login(members[2]).get(rota.get_absolute_url()).content.decode()
    assert "研究室党支部" in rota_page and "调换申请由陈晓梅（支部书记）审批。" in rota_page
    listed = turns_on_rota_page(rota_page)
    assert listed and all(speaker != reserve for speaker, reserve in listed)


def test_without_a_unit_leader_swaps_go_to_the_organizers_who_run_the_unit(cast):
    """A department rota with no department head: the court's organizers decide, and the speaker is told so."""
    extra = make_member(cast.court, "孙磊", department=cast.department)
    rota = services.rota_create(actor=cast.organizer, unit=cast.department)
    mine = f.make_session(cast.court, speakers=(cast.member,), rota=rota, unit_department=cast.department)
    assert unit_deciders(cast.department).members == [cast.organizer]

    response = cast.client_for("member").post(
        reverse("activities:sessions_swap_create", args=[mine.pk]), {"substitute": extra.pk}
    )
    assert response.status_code == 302
    assert "申请已提交王芳（组织者）审批。" in flashed(response)
    assert Notification.objects.filter(recipient=cast.organizer, kind="session_swap").exists()

    # Once the department has a head, the head decides (and is the one notified); members still cannot.
    cast.department.head = cast.colleague
    cast.department.save(update_fields=["head"])
    swap = SwapRequest.objects.get()
    decide = reverse("activities:sessions_swap_decide", args=[swap.pk])
    assert login(extra).post(decide, {"decision": "approve"}).status_code == 403
    assert cast.client_for("colleague").post(decide, {"decision": "approve"}).status_code == 302
    mine.refresh_from_db()
    assert mine.speakers.get().member == extra
    assert mine.reserve_speaker not in (extra, cast.member)


def test_a_substitute_must_belong_to_the_rota_unit_and_a_unit_has_one_rota(cast):
    branch_rota = services.rota_create(actor=cast.organizer, unit=cast.branch)
    assert services.rota_create(actor=cast.organizer, unit=cast.branch) == branch_rota
    mine = f.make_session(cast.court, speakers=(cast.member,), rota=branch_rota, unit_branch=cast.branch)
    outside_branch = make_member(cast.court, "赵丽", department=cast.department)  # same department, no branch
    with pytest.raises(services.SessionError, match="轮值单位"):
        services.swap_request_create(requester=cast.member, session=mine, now=timezone.now(), substitute=outside_branch)
    with pytest.raises(services.SessionError):
        services.rota_create(actor=cast.organizer, unit=cast.other_department)  # another court's unit


def test_rota_form_offers_units_without_a_rota_and_refuses_others(cast):
    group = f.study_group(cast)
    client = cast.client_for("organizer")
    url = reverse("activities:sessions_rota_create")
    response = client.post(url, {"unit": f"branch:{cast.branch.pk}"})
    assert response.status_code == 302
    assert Rota.objects.get(branch=cast.branch).court == cast.court
    page = client.get(url).content.decode()
    assert f"branch:{cast.branch.pk}" not in page and f"group:{group.pk}" in page
    for bad in (f"branch:{cast.branch.pk}", "court", f"dept:{cast.other_department.pk}", "dept:abc", ""):
        assert client.post(url, {"unit": bad}).status_code == 400
    assert Rota.objects.count() == 1
