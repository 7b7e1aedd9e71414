"""Awards: given down the ranking, the 论坛之星 to the audience's choice, certificates drawn by a
Celery task after commit, downloads, publication, and awards on the member's profile."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from activities.models import Award, Contest
from activities.services.contests import ActionRefused
from activities.services.contests.awards import (
    CertificateFontMissing,
    award_certificate_render,
    award_create,
    awards_from_standings,
    wrap_cjk,
)
from activities.services.contests.contest import contest_close_voting, contest_set_phase
from activities.services.contests.voting import vote_cast
from members.models import Notification
from tests.activities.contests_helpers import add_entry, give_award, make_contest
from tests.factories import make_member


@pytest.fixture
def speech(cast):
    """Four speakers; the colleague's talk gets three votes, the organizer's two, the leader's one."""
    contest = make_contest(cast.court)
    speakers = [cast.colleague, cast.organizer, cast.leader, make_member(cast.court, "周强")]
    entries = [add_entry(contest, person, f"演讲{i}") for i, person in enumerate(speakers, start=1)]
    now = timezone.now()
    voters = [cast.member] + [make_member(cast.court, f"听众{i}") for i in range(5)]
    for voter, entry in zip(voters, [0, 0, 0, 1, 1, 2], strict=True):
        vote_cast(contest=contest, voter=voter, entry=entries[entry], now=now)
    return contest


def test_forum_star_goes_to_the_most_votes_and_prizes_down_the_ranking(cast, speech):
    given = awards_from_standings(actor=cast.organizer, contest=speech, first=1, second=1, third=1, forum_star=True)
    names = {(a.kind, a.entry.member.name) for a in given}
    assert (Award.Kind.FIRST, "李静") in names
    assert (Award.Kind.SECOND, "王芳") in names
    assert (Award.Kind.THIRD, "赵院长") in names
    assert (Award.Kind.FORUM_STAR, "李静") in names
    with pytest.raises(ActionRefused):
        awards_from_standings(actor=cast.organizer, contest=speech, forum_star=True)


def test_custom_award_needs_a_name_and_is_given_once(cast, speech):
    entry = speech.entries.first()
    with pytest.raises(ActionRefused):
        award_create(actor=cast.organizer, contest=speech, entry=entry, kind=Award.Kind.CUSTOM)
    award_create(actor=cast.organizer, contest=speech, entry=entry, kind=Award.Kind.CUSTOM, custom_name="最佳台风奖")
    with pytest.raises(ActionRefused):
        award_create(
            actor=cast.organizer, contest=speech, entry=entry, kind=Award.Kind.CUSTOM, custom_name="最佳台风奖"
        )


def test_the_certificate_is_drawn_after_commit_by_the_task(cast, speech, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        award = award_create(
            actor=cast.organizer, contest=speech, entry=speech.entries.first(), kind=Award.Kind.FORUM_STAR
        )
        award.refresh_from_db()
        assert not award.certificate  # nothing drawn inside the transaction
    assert len(callbacks) == 1
    award.refresh_from_db()
    assert award.certificate and award.certificate_rendered_at
    with award.certificate.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as image:
        assert image.size == (2000, 1414)


def test_drawing_twice_replaces_the_certificate(cast, speech):
    award = give_award(speech, speech.entries.first())
    first = award_certificate_render(award_id=award.pk)
    first_name = first.certificate.name
    second = award_certificate_render(award_id=award.pk)
    assert second.certificate.name == first_name or not first.certificate.storage.exists(first_name)
    assert award_certificate_render(award_id=999999) is None


def test_a_missing_font_is_a_clear_error(cast, speech, settings):
    settings.CJK_FONT_PATH = "/nonexistent/NotoSansCJK.ttc"
    award = give_award(speech, speech.entries.first())
    with pytest.raises(CertificateFontMissing, match="fonts-noto-cjk"):
        award_certificate_render(award_id=award.pk)


def test_chinese_lines_never_start_with_closing_punctuation():
    class Font:
        def getlength(self, text):
            return len(text) * 10

    lines = wrap_cjk("在演讲比赛中荣获一等奖。特发此证", Font(), 100)
    assert all(line and line[0] not in "，。、" for line in lines)
    assert "".join(lines) == "在演讲比赛中荣获一等奖。特发此证"


def test_winner_downloads_the_certificate_as_png_and_pdf(cast, speech):
    award = give_award(speech, speech.entries.get(member=cast.colleague))
    speech.phase = Contest.Phase.PUBLISHED
    speech.save()
    url = reverse("activities:award_certificate", args=[award.pk])
    client = cast.client_for("colleague")
    png = client.get(url)  # drawn on demand when the worker has not done it yet
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert b"".join(png.streaming_content).startswith(b"\x89PNG")
    pdf = client.get(url + "?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert cast.client_for("member").get(url).status_code == 403


def test_publishing_waits_for_voting_to_close_and_notifies_winners(cast, speech):
    award = give_award(speech, speech.entries.get(member=cast.colleague))
    now = timezone.now()
    with pytest.raises(ActionRefused):
        contest_set_phase(actor=cast.organizer, contest=speech, phase=Contest.Phase.PUBLISHED, now=now)
    contest_close_voting(actor=cast.organizer, contest=speech, now=now)
    contest_set_phase(actor=cast.organizer, contest=speech, phase=Contest.Phase.PUBLISHED, now=now)
    speech.refresh_from_db()
    assert speech.phase == Contest.Phase.PUBLISHED and speech.published_at == now
    assert Notification.objects.filter(recipient=cast.colleague, dedupe_key=f"award:{award.pk}").exists()


def test_awards_show_on_the_profile_once_published(cast, speech):
    give_award(speech, speech.entries.get(member=cast.colleague), Award.Kind.FORUM_STAR)
    profile = reverse("members:member_detail", args=[cast.colleague.pk])
    assert speech.title not in cast.client_for("member").get(profile).content.decode()
    speech.phase = Contest.Phase.PUBLISHED
    speech.save()
    page = cast.client_for("member").get(profile).content.decode()
    assert speech.title in page
    assert reverse("activities:award_certificate", args=[Award.objects.get().pk]) not in page  # not theirs
    own = cast.client_for("colleague").get(profile).content.decode()
    assert reverse("activities:award_certificate", args=[Award.objects.get().pk]) in own


def test_awards_are_hidden_from_members_until_published(cast, speech):
    give_award(speech, speech.entries.get(member=cast.colleague))
    page = cast.client_for("member").get(speech.get_absolute_url()).content.decode()
    assert 'id="awards-title"' not in page
    page = cast.client_for("organizer").get(speech.get_absolute_url()).content.decode()
    assert 'id="awards-title"' in page
