"""Give one award to many entries in one action: five branches' projects named 优秀奖 at once,
picked by ticks, by the whole list or by pasted entry numbers; awards that do not fit the contest
refused; entries that hold the award already reported, not given twice."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Award, Contest, Entry
from activities.services.contests import ActionRefused
from activities.services.contests.awards import awards_give_many
from members.models import AuditEvent, Notification, PartyBranch
from tests.activities.contests_helpers import add_entry, make_contest


def unit_contest(cast, n: int, *, voting: bool = False) -> Contest:
    """A 党建创新项目 contest with n branches' projects (judges only unless voting)."""
    contest = make_contest(
        cast.court,
        voting=voting,
        judging=True,
        entries_by_unit=True,
        unit_kind=Contest.UnitKind.BRANCH,
        title="党建创新项目评选",
    )
    for i in range(n):
        branch = PartyBranch.objects.create(court=cast.court, name=f"第{n}-{i + 1}党支部")
        Entry.objects.create(
            contest=contest, member=cast.colleague, number=i + 1, title=f"党建项目{i + 1}", branch=branch, by_unit=True
        )
    return contest


def post_many(client, contest: Contest, **data):
    return client.post(reverse("activities:awards_give_many", args=[contest.pk]), data, follow=True)


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_five_projects_named_excellent_in_one_post_one_audit_row(cast):
    contest = unit_contest(cast, 7)
    chosen = list(contest.entries.order_by("number")[:5])
    client = cast.client_for("organizer")
    page = client.get(reverse("activities:contest_awards", args=[contest.pk]))
    assert "第7-1党支部" in page.content.decode()  # the unit is named, not its contact 李静

    response = post_many(client, contest, kind=Award.Kind.EXCELLENCE, pick=[e.pk for e in chosen])

    assert response.status_code == 200
    awarded = set(Award.objects.filter(contest=contest, kind=Award.Kind.EXCELLENCE).values_list("entry_id", flat=True))
    assert awarded == {e.pk for e in chosen}
    events = AuditEvent.objects.filter(action="contest.awards_given_many")
    assert events.count() == 1 and events.get().detail["count"] == 5
    assert "第7-1党支部" in response.content.decode()


def test_pasted_numbers_and_the_whole_list_with_a_named_award(cast):
    contest = unit_contest(cast, 4)
    client = cast.client_for("organizer")
    response = post_many(
        client, contest, kind=Award.Kind.CUSTOM, custom_name="优秀党建创新项目", numbers="１、3，99 abc"
    )
    got = sorted(Award.objects.filter(contest=contest).values_list("entry__number", flat=True))
    assert got == [1, 3]
    assert any("99" in line and "abc" in line for line in said(response))

    response = post_many(client, contest, kind=Award.Kind.CUSTOM, custom_name="优秀党建创新项目", everyone="1")
    assert Award.objects.filter(contest=contest, custom_name="优秀党建创新项目").count() == 4
    # The two that had it are reported by their units, and nothing is given twice.
    text = " ".join(said(response))
    assert "第4-1党支部" in text and "第4-3党支部" in text


def test_forum_star_refused_without_an_audience_vote(cast):
    contest = unit_contest(cast, 2)
    client = cast.client_for("organizer")
    post_many(client, contest, kind=Award.Kind.FORUM_STAR, everyone="1")
    assert not Award.objects.filter(contest=contest).exists()
    with pytest.raises(ActionRefused):
        awards_give_many(
            actor=cast.organizer, contest=contest, entries=list(contest.entries.all()), kind=Award.Kind.FORUM_STAR
        )
    voted = make_contest(cast.court)
    add_entry(voted, cast.colleague)
    page = client.get(reverse("activities:contest_awards", args=[voted.pk])).content.decode()
    assert page.count('value="forum_star"') == 2  # the vote makes it an option on both forms


def test_bad_input_is_a_message_not_a_500(cast):
    contest = unit_contest(cast, 2)
    client = cast.client_for("organizer")
    for data in (
        {},
        {"kind": "gold"},
        {"kind": Award.Kind.CUSTOM, "everyone": "1"},
        {"kind": Award.Kind.FIRST, "pick": ["x", "99999999999999"]},
        {"kind": Award.Kind.FIRST, "numbers": "９９９９９９９９９９９９９９"},
    ):
        response = post_many(client, contest, **data)
        assert response.status_code == 200 and said(response)
    assert not Award.objects.filter(contest=contest).exists()
    # Another contest's entry ticked here picks nothing.
    other = unit_contest(cast, 1)
    post_many(client, contest, kind=Award.Kind.FIRST, pick=[other.entries.get().pk])
    assert not Award.objects.exists()


def test_entries_before_judging_get_no_awards(cast):
    contest = unit_contest(cast, 2)
    Contest.objects.filter(pk=contest.pk).update(phase=Contest.Phase.ENTRIES)
    response = post_many(cast.client_for("organizer"), contest, kind=Award.Kind.FIRST, everyone="1")
    assert not Award.objects.exists() and said(response)


def test_published_contest_tells_each_unit_contact_once(cast):
    contest = unit_contest(cast, 3)
    Contest.objects.filter(pk=contest.pk).update(phase=Contest.Phase.PUBLISHED)
    post_many(cast.client_for("organizer"), contest, kind=Award.Kind.EXCELLENCE, everyone="1")
    notes = Notification.objects.filter(recipient=cast.colleague, kind="contest_award")
    assert notes.count() == 3
    assert all(n.dedupe_key.startswith("award:") for n in notes)
    assert any("第3-2党支部" in n.text for n in notes)


def test_many_awards_notify_as_one_award_does_muted_members_none_and_republishing_none_twice(cast):
    """The notices go through members.services.notify_many with award_create's dedupe keys."""
    from django.utils import timezone

    from activities.services.contests.contest import contest_set_phase
    from members.models import NotificationMute

    contest = make_contest(cast.court, voting=False, judging=True, phase=Contest.Phase.PUBLISHED)
    entries = [add_entry(contest, cast.member, "初心"), add_entry(contest, cast.colleague, "坚守")]
    NotificationMute.objects.create(member=cast.member, kind="contest_award")
    awards_give_many(actor=cast.organizer, contest=contest, entries=entries, kind=Award.Kind.EXCELLENCE)
    notes = Notification.objects.filter(kind="contest_award")
    assert list(notes.values_list("recipient", flat=True)) == [cast.colleague.pk]  # 张明 muted them
    for phase in (Contest.Phase.JUDGING, Contest.Phase.PUBLISHED):  # published again: award_create's notices
        contest = contest_set_phase(actor=cast.organizer, contest=contest, phase=phase, now=timezone.now())
    assert notes.count() == 1


@pytest.mark.parametrize("action", ["post", "page"])
def test_queries_do_not_grow_with_the_entries(cast, action, django_assert_max_num_queries):
    """Giving 25 entries their award costs what giving 5 does; so does the page listing them."""
    client = cast.client_for("organizer")
    small, large = unit_contest(cast, 5), unit_contest(cast, 25)
    client.get(reverse("activities:contest_awards", args=[small.pk]))  # warm the session and caches
    if action == "page":
        for contest in (small, large):
            Award.objects.bulk_create(
                Award(contest=contest, entry=e, kind=Award.Kind.SECOND) for e in contest.entries.all()
            )

    def act(contest: Contest) -> None:
        if action == "post":
            response = client.post(
                reverse("activities:awards_give_many", args=[contest.pk]),
                {"kind": Award.Kind.EXCELLENCE, "everyone": "1"},
            )
            assert response.status_code == 302
        else:
            assert client.get(reverse("activities:contest_awards", args=[contest.pk])).status_code == 200

    with CaptureQueriesContext(connection) as five:
        act(small)
    with django_assert_max_num_queries(len(five.captured_queries)):
        act(large)
    assert Award.objects.filter(kind=Award.Kind.EXCELLENCE).count() == (30 if action == "post" else 0)


def test_the_certificates_are_drawn_after_commit_by_one_task(cast, django_capture_on_commit_callbacks):
    contest = unit_contest(cast, 2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = awards_give_many(
            actor=cast.organizer,
            contest=contest,
            entries=list(contest.entries.select_related("member", "branch", "department")),
            kind=Award.Kind.EXCELLENCE,
        )
        assert not any(a.certificate for a in Award.objects.filter(contest=contest))
    assert len(callbacks) == 1
    assert all(a.certificate for a in Award.objects.filter(pk__in=[a.pk for a in result.given]))
