"""A 研习小组 of a city court recruiting from its basic courts (两级法院), as 辽源 did.

The city court (cast.city) opens its research group to the courts below; 30 people of the city
court and 30 of each basic court (cast.court "A", cast.other_court "B") apply; 60 are selected,
placed in 6 squads. The city court's organizer runs it; A's leader and organizer read A's people in
it and nothing of B's; every member's learning counts in their own court's summary.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models.plans import PLAN_TZ, Application, RecruitmentBatch
from activities.services.plans import application_decide, application_submit, batch_create, batch_update, squads_form
from members.models import Department, Member, StudyGroup, StudyGroupMembership
from reports.periods import MONTH, Period
from reports.services import compute_court_values, summary_build, window_for

from ..factories import make_court, make_member
from .plans_fixtures import clock_fixture, make_output  # noqa: F401

TODAY = dt.date(2027, 3, 10)
NOW = dt.datetime(2027, 3, 10, 10, 0, tzinfo=PLAN_TZ)
MARCH = Period(MONTH, dt.date(2027, 3, 1))


@pytest.fixture
def city_organizer(cast) -> Member:
    return make_member(cast.city, "周干事", role=Member.Role.ORGANIZER, username="city_organizer")


@pytest.fixture
def other_leader(cast) -> Member:
    """The president of the sibling basic court B."""
    return make_member(cast.other_court, "吴院长", role=Member.Role.LEADER, username="other_leader")


@pytest.fixture
def group(cast) -> StudyGroup:
    return StudyGroup.objects.create(court=cast.city, name="习近平法治思想研习小组", kind=StudyGroup.Kind.RESEARCH)


@pytest.fixture
def batch(cast, group, city_organizer) -> RecruitmentBatch:
    return batch_create(
        actor=city_organizer,
        group=group,
        criteria="两级法院审判、审判辅助、司法行政岗位干警",
        capacity=60,
        opens_on=dt.date(2027, 3, 1),
        closes_on=dt.date(2027, 3, 20),
        spans_courts_below=True,
    )


def people_of(court, n: int, prefix: str) -> list[Member]:
    departments = [Department.objects.get_or_create(court=court, name=f"{prefix}庭{i}")[0] for i in range(3)]
    categories = list(Member.PositionCategory.values)
    return [
        make_member(
            court,
            f"{prefix}{i:02d}",
            department=departments[i % 3],
            position_category=categories[(i // 3) % 3],
        )
        for i in range(n)
    ]


def apply_all(batch, people) -> None:
    for person in people:
        application_submit(batch=batch, member=person, statement="愿意参加研习", today=TODAY)


def select(batch, people, actor) -> None:
    for application in Application.objects.filter(batch=batch, member__in=people):
        application_decide(application=application, actor=actor, status=Application.Status.SELECTED, now=NOW)


@pytest.fixture
def liaoyuan(cast, batch, city_organizer):
    """30 apply from each court, 20 of each are selected, 6 squads are formed."""
    courts = {"city": cast.city, "a": cast.court, "b": cast.other_court}
    people = {key: people_of(court, 30, {"city": "市", "a": "前", "b": "龙"}[key]) for key, court in courts.items()}
    for group in people.values():
        apply_all(batch, group)
        select(batch, group[:20], city_organizer)
    squads_form(batch=batch, actor=city_organizer, squad_count=6, now=NOW)
    return people


def names(response) -> str:
    return response.content.decode()


def every_page(client, url: str) -> str:
    """All pages of a paginated list (25 a page), as one text."""
    return "".join(names(client.get(url, {"page": n})) for n in range(1, 5))


# ---------------------------------------------------------------- opening the group to the courts below


def test_city_organizer_opens_a_batch_to_the_courts_below_from_the_form(cast, group, city_organizer, clock):
    clock.set(NOW)
    client = _client(city_organizer)
    page = client.get(reverse("activities:recruitment_create"))
    assert "spans_courts_below" in names(page) and "面向下级法院招募" in names(page)
    response = client.post(
        reverse("activities:recruitment_create"),
        {
            "group": group.pk,
            "spans_courts_below": "on",
            "criteria": "两级法院干警",
            "capacity": 100,
            "opens_on": "2027-03-01",
            "closes_on": "2027-03-31",
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.spans_courts_below
    # A basic court has no court below: its form does not offer it.
    assert "spans_courts_below" not in names(cast.client_for("organizer").get(reverse("activities:recruitment_create")))


def test_a_basic_court_cannot_open_its_group_to_courts_below_it_has_none_of(cast):
    group = StudyGroup.objects.create(court=cast.court, name="青年研习小组", kind=StudyGroup.Kind.RESEARCH)
    with pytest.raises(ValidationError) as error:
        batch_create(
            actor=cast.organizer,
            group=group,
            criteria="x",
            capacity=5,
            opens_on=TODAY,
            closes_on=TODAY,
            spans_courts_below=True,
        )
    assert error.value.code == "no_courts_below"


def _client(person):
    from django.test import Client

    client = Client()
    client.force_login(person.user, backend="members.backends.MemberModelBackend")
    return client


# ---------------------------------------------------------------- the 辽源 story


def test_members_of_the_basic_courts_see_the_city_batch_and_apply(cast, batch, clock):
    clock.set(NOW)
    client = cast.client_for("member")
    listing = client.get(reverse("activities:recruitment_list"))
    assert batch.get_absolute_url() in names(listing)
    assert cast.city.name in names(listing)  # whose group it is
    detail = client.get(batch.get_absolute_url())
    assert 'action="{}"'.format(reverse("activities:recruitment_apply", args=[batch.pk])) in names(detail)
    client.post(reverse("activities:recruitment_apply", args=[batch.pk]), {"statement": "愿意参加"})
    assert Application.objects.filter(batch=batch, member=cast.member).exists()


def test_a_court_outside_the_city_neither_sees_nor_applies(cast, batch, clock):
    clock.set(NOW)
    elsewhere = make_court("白城市中级人民法院", "bc")
    stranger = make_member(elsewhere, "外人")
    assert _client(stranger).get(batch.get_absolute_url()).status_code == 404
    with pytest.raises(ValidationError):
        application_submit(batch=batch, member=stranger, statement="x", today=TODAY)


def test_a_group_not_open_to_the_courts_below_still_refuses_them(cast, group, city_organizer):
    closed = batch_create(actor=city_organizer, group=group, criteria="x", capacity=5, opens_on=TODAY, closes_on=TODAY)
    assert not group.spans_courts_below
    with pytest.raises(ValidationError) as error:
        application_submit(batch=closed, member=cast.member, statement="x", today=TODAY)
    assert error.value.code == "court"
    assert cast.client_for("member").get(closed.get_absolute_url()).status_code == 404


def test_sixty_selected_from_three_courts_in_six_balanced_squads(cast, batch, liaoyuan, group):
    squads = list(StudyGroup.objects.filter(batch_squad__batch=batch))
    assert len(squads) == 6
    assert all(squad.court_id == cast.city.pk and squad.parent_id == group.pk for squad in squads)
    sizes = [squad.memberships.count() for squad in squads]
    assert sorted(sizes) == [10] * 6
    for squad in squads:
        courts = Counter(squad.memberships.values_list("member__court_id", flat=True))
        # Departments are per court, so spreading them spreads the courts: each squad mixes all three.
        assert set(courts) == {cast.city.pk, cast.court.pk, cast.other_court.pk}
        assert max(courts.values()) - min(courts.values()) <= 2
        categories = Counter(squad.memberships.values_list("member__position_category", flat=True))
        assert max(categories.values()) - min(categories.values()) <= 2
    assert group.memberships.count() == 60
    assert group.memberships.filter(member__court=cast.other_court).count() == 20


def test_city_organizer_reads_everyone_with_their_court(cast, batch, liaoyuan, group, city_organizer):
    client = _client(city_organizer)
    applications = every_page(client, reverse("activities:recruitment_applications", args=[batch.pk]))
    assert liaoyuan["a"][0].name in applications and liaoyuan["b"][0].name in applications
    assert cast.other_court.name in applications
    members = names(client.get(group.get_absolute_url()))
    assert liaoyuan["b"][5].name in members and cast.other_court.name in members
    detail = names(client.get(batch.get_absolute_url()))
    assert 'id="batch-courts"' in detail and cast.other_court.name in detail
    assert "面向下级法院" in detail and "open to the courts below" not in detail


def test_a_basic_court_leader_reads_only_their_own_thirty(cast, batch, liaoyuan, group, other_leader):
    client = cast.client_for("leader")
    a_people, b_people = liaoyuan["a"], liaoyuan["b"]
    url = reverse("activities:recruitment_applications", args=[batch.pk])
    pages = every_page(client, url)
    assert all(person.name in pages for person in a_people)
    assert not any(person.name in pages for person in b_people + liaoyuan["city"])
    squads = names(client.get(reverse("activities:recruitment_squads", args=[batch.pk])))
    assert all(person.name in squads for person in a_people[:20])
    assert not any(person.name in squads for person in b_people)
    members = names(client.get(group.get_absolute_url()))
    assert all(person.name in members for person in a_people[:20])
    assert not any(person.name in members for person in b_people)
    assert cast.other_court.name not in squads + members + pages
    assert "仅显示本院人员" in members and "计入其所在法院的统计" in members
    # The per-court counts show their court only.
    detail = names(client.get(batch.get_absolute_url()))
    assert cast.court.name in detail and cast.other_court.name not in detail
    # And the sibling's leader, the other way round.
    sibling = names(_client(other_leader).get(group.get_absolute_url()))
    assert b_people[0].name in sibling and a_people[0].name not in sibling


def test_a_sibling_courts_people_stay_404_to_the_basic_court(cast, batch, liaoyuan, group):
    b_person = liaoyuan["b"][0]
    b_application = Application.objects.get(batch=batch, member=b_person)
    a_application = Application.objects.get(batch=batch, member=liaoyuan["a"][0])
    for role in ("leader", "organizer", "member"):
        client = cast.client_for(role)
        assert client.get(b_person.get_absolute_url()).status_code == 404
    organizer = cast.client_for("organizer")
    decide = "activities:recruitment_decide"
    assert organizer.post(reverse(decide, args=[b_application.pk]), {"status": "rejected"}).status_code == 404
    # Their own court's applicant exists for them, but the decision is the city court's.
    assert organizer.post(reverse(decide, args=[a_application.pk]), {"status": "rejected"}).status_code == 403
    a_application.refresh_from_db()
    assert a_application.status == Application.Status.SELECTED


def test_the_basic_court_reads_but_never_runs_the_group(cast, batch, liaoyuan, group):
    organizer = cast.client_for("organizer")
    page = organizer.get(reverse("activities:recruitment_applications", args=[batch.pk]))
    assert page.status_code == 200
    assert reverse("activities:recruitment_decide", args=[Application.objects.filter(batch=batch).first().pk]) not in (
        names(page)
    )
    assert organizer.get(reverse("activities:recruitment_edit", args=[batch.pk])).status_code == 403
    assert organizer.post(reverse("activities:recruitment_form_squads", args=[batch.pk]), {}).status_code == 403
    squad = StudyGroup.objects.filter(batch_squad__batch=batch).first()
    leader_url = reverse("activities:recruitment_squad_leader", args=[squad.pk])
    assert organizer.post(leader_url, {"member": liaoyuan["a"][0].pk}).status_code == 403
    assert organizer.get(reverse("members:group_edit", args=[group.pk])).status_code == 403
    assert (
        cast.client_for("outsider").get(reverse("activities:recruitment_applications", args=[batch.pk])).status_code
        == 403
    )


def test_a_squad_member_sees_their_squad_mates_of_other_courts_but_not_the_other_squads(cast, batch, liaoyuan):
    me = liaoyuan["a"][0]
    my_squad = StudyGroupMembership.objects.get(member=me, group__batch_squad__batch=batch).group
    mates = set(my_squad.memberships.exclude(member__court=cast.court).values_list("member__name", flat=True))
    others = set(
        StudyGroupMembership.objects.filter(group__batch_squad__batch=batch, member__court=cast.other_court)
        .exclude(group=my_squad)
        .values_list("member__name", flat=True)
    )
    page = names(_client(me).get(reverse("activities:recruitment_squads", args=[batch.pk])))
    assert mates and all(name in page for name in mates)
    assert not any(name in page for name in others)
    b_mate = my_squad.memberships.filter(member__court=cast.other_court).first().member
    assert b_mate.get_absolute_url() not in page  # shown by name, never linked to a profile they cannot open


def test_the_group_stays_open_while_people_below_are_in_it(cast, batch, liaoyuan, city_organizer):
    with pytest.raises(ValidationError) as error:
        batch_update(
            batch=batch,
            actor=city_organizer,
            criteria=batch.criteria,
            capacity=batch.capacity,
            opens_on=batch.opens_on,
            closes_on=batch.closes_on,
            spans_courts_below=False,
        )
    assert error.value.code == "spans_in_use"


# ---------------------------------------------------------------- reports


def test_the_city_group_row_counts_its_people_of_every_court_and_the_court_rows_their_own(cast, batch, liaoyuan, group):
    """The group row is the city court's unit and counts all 60 of its people, from whatever court;
    the people of the basic courts count in their own court's rows (court, department) too, never in
    the city court's own court or department rows."""
    a_person = liaoyuan["a"][0]
    make_output(cast.court, a_person, date=dt.date(2027, 3, 5))
    for court in (cast.court, cast.other_court):  # their own courts' builds count them first
        summary_build(court=court, period=MARCH, now=NOW)
    city_values = compute_court_values(court=cast.city, period=MARCH, now=NOW)
    a_values = compute_court_values(court=cast.court, period=MARCH, now=NOW)
    assert city_values[("group", group.pk)]["members"] == 60
    assert city_values[("group", group.pk)]["authorships"] == 1
    assert city_values[("group", group.pk)]["active_members"] == 1
    squads = StudyGroup.objects.filter(parent=group).values_list("pk", flat=True)
    assert sum(city_values[("group", pk)]["members"] for pk in squads) == 60
    assert sum(city_values[("group", pk)].get("authorships", 0) for pk in squads) == 1
    city_people = Member.objects.filter(court=cast.city, is_active=True).count()
    assert city_values[("court", cast.city.pk)]["members"] == city_people  # 30 applicants and the staff
    assert "authorships" not in city_values[("court", cast.city.pk)]
    assert ("member", a_person.pk) not in city_values
    assert a_values[("member", a_person.pk)]["authorships"] == 1
    assert a_values[("court", cast.court.pk)]["authorships"] == 1
    assert ("group", group.pk) not in a_values


def _no_marks() -> None:
    """A clean slate: the fixtures' own writes marked periods (and left a batch of marks pending)."""
    from django.db import connection

    from reports.models import SummaryStale

    SummaryStale.objects.all().delete()
    connection._stale_batch = None


def test_a_basic_courts_new_numbers_make_the_city_group_row_stale_then_right(
    cast, batch, liaoyuan, group, django_capture_on_commit_callbacks
):
    """A person of court A writes an output after everything was built: A's build marks the city court
    stale (its group row adds up A's stored rows), and the city's next build counts it."""
    from reports.models import Summary, SummaryStale

    for court in (cast.court, cast.other_court, cast.city):
        summary_build(court=court, period=MARCH, now=NOW)
    _no_marks()
    make_output(cast.court, liaoyuan["a"][3], date=dt.date(2027, 3, 6))
    assert not SummaryStale.objects.for_period(MARCH).filter(court=cast.city).exists()
    with django_capture_on_commit_callbacks(execute=True):
        summary_build(court=cast.court, period=MARCH, now=NOW)
    assert SummaryStale.objects.for_period(MARCH).filter(court=cast.city).exists()
    assert not SummaryStale.objects.for_period(MARCH).filter(court=cast.other_court).exists()
    summary_build(court=cast.city, period=MARCH, now=NOW)
    row = Summary.objects.for_period(MARCH).get(unit_kind="group", unit_id=group.pk)
    assert row.court_id == cast.city.pk and row.values["authorships"] == 1
    # A rebuild of B with nothing new marks nothing.
    _no_marks()
    with django_capture_on_commit_callbacks(execute=True):
        summary_build(court=cast.other_court, period=MARCH, now=NOW)
    assert not SummaryStale.objects.exists()


def test_a_city_page_builds_the_basic_courts_first_so_the_group_row_is_whole(cast, batch, liaoyuan, group):
    """Nothing built yet: the city's pages build the courts below before the city court itself."""
    from reports.freshness import ensure_fresh
    from reports.models import Summary

    make_output(cast.court, liaoyuan["a"][0], date=dt.date(2027, 3, 5))
    ensure_fresh(cast.city, MARCH, with_children=True, stale=True)
    row = Summary.objects.for_period(MARCH).get(unit_kind="group", unit_id=group.pk)
    assert row.values["members"] == 60 and row.values["authorships"] == 1


def test_adding_a_basic_court_member_to_the_group_marks_the_city_court(
    cast, group, city_organizer, django_capture_on_commit_callbacks
):
    from members.services import study_group_add_members
    from reports.models import SummaryStale

    group.spans_courts_below = True
    group.save(update_fields=["spans_courts_below"])
    _no_marks()
    with django_capture_on_commit_callbacks(execute=True):
        study_group_add_members(actor=city_organizer.user, group=group, members=[cast.member])
    assert SummaryStale.objects.filter(court=cast.city).exists()


def test_city_facts_list_the_batch_with_applicants_and_selected_per_court(cast, batch, liaoyuan):
    from activities.facts import court_facts

    window = window_for(cast.city, MARCH)
    facts = court_facts(
        court=cast.city,
        start=window.start,
        end=window.end,
        start_date=window.start_date,
        end_date=window.end_date,
        now=NOW,
    )
    (entry,) = facts["recruitment"]
    assert (entry["applied"], entry["selected"], entry["squads"]) == (90, 60, 6)
    assert entry["courts"][0] == {"court": cast.city.name, "applied": 30, "selected": 20}
    assert sorted(row["court"] for row in entry["courts"][1:]) == sorted([cast.court.name, cast.other_court.name])


# ---------------------------------------------------------------- queries


def _formed_batch(cast, city_organizer, name: str, size: int) -> RecruitmentBatch:
    group = StudyGroup.objects.create(court=cast.city, name=name, kind=StudyGroup.Kind.RESEARCH)
    batch = batch_create(
        actor=city_organizer,
        group=group,
        criteria="x",
        capacity=100,
        opens_on=dt.date(2027, 3, 1),
        closes_on=dt.date(2027, 3, 20),
        spans_courts_below=True,
    )
    for court, prefix in ((cast.city, "市"), (cast.court, "前"), (cast.other_court, "龙")):
        people = people_of(court, size * 3, f"{prefix}{name}")
        apply_all(batch, people)
        select(batch, people[: size * 2], city_organizer)
    squads_form(batch=batch, actor=city_organizer, squad_count=3, now=NOW)
    return batch


def _query_counts(cast, city_organizer, batch) -> list[int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    group = batch.group
    pages = [
        (city_organizer, group.get_absolute_url()),
        (cast.leader, group.get_absolute_url()),
        (cast.leader, reverse("activities:recruitment_applications", args=[batch.pk])),
        (cast.leader, reverse("activities:recruitment_squads", args=[batch.pk])),
        (cast.leader, batch.get_absolute_url()),
        (city_organizer, reverse("activities:recruitment_squads", args=[batch.pk])),
    ]
    counts = []
    for person, url in pages:
        client = _client(person)
        client.get(url)  # warm the per-request caches of the session and navigation
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_cross_court_member_lists_take_as_many_queries_at_two_sizes(cast, city_organizer):
    small = _query_counts(cast, city_organizer, _formed_batch(cast, city_organizer, "小", 2))
    large = _query_counts(cast, city_organizer, _formed_batch(cast, city_organizer, "大", 8))
    assert small == large
    assert max(large) <= 30
