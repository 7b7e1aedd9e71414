"""Originality check: a reviewer sees at once when a reflection repeats a colleague's or an earlier one."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from activities import originality as engine
from activities.models import OriginalityCheck, OriginalityMatch, Reflection, TextBand, TextSignature
from activities.services.originality import originality_check
from activities.services.reading import reflection_create
from activities.tasks.originality import check_originality_task
from members.models import Member

from ..factories import make_member
from .reading_factories import make_book, make_campaign, make_recommendation

NOW = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)

ORIGINAL = (
    "读完这本书，我对基层社会的差序格局有了新的认识。费孝通先生用朴素的语言描写了乡村里的人情往来，"
    "让我想到自己在民事审判中遇到的邻里纠纷。很多案件表面上是财产之争，背后其实是多年积累的情面问题。"
    "调解时如果只讲法条，当事人往往不服；把道理讲透、把人情讲到，纠纷才能真正化解。"
    "今后我要在办案中多走访、多倾听，让每一份判决既合法又合情。"
)
# A colleague's near-copy: sentences reordered, a few words changed, one sentence of their own.
COPY = (
    "很多案件表面上是财产之争，背后其实是多年积累的情面问题。读完这本书，我对基层社会的差序格局有了新的认识。"
    "调解时如果仅讲法条，当事人往往不服；把道理讲透、把人情讲到，纠纷才能真正化解。"
    "费孝通先生用朴素的语言描写了乡村里的人情往来，让我想到自己在执行工作中遇到的邻里纠纷。"
    "书记员的工作同样需要耐心。"
)
INDEPENDENT = (
    "这次集中学习围绕新修订的行政诉讼法展开。我重点学习了起诉期限和举证责任两部分，"
    "结合去年承办的一起征收补偿案件，对程序审查的要求体会更深。下一步准备整理一份审查要点清单，"
    "供庭里年轻同志参考，也请庭长和同事们批评指正。"
)


def switch_on(court, threshold: int = 25) -> None:
    court.originality_check = True
    court.originality_threshold = threshold
    court.save()


def write(author, body: str, *, book=None, title="读书心得") -> Reflection:
    """Submit a reflection; the check queued after commit runs (tasks run in-process in tests)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return reflection_create(
            author=author, title=title, body=body, now=timezone.now(), book=book or make_book(), submit=True
        )


# --- the engine -------------------------------------------------------------------------------


def test_normalising_folds_widths_and_drops_punctuation_and_quotations():
    norm = engine.normalise("ＡＢＣ１２３，法官。「引用的话」“另一句”《书名》好")
    assert norm.chars == "abc123法官好"
    assert norm.offsets[-1] == len("ＡＢＣ１２３，法官。「引用的话」“另一句”《书名》好") - 1


def test_an_unclosed_quotation_mark_does_not_hide_the_rest_of_the_text():
    text = "“" + "我自己写的话" * 100
    assert len(engine.normalise(text).chars) == 600


def test_near_copies_score_high_and_independent_texts_low():
    a, copy, other = engine.fingerprint(ORIGINAL), engine.fingerprint(COPY), engine.fingerprint(INDEPENDENT)
    assert engine.containment(engine.jaccard(copy.signature, a.signature), copy.size, a.size) > 0.5
    assert engine.containment(engine.jaccard(other.signature, a.signature), other.size, a.size) < 0.1
    assert set(copy.bands) & set(a.bands)
    assert engine.exact_containment(COPY, ORIGINAL) > 0.7
    assert engine.exact_containment(INDEPENDENT, ORIGINAL) < 0.05


def test_passages_are_found_in_both_texts():
    spans = engine.overlapping_passages(COPY, ORIGINAL)
    highlighted = "".join(COPY[s:e] for s, e in spans["text"])
    assert "差序格局" in highlighted and "书记员的工作" not in highlighted
    assert any("差序格局" in ORIGINAL[s:e] for s, e in spans["source"])


def test_signatures_agree_across_processes():
    """The permutations and hashes are fixed: a signature stored years ago compares with one made
    today, by another process with another hash seed."""
    code = "from activities import originality as o; print(o.fingerprint('司法为民，公正司法。').bands[:4])"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(engine.fingerprint("司法为民公正司法").bands[:4])


# --- the check --------------------------------------------------------------------------------


def test_a_copied_reflection_is_flagged_with_its_source(cast):
    switch_on(cast.court)
    original = write(cast.member, ORIGINAL)
    copy = write(cast.colleague, COPY)
    check = OriginalityCheck.objects.get(kind="reflection", object_id=copy.pk)
    assert check.similarity >= 70
    match = check.matches.get()
    assert (match.source.kind, match.source.object_id) == ("reflection", original.pk)
    assert match.spans["text"] and match.spans["source"]
    assert OriginalityCheck.objects.get(kind="reflection", object_id=original.pk).similarity == 0


def test_the_switch_off_means_nothing_is_computed(cast, django_capture_on_commit_callbacks):
    write(cast.member, ORIGINAL)
    write(cast.colleague, COPY)
    assert not TextSignature.objects.exists()
    assert not OriginalityCheck.objects.exists()


def test_a_draft_is_not_checked(cast):
    switch_on(cast.court)
    reflection_create(author=cast.member, title="草稿", body=ORIGINAL, now=NOW, book=make_book())
    assert not TextSignature.objects.exists()


def test_quoting_the_recommended_book_is_not_flagged(cast):
    switch_on(cast.court)
    campaign = make_campaign(cast.court)
    book = make_book("乡土中国")
    recommendation = make_recommendation(campaign, book, cast.leader, text=ORIGINAL[:120])
    # The leader's recommendation is not a reflection; a colleague quotes the book itself.
    write(cast.member, "书中写道：“" + ORIGINAL[120:] + "”我读后深受启发，决心扎根基层。", book=book)
    mine = write(cast.colleague, recommendation.text + "《乡土中国》" + INDEPENDENT, book=book)
    check = OriginalityCheck.objects.get(kind="reflection", object_id=mine.pk)
    assert check.similarity == 0 and not check.matches.exists()


def test_the_check_is_idempotent_and_survives_a_worker_restart(cast):
    switch_on(cast.court)
    write(cast.member, ORIGINAL)
    copy = write(cast.colleague, COPY)
    first = OriginalityCheck.objects.get(object_id=copy.pk, kind="reflection")
    bands = TextBand.objects.count()
    # A worker killed mid-task gets the task again (acks_late): running it twice changes nothing.
    assert check_originality_task.run("reflection", copy.pk) == first.similarity
    assert check_originality_task.run("reflection", copy.pk) == first.similarity
    assert TextBand.objects.count() == bands == 2 * engine.BANDS
    assert OriginalityCheck.objects.count() == 2 and OriginalityMatch.objects.count() == 1
    # A check lost halfway (signature written, result not) is completed by the next run.
    OriginalityCheck.objects.filter(pk=first.pk).delete()
    again = originality_check(kind="reflection", object_id=copy.pk, now=NOW)
    assert again.similarity == first.similarity and again.matches.count() == 1
    assert check_originality_task.acks_late and check_originality_task.reject_on_worker_lost


def test_the_writers_save_does_not_run_the_check_before_commit(cast, django_capture_on_commit_callbacks):
    switch_on(cast.court)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reflection_create(author=cast.member, title="心得", body=ORIGINAL, now=NOW, book=make_book(), submit=True)
    assert not TextSignature.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert TextSignature.objects.count() == 1


@pytest.fixture
def upper_court_copy(cast):
    """A city court organizer's own reflection copies one of court A."""
    switch_on(cast.court)
    switch_on(cast.city)
    original = write(cast.member, ORIGINAL, title="差序格局与调解")
    city_organizer = make_member(cast.city, "孙干事", role=Member.Role.ORGANIZER, username="city_organizer")
    city_writer = make_member(cast.city, "周法官", username="city_writer")
    copy = write(city_writer, COPY)
    return original, copy, city_organizer


# --- what the reviewer sees ----------------------------------------------------------------------


def test_the_organizer_sees_the_source_highlighted_side_by_side(cast):
    switch_on(cast.court)
    original = write(cast.member, ORIGINAL, title="读《乡土中国》有感")
    copy = write(cast.colleague, COPY)
    page = cast.client_for("organizer").get(reverse("activities:reading_reflection_detail", args=[copy.pk]))
    html = page.content.decode()
    assert 'id="originality-summary"' in html and "张明" in html and "读《乡土中国》有感" in html
    match = OriginalityMatch.objects.get()
    compare = reverse("activities:originality_compare", args=["reflection", copy.pk, match.pk])
    assert compare in html
    response = cast.client_for("organizer").get(compare)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<mark>") >= 2 and "差序格局" in body
    assert original.body[:10] in body.replace("<mark>", "").replace("</mark>", "")


def test_the_writer_sees_nothing(cast):
    switch_on(cast.court)
    write(cast.member, ORIGINAL)
    copy = write(cast.colleague, COPY)
    page = cast.client_for("colleague").get(reverse("activities:reading_reflection_detail", args=[copy.pk]))
    assert page.status_code == 200 and b"originality" not in page.content
    match = OriginalityMatch.objects.get()
    compare = reverse("activities:originality_compare", args=["reflection", copy.pk, match.pk])
    assert cast.client_for("colleague").get(compare).status_code == 403
    assert cast.client_for("outsider").get(compare).status_code == 404


def test_another_courts_text_is_counted_never_shown(cast, upper_court_copy):
    original, copy, city_organizer = upper_court_copy
    check = OriginalityCheck.objects.get(kind="reflection", object_id=copy.pk)
    assert check.matches.get().source.object_id == original.pk  # compared with the court below
    client = cast.client_for("organizer")
    client.force_login(city_organizer.user, backend="members.backends.MemberModelBackend")
    html = client.get(reverse("activities:reading_reflection_detail", args=[copy.pk])).content.decode()
    assert 'id="originality-hidden"' in html
    assert "张明" not in html and original.title not in html and "<mark>" not in html
    compare = reverse("activities:originality_compare", args=["reflection", copy.pk, check.matches.get().pk])
    assert client.get(compare).status_code == 404
    # The city court's leader reads the courts below: the same match is named for them.
    html = cast.client_for("city_leader").get(reverse("activities:reading_reflection_detail", args=[copy.pk]))
    assert "张明" in html.content.decode()


def test_the_review_queue_shows_the_similarity_of_each_reflection(cast):
    switch_on(cast.court)
    write(cast.member, ORIGINAL)
    write(cast.colleague, COPY)
    html = cast.client_for("organizer").get(reverse("activities:reading_reflection_review_list")).content.decode()
    assert html.count("originality-badge") == 1


def _many(cast, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        author = make_member(cast.court, f"干警{i}", username=f"writer{i}")
        write(author, COPY + f"第{i}次。" if i % 2 else INDEPENDENT + f"补充{i}。")


@pytest.mark.parametrize("page", ["review_list", "detail"])
def test_review_pages_query_counts_stay_flat(cast, django_assert_max_num_queries, page):
    switch_on(cast.court)
    write(cast.member, ORIGINAL)
    client = cast.client_for("organizer")

    def url():
        if page == "review_list":
            return reverse("activities:reading_reflection_review_list")
        last = Reflection.objects.exclude(author=cast.member).order_by("-pk").first()
        return reverse("activities:reading_reflection_detail", args=[last.pk])

    _many(cast, 3)
    client.get(url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url()).status_code == 200
    _many(cast, 12, start=3)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url()).status_code == 200


def test_the_organizer_turns_the_check_on_with_a_threshold(cast):
    client = cast.client_for("organizer")
    page = client.get(reverse("members:court_originality", args=[cast.court.pk]))
    assert page.status_code == 200 and not cast.court.originality_check
    response = client.post(
        reverse("members:court_originality", args=[cast.court.pk]),
        {"originality_check": "on", "originality_threshold": "40"},
    )
    assert response.status_code == 302
    cast.court.refresh_from_db()
    assert cast.court.originality_check and cast.court.originality_threshold == 40
    bad = client.post(reverse("members:court_originality", args=[cast.court.pk]), {"originality_threshold": "0"})
    assert bad.status_code == 200
    cast.court.refresh_from_db()
    assert cast.court.originality_check  # the invalid form changed nothing


def test_a_session_reflection_and_an_entry_are_checked_too(cast):
    from activities.models import Contest, SessionReflection
    from activities.services.contests.contest import entry_update

    switch_on(cast.court)
    write(cast.member, ORIGINAL)
    contest = Contest.objects.create(court=cast.court, title="书香法院征文", kind=Contest.Kind.ESSAY)
    entry = contest.entries.create(member=cast.colleague, number=1, title="我的征文")
    with TestCase.captureOnCommitCallbacks(execute=True):
        entry_update(actor=cast.colleague, entry=entry, title="我的征文", text=COPY)
    assert OriginalityCheck.objects.get(kind="entry", object_id=entry.pk).similarity >= 70
    reflection = SessionReflection.objects.create(session=_session(cast), author=cast.colleague, text=COPY)
    check = originality_check(kind="session_reflection", object_id=reflection.pk, now=NOW)
    assert check.similarity >= 70 and check.matches.count() == 2  # the reflection and the entry


def _session(cast):
    from .sessions_factories import make_session

    return make_session(cast.court)


def test_the_reviewers_pages_read_in_chinese(cast):
    from tests.test_no_english import ALLOWED, english_in, visible_text

    switch_on(cast.court)
    session_text = _session(cast)
    write(cast.member, ORIGINAL, title="读《乡土中国》有感")
    copy = write(cast.colleague, COPY)
    from activities.models import SessionReflection

    reflection = SessionReflection.objects.create(session=session_text, author=cast.leader, text=COPY)
    originality_check(kind="session_reflection", object_id=reflection.pk, now=NOW)
    match = OriginalityMatch.objects.filter(check_result__object_id=copy.pk).get()
    client = cast.client_for("organizer")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    urls = [
        reverse("activities:reading_reflection_detail", args=[copy.pk]),
        reverse("activities:reading_reflection_review_list"),
        reverse("activities:originality_compare", args=["reflection", copy.pk, match.pk]),
        reverse("activities:sessions_detail", args=[session_text.pk]),
        reverse("members:court_originality", args=[cast.court.pk]),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert "相似度" in html or "原创性检查" in html, url
        assert not english_in(visible_text(html), allowed=ALLOWED | {"organizer", "member", "colleague"}), url
    html = client.get(urls[0]).content.decode()
    # The title is quoted once, so it does not run into the words around it; never doubled.
    assert "相似度 " in html and "与 张明 " in html and "的读书心得“读《乡土中国》有感”相似" in html
    assert "““" not in html
