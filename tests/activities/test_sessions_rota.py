"""The speaker rota: fair turns (a property test), unavailability, reserves, and swaps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from activities.models import Speaker, SwapRequest
from activities.selectors.sessions import assign_speakers
from activities.services import sessions as services
from members.models import Notification, StudyGroupMembership
from tests.factories import make_member

from . import sessions_factories as f

MONDAY = dt.date(2026, 10, 12)


@st.composite
def rota_problems(draw):
    n_members = draw(st.integers(min_value=1, max_value=8))
    n_weeks = draw(st.integers(min_value=1, max_value=26))
    days = [MONDAY + dt.timedelta(weeks=w) for w in range(n_weeks)]
    members = list(range(100, 100 + n_members))
    unavailable = draw(
        st.sets(st.tuples(st.sampled_from(members), st.sampled_from(days)), max_size=n_members * n_weeks)
    )
    return days, members, unavailable


@settings(max_examples=300, deadline=None)
@given(rota_problems())
def test_rota_is_fair_with_random_unavailability(problem):
    days, members, unavailable = problem
    turns = assign_speakers(days, members, {}, lambda m, d: (m, d) in unavailable)
    counts = dict.fromkeys(members, 0)
    last: dict[int, dt.date | None] = dict.fromkeys(members, None)
    for turn in turns:
        available = [m for m in members if (m, turn.day) not in unavailable]
        if not available:
            assert turn.speaker is None and turn.reserve is None
            continue
        # Unavailability is respected, for the speaker and the reserve.
        assert turn.speaker in available
        assert turn.reserve is None or (turn.reserve in available and turn.reserve != turn.speaker)
        assert (turn.reserve is None) == (len(available) == 1)
        # Nobody speaks again while someone available has spoken fewer times…
        assert counts[turn.speaker] == min(counts[m] for m in available)
        # …and among those, the least recent speaker goes first.
        tied = [m for m in available if counts[m] == counts[turn.speaker]]
        assert (last[turn.speaker] or dt.date.min) == min(last[m] or dt.date.min for m in tied)
        counts[turn.speaker] += 1
        last[turn.speaker] = turn.day


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=9), st.integers(min_value=1, max_value=40))
def test_everyone_speaks_once_before_anyone_twice(n_members, n_weeks):
    members = list(range(n_members))
    days = [MONDAY + dt.timedelta(weeks=w) for w in range(n_weeks)]
    turns = assign_speakers(days, members, {}, lambda m, d: False)
    for prefix in range(1, n_weeks + 1):
        spoken = [t.speaker for t in turns[:prefix]]
        counts = [spoken.count(m) for m in members]
        assert max(counts) - min(counts) <= 1


def test_history_carries_over_to_the_next_quarter():
    # Member 1 spoke long ago, member 2 recently, member 3 never: 3, then 1, then 2.
    history = {1: (1, dt.date(2026, 7, 6)), 2: (1, dt.date(2026, 9, 28))}
    turns = assign_speakers(
        [MONDAY, MONDAY + dt.timedelta(weeks=1), MONDAY + dt.timedelta(weeks=2)], [1, 2, 3], history, lambda m, d: False
    )
    assert [t.speaker for t in turns] == [3, 1, 2]
    assert turns[0].reserve == 1


@pytest.fixture
def group_of_four(cast):
    group = f.study_group(cast)  # colleague leads, member is in it
    extra = [make_member(cast.court, name, department=cast.department) for name in ("孙磊", "周婷")]
    for m in extra:
        f.membership(group, m)
    return group


def test_planned_quarter_gives_everyone_a_turn_and_skips_the_unavailable(cast, group_of_four):
    services.unavailability_add(
        actor=cast.organizer,
        member=cast.member,
        first_day=dt.date(2026, 10, 1),
        last_day=dt.date(2026, 11, 30),
        reason="trial",
    )
    from activities.selectors.sessions import RecurrenceRule, WorkCalendar, plan_occurrences, quarter_bounds

    first, last = quarter_bounds(2026, 4)
    rule = RecurrenceRule(frequency="weekly", weekday=0, start_time=dt.time(8, 30))
    occurrences = plan_occurrences(rule, first, last, WorkCalendar.load(first, last))
    rota = services.rota_create(actor=cast.organizer, unit=group_of_four)
    services.quarter_publish(
        actor=cast.organizer,
        token="a" * 32,
        rule=rule,
        occurrences=occurrences,
        first_day=first,
        last_day=last,
        kind=f.kind(),
        title="周分享",
        unit=group_of_four,
        rota=rota,
        place="三楼会议室",
    )
    turns = list(
        Speaker.objects.filter(session__rota=rota).order_by("session__start").values_list("session__start", "member_id")
    )
    assert len(turns) == 12
    for start, member_id in turns:
        if timezone.localtime(start).date() <= dt.date(2026, 11, 30):
            assert member_id != cast.member.pk
    counts = [m for _s, m in turns]
    assert cast.member.pk in counts  # December: the member's turn comes
    # Each speaker was told of each turn once.
    assert Notification.objects.filter(kind="session_turn").count() == 12


def test_member_swaps_turn_with_another_turn_after_leader_approval(cast, group_of_four, client):
    other_member = group_of_four.members.exclude(pk__in=[cast.member.pk, cast.colleague.pk]).first()
    mine = f.rota_session(cast, speaker=cast.member, days=3)
    theirs = f.rota_session(cast, speaker=other_member, days=10)
    client.force_login(cast.member.user, backend="members.backends.MemberModelBackend")
    response = client.post(
        reverse("activities:sessions_swap_create", args=[mine.pk]), {"other_session": theirs.pk, "note": "开庭"}
    )
    assert response.status_code == 302
    swap = SwapRequest.objects.get()
    assert swap.status == "pending"
    assert Notification.objects.filter(recipient=cast.colleague, kind="session_swap").exists()
    # A second request for the same turn waits for the first.
    response = client.post(reverse("activities:sessions_swap_create", args=[mine.pk]), {"substitute": other_member.pk})
    assert "已有待审批的调换申请" in response.content.decode()
    assert SwapRequest.objects.count() == 1

    leader = cast.client_for("colleague")
    assert (
        leader.post(reverse("activities:sessions_swap_decide", args=[swap.pk]), {"decision": "approve"}).status_code
        == 302
    )
    assert mine.speakers.get().member == other_member
    assert theirs.speakers.get().member == cast.member
    swap.refresh_from_db()
    assert swap.status == "approved" and swap.decided_by == cast.colleague
    # Deciding twice changes nothing.
    leader.post(reverse("activities:sessions_swap_decide", args=[swap.pk]), {"decision": "reject"})
    swap.refresh_from_db()
    assert swap.status == "approved"


def test_member_hands_turn_to_substitute_and_rejection_keeps_speaker(cast, group_of_four):
    mine = f.rota_session(cast, speaker=cast.member)
    substitute = group_of_four.members.exclude(pk__in=[cast.member.pk, cast.colleague.pk]).first()
    now = timezone.now()
    swap = services.swap_request_create(requester=cast.member, session=mine, now=now, substitute=substitute)
    services.swap_request_decide(actor=cast.colleague, swap=swap, approve=False, now=now)
    assert mine.speakers.get().member == cast.member
    swap2 = services.swap_request_create(requester=cast.member, session=mine, now=now, substitute=substitute)
    services.swap_request_decide(actor=cast.colleague, swap=swap2, approve=True, now=now)
    assert mine.speakers.get().member == substitute


def test_swap_refused_for_non_speaker_past_turn_or_outsider_substitute(cast, group_of_four):
    now = timezone.now()
    mine = f.rota_session(cast, speaker=cast.member)
    with pytest.raises(services.SessionError):
        services.swap_request_create(requester=cast.colleague, session=mine, now=now, substitute=cast.member)
    with pytest.raises(services.SessionError):
        services.swap_request_create(requester=cast.member, session=mine, now=now, substitute=cast.outsider)
    with pytest.raises(services.SessionError):
        services.swap_request_create(
            requester=cast.member, session=mine, now=mine.start + dt.timedelta(minutes=1), substitute=cast.colleague
        )
    assert not SwapRequest.objects.exists()


def test_group_member_who_is_not_leader_cannot_approve(cast, group_of_four):
    swap = f.swap(cast)
    plain = (
        group_of_four.memberships.filter(role=StudyGroupMembership.Role.MEMBER)
        .exclude(member=cast.member)
        .first()
        .member
    )
    from django.test import Client

    client = Client()
    client.force_login(plain.user, backend="members.backends.MemberModelBackend")
    assert (
        client.post(reverse("activities:sessions_swap_decide", args=[swap.pk]), {"decision": "approve"}).status_code
        == 403
    )
    swap.refresh_from_db()
    assert swap.status == "pending"
