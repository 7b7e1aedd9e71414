"""Study-group recruitment (研习小组招募): batches, applications, selection, balanced squads, outcomes."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from activities.models.plans import PLAN_TZ, Application, BatchSquad, MemberOutcome, RecruitmentBatch
from activities.services.plans import application_decide, balance_squads, batch_create, squads_form
from members.models import AuditEvent, Department, Member, Notification, StudyGroup, StudyGroupMembership

from ..factories import make_member
from .plans_fixtures import clock_fixture  # noqa: F401

TODAY = dt.date(2027, 3, 10)
NOW = dt.datetime(2027, 3, 10, 10, 0, tzinfo=PLAN_TZ)


@pytest.fixture
def group(cast) -> StudyGroup:
    return StudyGroup.objects.create(court=cast.court, name="习近平法治思想研习小组", kind=StudyGroup.Kind.RESEARCH)


@pytest.fixture
def batch(cast, group) -> RecruitmentBatch:
    return batch_create(
        actor=cast.organizer,
        group=group,
        criteria="政治坚定、业务精通,40岁以下",
        capacity=6,
        opens_on=dt.date(2027, 3, 1),
        closes_on=dt.date(2027, 3, 20),
    )


def applicants(cast, n: int, *, batch=None) -> list[Member]:
    departments = [
        cast.department,
        *(Department.objects.get_or_create(court=cast.court, name=f"庭{i}")[0] for i in range(3)),
    ]
    categories = list(Member.PositionCategory.values)
    people = [
        make_member(
            cast.court,
            f"申请人{i}",
            department=departments[i % len(departments)],
            position_category=categories[i % len(categories)],
        )
        for i in range(n)
    ]
    if batch is not None:
        for person in people:
            Application.objects.create(batch=batch, member=person, statement="我想参加")
    return people


# ---------------------------------------------------------------- batches


def test_organizer_opens_numbered_batches_that_stay_on_record(cast, group, clock):
    clock.set(NOW)
    client = cast.client_for("organizer")
    data = {
        "group": group.pk,
        "criteria": "审判、审判辅助、司法行政岗位均可",
        "capacity": 100,
        "opens_on": "2027-03-01",
        "closes_on": "2027-03-31",
    }
    client.post(reverse("activities:recruitment_create"), data)
    client.post(reverse("activities:recruitment_create"), data)
    assert list(group.recruitment_batches.order_by("number").values_list("number", flat=True)) == [1, 2]
    first = group.recruitment_batches.get(number=1)
    with translation.override("zh-hans"):
        assert first.label == "第一批"
    assert AuditEvent.objects.filter(action="recruitment.batch_opened").count() == 2
    listing = cast.client_for("member").get(reverse("activities:recruitment_list"))
    assert listing.status_code == 200 and len(listing.context["rows"]) == 2


def test_organizer_can_start_a_new_research_group_with_the_batch(cast, clock):
    clock.set(NOW)
    response = cast.client_for("organizer").post(
        reverse("activities:recruitment_create"),
        {
            "new_group": "青年调研小组",
            "criteria": "青年干警",
            "capacity": 20,
            "opens_on": "2027-03-01",
            "closes_on": "2027-03-31",
        },
    )
    assert response.status_code == 302
    assert StudyGroup.objects.get(name="青年调研小组").kind == StudyGroup.Kind.RESEARCH


@pytest.mark.parametrize(
    "overrides",
    [
        {"closes_on": "2027-02-01"},
        {"capacity": 0},
        {"capacity": "many"},
        {"opens_on": "2027-13-01"},
        {"group": "", "new_group": ""},
        {"new_group": "另起一组"},
    ],
)
def test_bad_batch_input_writes_nothing(cast, group, overrides):
    data = {"group": group.pk, "criteria": "x", "capacity": 10, "opens_on": "2027-03-01", "closes_on": "2027-03-31"}
    data.update(overrides)
    response = cast.client_for("organizer").post(reverse("activities:recruitment_create"), data)
    assert response.status_code == 200
    assert not RecruitmentBatch.objects.exists()


def test_only_organizers_open_batches(cast, group):
    for role in ("member", "leader", "outsider"):
        assert cast.client_for(role).get(reverse("activities:recruitment_create")).status_code == 403


# ---------------------------------------------------------------- applications and selection


def test_member_applies_once_with_a_statement(cast, batch, clock):
    clock.set(NOW)
    client = cast.client_for("member")
    client.post(reverse("activities:recruitment_apply", args=[batch.pk]), {"statement": "希望系统学习习近平法治思想"})
    client.post(reverse("activities:recruitment_apply", args=[batch.pk]), {"statement": "再报一次"})
    assert Application.objects.filter(batch=batch, member=cast.member).count() == 1
    page = client.get(batch.get_absolute_url())
    assert page.context["mine"].statement == "希望系统学习习近平法治思想"
    client.post(reverse("activities:recruitment_withdraw", args=[batch.pk]))
    assert not Application.objects.exists()


def test_application_outside_the_period_or_empty_is_refused(cast, batch, clock):
    clock.set(NOW)
    cast.client_for("member").post(reverse("activities:recruitment_apply", args=[batch.pk]), {"statement": "   "})
    assert not Application.objects.exists()
    clock.set(dt.datetime(2027, 3, 21, 9, 0, tzinfo=PLAN_TZ))
    cast.client_for("member").post(reverse("activities:recruitment_apply", args=[batch.pk]), {"statement": "晚了"})
    assert not Application.objects.exists()


def test_other_courts_cannot_apply(cast, batch, clock):
    clock.set(NOW)
    assert (
        cast.client_for("outsider")
        .post(reverse("activities:recruitment_apply", args=[batch.pk]), {"statement": "x"})
        .status_code
        == 404
    )
    cast.client_for("city_leader").post(reverse("activities:recruitment_apply", args=[batch.pk]), {"statement": "x"})
    assert not Application.objects.exists()


def test_organizer_selects_up_to_capacity_and_applicants_are_told(cast, batch, clock):
    clock.set(NOW)
    people = applicants(cast, 8, batch=batch)
    client = cast.client_for("organizer")
    for application in Application.objects.order_by("pk"):
        client.post(reverse("activities:recruitment_decide", args=[application.pk]), {"status": "selected"})
    assert Application.objects.filter(status="selected").count() == 6
    assert Notification.objects.filter(kind="recruitment", recipient__in=people).count() == 6
    last = Application.objects.filter(status="pending").first()
    client.post(reverse("activities:recruitment_decide", args=[last.pk]), {"status": "rejected"})
    client.post(reverse("activities:recruitment_decide", args=[last.pk]), {"status": "maybe"})
    last.refresh_from_db()
    assert last.status == "rejected"
    assert (
        cast.client_for("member")
        .post(reverse("activities:recruitment_decide", args=[last.pk]), {"status": "selected"})
        .status_code
        == 403
    )
    assert (
        cast.client_for("outsider")
        .post(reverse("activities:recruitment_decide", args=[last.pk]), {"status": "selected"})
        .status_code
        == 404
    )


def test_applications_list_is_for_organizers_and_leaders(cast, batch):
    applicants(cast, 3, batch=batch)
    url = reverse("activities:recruitment_applications", args=[batch.pk])
    assert cast.client_for("member").get(url).status_code == 403
    assert cast.client_for("leader").get(url).status_code == 200
    response = cast.client_for("organizer").get(url, {"status": "pending"})
    assert response.status_code == 200 and len(response.context["page"]) == 3


# ---------------------------------------------------------------- squads


def test_squads_are_formed_balanced_then_editable(cast, batch, clock):
    clock.set(NOW)
    people = applicants(cast, 6, batch=batch)
    Application.objects.update(status="selected")
    client = cast.client_for("organizer")
    response = client.post(reverse("activities:recruitment_form_squads", args=[batch.pk]), {"squad_count": 2})
    assert response.url == reverse("activities:recruitment_squads", args=[batch.pk])
    squads = list(StudyGroup.objects.filter(batch_squad__batch=batch).order_by("batch_squad__position"))
    assert len(squads) == 2 and all(s.kind == StudyGroup.Kind.SQUAD and s.parent == batch.group for s in squads)
    sizes = [s.memberships.count() for s in squads]
    assert sorted(sizes) == [3, 3]
    for squad in squads:
        assert len({m.member.position_category for m in squad.memberships.select_related("member")}) == 3
    # Everyone selected is in the research group too, and was told their squad.
    assert set(batch.group.memberships.values_list("member", flat=True)) >= {p.pk for p in people}
    assert Notification.objects.filter(kind="recruitment", text__contains=squads[0].name).exists()
    batch.refresh_from_db()
    assert batch.squads_formed_at == NOW
    # Edit: move someone, set a leader.
    mover = squads[0].memberships.first().member
    client.post(
        reverse("activities:recruitment_squad_move", args=[batch.pk]), {"member": mover.pk, "squad": squads[1].pk}
    )
    assert StudyGroupMembership.objects.get(member=mover, group__in=squads).group == squads[1]
    client.post(reverse("activities:recruitment_squad_leader", args=[squads[1].pk]), {"member": mover.pk})
    assert StudyGroupMembership.objects.get(member=mover, group=squads[1]).role == "leader"
    # Forming again without "replace" is refused; with it, squads are replaced.
    client.post(reverse("activities:recruitment_form_squads", args=[batch.pk]), {"squad_count": 3})
    assert BatchSquad.objects.filter(batch=batch).count() == 2
    client.post(reverse("activities:recruitment_form_squads", args=[batch.pk]), {"squad_count": 3, "replace": "on"})
    assert BatchSquad.objects.filter(batch=batch).count() == 3
    assert StudyGroupMembership.objects.filter(group__batch_squad__batch=batch).count() == 6


def test_squad_edits_reject_people_and_squads_outside_the_batch(cast, batch, group, clock):
    clock.set(NOW)
    applicants(cast, 4, batch=batch)
    Application.objects.update(status="selected")
    squads_form(batch=batch, actor=cast.organizer, squad_count=2, now=NOW)
    other = StudyGroup.objects.create(court=cast.court, name="别的小组")
    squad = StudyGroup.objects.filter(batch_squad__batch=batch).first()
    client = cast.client_for("organizer")
    client.post(
        reverse("activities:recruitment_squad_move", args=[batch.pk]), {"member": cast.member.pk, "squad": squad.pk}
    )
    client.post(
        reverse("activities:recruitment_squad_move", args=[batch.pk]),
        {"member": squad.memberships.first().member_id, "squad": other.pk},
    )
    assert not StudyGroupMembership.objects.filter(group=other).exists()
    assert not StudyGroupMembership.objects.filter(member=cast.member, group=squad).exists()
    assert (
        cast.client_for("member")
        .post(reverse("activities:recruitment_squad_leader", args=[squad.pk]), {"member": cast.member.pk})
        .status_code
        == 403
    )


@pytest.mark.parametrize("count", [0, 7, "x"])
def test_bad_squad_counts_are_refused(cast, batch, count):
    applicants(cast, 4, batch=batch)
    Application.objects.update(status="selected")
    cast.client_for("organizer").post(
        reverse("activities:recruitment_form_squads", args=[batch.pk]), {"squad_count": count}
    )
    assert not BatchSquad.objects.exists()


def test_forming_squads_needs_selected_applicants(cast, batch):
    applicants(cast, 3, batch=batch)
    cast.client_for("organizer").post(
        reverse("activities:recruitment_form_squads", args=[batch.pk]), {"squad_count": 1}
    )
    assert not BatchSquad.objects.exists()


def test_decisions_freeze_once_squads_are_formed(cast, batch):
    applicants(cast, 3, batch=batch)
    Application.objects.update(status="selected")
    squads_form(batch=batch, actor=cast.organizer, squad_count=1, now=NOW)
    application = Application.objects.first()
    with pytest.raises(ValidationError) as error:
        application_decide(application=application, actor=cast.organizer, status="rejected", now=NOW)
    assert error.value.code == "formed"


# ---------------------------------------------------------------- the balancing, as a property


people_strategy = st.lists(
    st.tuples(st.sampled_from(["trial", "support", "admin"]), st.integers(min_value=0, max_value=7)),
    min_size=1,
    max_size=60,
)


def spread(values) -> int:
    return max(values) - min(values)


@settings(max_examples=300, deadline=None)
@given(people=people_strategy, data=st.data())
def test_squads_balance_sizes_position_categories_and_departments(people, data):
    squad_count = data.draw(st.integers(min_value=1, max_value=len(people)))
    indexed = list(enumerate(people))  # (id, (category, department))
    squads = balance_squads(indexed, squad_count, category=lambda p: p[1][0], department=lambda p: p[1][1])
    # Everyone is in exactly one squad.
    assert sorted(p for squad in squads for p in squad) == indexed
    assert len(squads) == squad_count
    # Sizes and each position category differ by at most one between squads.
    assert spread([len(s) for s in squads]) <= 1
    for category in {c for c, _ in people}:
        assert spread([sum(1 for _, (c, _d) in s if c == category) for s in squads]) <= 1
    # Each department is spread within one per position category it spans (the dealing
    # guarantees that; the swaps never make it worse).
    for department in {d for _, d in people}:
        counts = [sum(1 for _, (_c, d) in s if d == department) for s in squads]
        categories_spanned = len({c for c, d in people if d == department})
        assert spread(counts) <= categories_spanned


def test_a_seed_sized_roster_is_balanced_within_one_everywhere():
    """100 members from trial, support and admin posts in 12 departments, 9 squads (seed 001)."""
    roster = [(i, ("trial", "support", "admin")[i % 3], i % 12) for i in range(100)]
    squads = balance_squads(roster, 9, category=lambda p: p[1], department=lambda p: p[2])
    assert spread([len(s) for s in squads]) <= 1
    for department in range(12):
        assert spread([sum(1 for p in s if p[2] == department) for s in squads]) <= 1
    for category in ("trial", "support", "admin"):
        assert spread([sum(1 for p in s if p[1] == category) for s in squads]) <= 1
    assert Counter(len(s) for s in squads) == Counter({11: 8, 12: 1})


# ---------------------------------------------------------------- outcomes


def test_organizer_records_an_outcome_on_the_profile(cast, batch, clock):
    clock.set(NOW)
    client = cast.client_for("organizer")
    url = reverse("activities:outcome_create", args=[cast.member.pk])
    response = client.post(
        url, {"kind": "promotion", "description": "晋升为民一庭副庭长", "date": "2027-03-01", "batch": batch.pk}
    )
    assert response.status_code == 302
    outcome = MemberOutcome.objects.get()
    assert outcome.batch == batch and outcome.recorded_by == cast.organizer
    profile = cast.client_for("colleague").get(cast.member.get_absolute_url()).content.decode()
    assert "晋升为民一庭副庭长" in profile
    detail = cast.client_for("member").get(batch.get_absolute_url())
    assert detail.context["summary"]["promoted"] == 1
    # Only the member's organizers record or remove outcomes.
    assert cast.client_for("leader").get(url).status_code == 403
    assert cast.client_for("outsider").get(url).status_code == 404
    assert cast.client_for("member").post(reverse("activities:outcome_delete", args=[outcome.pk])).status_code == 403
    client.post(reverse("activities:outcome_delete", args=[outcome.pk]))
    assert not MemberOutcome.objects.exists()


@pytest.mark.parametrize("date", ["2099-01-01", "not a date", ""])
def test_bad_outcome_dates_write_nothing(cast, clock, date):
    clock.set(NOW)
    response = cast.client_for("organizer").post(
        reverse("activities:outcome_create", args=[cast.member.pk]),
        {"kind": "promotion", "description": "x", "date": date},
    )
    assert response.status_code == 200
    assert not MemberOutcome.objects.exists()


@pytest.mark.parametrize("n", [3, 30])
def test_recruitment_pages_queries_do_not_grow(cast, batch, django_assert_max_num_queries, n):
    applicants(cast, n, batch=batch)
    Application.objects.update(status="selected")
    batch.capacity = 100
    batch.save()
    squads_form(batch=batch, actor=cast.organizer, squad_count=3, now=NOW)
    client = cast.client_for("organizer")
    for url in (
        reverse("activities:recruitment_list"),
        batch.get_absolute_url(),
        reverse("activities:recruitment_applications", args=[batch.pk]),
        reverse("activities:recruitment_squads", args=[batch.pk]),
    ):
        with django_assert_max_num_queries(13):
            assert client.get(url).status_code == 200
