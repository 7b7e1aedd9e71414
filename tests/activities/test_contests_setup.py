"""Setting up a contest: the form's rules, phases one step at a time, and members' entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from activities.models import Contest, Entry, JudgingCriterion
from activities.services.contests import ActionRefused
from activities.services.contests.contest import contest_set_phase
from activities.services.contests.voting import vote_cast
from tests.activities.contests_helpers import add_entry, make_contest, posted_time


def contest_data(**overrides) -> dict:
    now = timezone.localtime()
    data = {
        "title": "“我和我热爱的岗位”周分享",
        "kind": Contest.Kind.SPEECH,
        "voting_enabled": "on",
        "votes_per_voter": 1,
        **posted_time("vote_opens_at", now + dt.timedelta(days=1)),
        **posted_time("vote_closes_at", now + dt.timedelta(days=1, hours=2)),
        "results_visibility": Contest.ResultsVisibility.AFTER_CLOSE,
        "audience_weight": 40,
        "unit_kind": Contest.UnitKind.DEPARTMENT,
        "tie_break": Contest.TieBreak.JUDGES,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_organizer_creates_a_speech_contest_with_default_criteria(cast):
    response = cast.client_for("organizer").post(
        reverse("activities:contest_create"), contest_data(judging_enabled="on")
    )
    contest = Contest.objects.get()
    assert response.status_code == 302 and response.url == contest.get_absolute_url()
    assert contest.court == cast.court and contest.phase == Contest.Phase.DRAFT
    assert contest.audience_weight == 40 and contest.judge_weight == 60
    assert list(JudgingCriterion.objects.values_list("name", "max_points")) == [
        ("内容", 40),
        ("表达", 30),
        ("仪态", 20),
        ("时间", 10),
    ]


@pytest.mark.parametrize(
    "overrides",
    [
        {"voting_enabled": None, "judging_enabled": None},  # decided by nobody
        {"vote_opens_at_date": "", "vote_opens_at_time": ""},  # no window
        posted_time("vote_closes_at", timezone.localtime() - dt.timedelta(days=3)),  # closes first
        {"votes_per_voter": 0},
        {"votes_per_voter": "x"},
        {"audience_weight": 101, "judging_enabled": "on"},
        {"vote_opens_at_date": "not a date"},
        {"vote_opens_at_time": "25:00"},
        {"vote_opens_at_time": ""},  # half a date-time is not midnight
    ],
)
def test_a_contest_form_with_bad_values_writes_nothing(cast, overrides):
    response = cast.client_for("organizer").post(reverse("activities:contest_create"), contest_data(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Contest.objects.exists()


def test_voting_only_counts_the_audience_fully(cast):
    cast.client_for("organizer").post(reverse("activities:contest_create"), contest_data(audience_weight=30))
    assert Contest.objects.get().audience_weight == 100


def test_phases_move_one_step_at_a_time(cast):
    contest = make_contest(cast.court, phase=Contest.Phase.DRAFT)
    now = timezone.now()
    with pytest.raises(ActionRefused):
        contest_set_phase(actor=cast.organizer, contest=contest, phase=Contest.Phase.JUDGING, now=now)
    contest_set_phase(actor=cast.organizer, contest=contest, phase=Contest.Phase.ENTRIES, now=now)
    with pytest.raises(ActionRefused, match="entries|作品"):
        contest_set_phase(actor=cast.organizer, contest=contest, phase=Contest.Phase.JUDGING, now=now)
    add_entry(contest, cast.colleague)
    contest = contest_set_phase(actor=cast.organizer, contest=contest, phase=Contest.Phase.JUDGING, now=now)
    vote_cast(contest=contest, voter=cast.member, entry=contest.entries.get(), now=now)
    with pytest.raises(ActionRefused):
        contest_set_phase(actor=cast.organizer, contest=contest, phase=Contest.Phase.ENTRIES, now=now)


def test_a_member_submits_an_entry_with_a_file_while_entries_are_open(cast):
    contest = make_contest(cast.court, phase=Contest.Phase.ENTRIES)
    url = reverse("activities:entry_create", args=[contest.pk])
    client = cast.client_for("member")
    pdf = SimpleUploadedFile("我的征文.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    response = client.post(url, {"title": "在书香中涵养司法初心", "text": "正文……", "file": pdf})
    entry = Entry.objects.get()
    assert response.status_code == 302 and response.url == entry.get_absolute_url()
    assert entry.member == cast.member and entry.department == cast.department and entry.number == 1
    assert entry.file_name == "我的征文.pdf"
    download = client.get(reverse("activities:entry_file", args=[entry.pk]))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    # One entry per member.
    again = client.post(url, {"title": "第二篇"})
    assert again.status_code == 200 and Entry.objects.count() == 1
    # Others do not see it while entries are open.
    assert cast.client_for("colleague").get(entry.get_absolute_url()).status_code == 404


def test_a_disguised_file_is_refused(cast):
    contest = make_contest(cast.court, phase=Contest.Phase.ENTRIES)
    fake = SimpleUploadedFile("speech.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = cast.client_for("member").post(
        reverse("activities:entry_create", args=[contest.pk]), {"title": "演讲稿", "file": fake}
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not Entry.objects.exists()


def test_no_entries_after_entries_close_except_by_the_organizer(cast):
    contest = make_contest(cast.court)
    url = reverse("activities:entry_create", args=[contest.pk])
    assert cast.client_for("member").get(url).status_code == 403
    response = cast.client_for("organizer").post(url, {"member": cast.colleague.pk, "title": "临时报名的演讲"})
    assert response.status_code == 302
    assert Entry.objects.get().member == cast.colleague


def test_an_entry_with_votes_cannot_be_removed(cast):
    contest = make_contest(cast.court)
    entry = add_entry(contest, cast.colleague)
    vote_cast(contest=contest, voter=cast.member, entry=entry, now=timezone.now())
    response = cast.client_for("organizer").post(reverse("activities:entry_delete", args=[entry.pk]))
    assert response.status_code == 302
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_criteria_are_edited_as_lines(cast):
    contest = make_contest(cast.court, judging=True)
    url = reverse("activities:contest_criteria", args=[contest.pk])
    client = cast.client_for("organizer")
    assert client.post(url, {"criteria": "内容 40\n表达 ab"}).status_code == 200
    assert client.post(url, {"criteria": "内容 40\n内容 30"}).status_code == 200
    assert client.post(url, {"criteria": "选题：30\n内容 40分\n表达 30"}).status_code == 302
    assert list(contest.criteria.values_list("name", "max_points")) == [("选题", 30), ("内容", 40), ("表达", 30)]
