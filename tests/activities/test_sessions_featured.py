"""优秀心得 (内网发布): organizers feature session 感想 as they feature reading reflections, and one
page shows both kinds to the whole court, newest first, with the author, unit and session or book."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from activities.models import Reflection, SessionReflection
from members.models import AuditEvent, Notification
from reports.dashboard import _reflections
from reports.models import ReportTemplate
from reports.narrative import draft_from_facts
from reports.periods import Period
from tests.activities import sessions_factories as sf
from tests.activities.reading_factories import make_reflection
from tests.factories import make_member
from tests.reports.facts_samples import COURT, quiet_quarter

FEATURED = reverse("activities:reading_featured_list")


def posted(cast, *, title: str = "我和我热爱的岗位", author=None, text: str = "听了分享，深受触动。", court=None):
    """A share held two hours ago; the author attended and wrote a 感想."""
    author = author or cast.member
    session = sf.make_session(court or cast.court, start=timezone.now() - dt.timedelta(hours=2), title=title)
    sf.attended(session, author)
    return SessionReflection.objects.create(session=session, author=author, text=text)


def feature(cast, reflection, action: str = "feature", role: str = "organizer"):
    return cast.client_for(role).post(
        reverse("activities:sessions_reflection_feature", args=[reflection.pk]), {"action": action}
    )


def test_organizer_features_a_sessions_reflection_and_colleagues_read_it_on_the_excellent_page(cast):
    reflection = posted(cast)
    session_page = cast.client_for("organizer").get(reflection.session.get_absolute_url()).content.decode()
    assert "评为优秀" in session_page

    response = feature(cast, reflection)
    assert response.status_code == 302 and response["Location"].endswith(f"#reflection-{reflection.pk}")
    reflection.refresh_from_db()
    assert reflection.featured_at is not None and reflection.featured_by == cast.organizer
    assert AuditEvent.objects.filter(action="session.reflection_featured", actor=cast.organizer.user).count() == 1
    notice = Notification.objects.get(recipient=cast.member, kind="session_reflection")
    assert "我和我热爱的岗位" in notice.text and notice.url.endswith(f"#reflection-{reflection.pk}")

    body = cast.client_for("colleague").get(FEATURED).content.decode()
    assert "我和我热爱的岗位" in body and "听了分享，深受触动。" in body
    assert "张明" in body and "民一庭" in body  # the author and their unit
    # The session page marks it for everyone who reads the session.
    assert "featured-badge" in cast.client_for("colleague").get(reflection.session.get_absolute_url()).content.decode()


def test_another_courts_members_never_see_it(cast):
    reflection = posted(cast)
    feature(cast, reflection)
    assert "我和我热爱的岗位" not in cast.client_for("outsider").get(FEATURED).content.decode()
    assert cast.client_for("outsider").get(reflection.session.get_absolute_url()).status_code == 404
    assert feature(cast, reflection, "unfeature", role="outsider").status_code == 404
    # The city's leader reads the courts below, as for reading reflections.
    assert "我和我热爱的岗位" in cast.client_for("city_leader").get(FEATURED).content.decode()
    # And the outsider's own court's featured 感想 stays out of 前郭's page.
    theirs = posted(cast, title="龙山区周分享", author=cast.outsider, court=cast.other_court)
    SessionReflection.objects.filter(pk=theirs.pk).update(featured_at=timezone.now())
    assert "龙山区周分享" not in cast.client_for("member").get(FEATURED).content.decode()
    assert "龙山区周分享" in cast.client_for("outsider").get(FEATURED).content.decode()


def test_unfeaturing_takes_it_off_the_page_and_the_author_may_edit_again(cast):
    reflection = posted(cast)
    feature(cast, reflection)
    # Featured: published as chosen, so the author cannot change it underneath.
    save = reverse("activities:sessions_reflection_save", args=[reflection.session_id])
    assert cast.client_for("member").post(save, {"text": "偷偷改掉"}).status_code == 403
    reflection.refresh_from_db()
    assert reflection.text == "听了分享，深受触动。"
    page = cast.client_for("member").get(reflection.session.get_absolute_url()).content.decode()
    assert 'id="reflection-featured-note"' in page and 'id="reflection-form"' not in page

    assert feature(cast, reflection, "unfeature").status_code == 302
    reflection.refresh_from_db()
    assert reflection.featured_at is None and reflection.featured_by is None
    assert AuditEvent.objects.filter(action="session.reflection_unfeatured").count() == 1
    assert "我和我热爱的岗位" not in cast.client_for("colleague").get(FEATURED).content.decode()
    assert cast.client_for("member").post(save, {"text": "再补充两句"}).status_code == 302
    reflection.refresh_from_db()
    assert reflection.text == "再补充两句"


def test_only_the_courts_organizers_feature_and_nonsense_changes_nothing(cast):
    reflection = posted(cast)
    for role in ("member", "colleague", "leader"):
        assert feature(cast, reflection, role=role).status_code == 403
    assert (
        cast.client_for("anon")
        .post(reverse("activities:sessions_reflection_feature", args=[reflection.pk]), {"action": "feature"})
        .status_code
        == 302
    )  # to the login page
    assert feature(cast, reflection, "promote").status_code == 302  # explained, not featured
    assert feature(cast, reflection, "unfeature").status_code == 302  # not featured: explained
    feature(cast, reflection)
    first = SessionReflection.objects.get().featured_at
    assert feature(cast, reflection).status_code == 302  # twice: still featured once, from the first time
    assert SessionReflection.objects.get().featured_at == first
    assert AuditEvent.objects.filter(action="session.reflection_featured").count() == 1
    missing = reverse("activities:sessions_reflection_feature", args=[999999])
    assert cast.client_for("organizer").post(missing, {"action": "feature"}).status_code == 404
    assert (
        cast.client_for("organizer")
        .get(reverse("activities:sessions_reflection_feature", args=[reflection.pk]))
        .status_code
        == 405
    )


def test_one_page_lists_both_kinds_newest_first(cast):
    now = timezone.now()
    book_piece = make_reflection(cast.colleague, title="读《红岩》有感", status=Reflection.Status.FEATURED)
    Reflection.objects.filter(pk=book_piece.pk).update(featured_at=now - dt.timedelta(days=2))
    older = posted(cast, title="十月第一次周分享")
    newer = posted(cast, title="十月第二次周分享", author=cast.colleague)
    SessionReflection.objects.filter(pk=older.pk).update(featured_at=now - dt.timedelta(days=3))
    SessionReflection.objects.filter(pk=newer.pk).update(featured_at=now - dt.timedelta(days=1))
    body = cast.client_for("member").get(FEATURED).content.decode()
    order = [body.index(t) for t in ("十月第二次周分享", "读《红岩》有感", "十月第一次周分享")]
    assert order == sorted(order)
    # A leader filtering by court gets that court's, and a bad filter is ignored, not a 500.
    assert cast.client_for("city_leader").get(FEATURED, {"court": cast.other_court.pk}).status_code == 200
    assert (
        "读《红岩》有感"
        not in cast.client_for("city_leader").get(FEATURED, {"court": cast.other_court.pk}).content.decode()
    )
    assert cast.client_for("member").get(FEATURED, {"court": "x'--", "page": "abc"}).status_code == 200


def _many_featured(cast, n: int, start: int) -> None:
    for i in range(start, start + n):
        person = make_member(cast.court, f"干警{i}", department=cast.department)
        reflection = posted(cast, title=f"第{i}次周分享", author=person)
        SessionReflection.objects.filter(pk=reflection.pk).update(featured_at=timezone.now())
        piece = make_reflection(person, title=f"心得{i}", status=Reflection.Status.FEATURED)
        Reflection.objects.filter(pk=piece.pk).update(featured_at=timezone.now() - dt.timedelta(days=1))


@pytest.mark.parametrize("size", [2, 12])
def test_the_excellent_page_costs_the_same_queries_whatever_its_length(cast, django_assert_max_num_queries, size):
    _many_featured(cast, size, 0)
    client = cast.client_for("member")
    client.get(FEATURED)  # warm the per-process fragments
    with django_assert_max_num_queries(12):
        body = client.get(FEATURED).content.decode()
    assert body.count("featured-session-reflection") == min(size, 20)


def test_the_report_and_the_dashboard_name_a_session_reflection_by_its_session():
    facts = quiet_quarter()
    facts["reading"]["reflections"]["featured"] = [
        {"title": "我和我热爱的岗位", "author": "张明", "unit": "民一庭", "date": "2026-05-03", "kind": "session"},
        {"title": "读《红岩》有感", "author": "李静", "unit": "民一庭", "date": "2026-05-04", "kind": "reading"},
    ]
    text = draft_from_facts(COURT, Period.from_key("2026-Q2"), facts, ReportTemplate(), today=dt.date(2026, 7, 6)).text
    assert "张明参加“我和我热爱的岗位”的感想" in text and "李静的《读〈红岩〉有感》" in text
    with translation.override("zh-hans"):
        lines = [h.text for h in _reflections(facts)]
    assert lines[0] == "张明（民一庭）参加“我和我热爱的岗位”的感想"


def test_the_pages_of_this_feature_read_in_chinese(cast):
    """The crawler of tests/test_no_english.py opens pages without 感想 or co-hosts: these have both."""
    from tests.test_no_english import ALLOWED, english_in, visible_text

    reflection = posted(cast)
    other = posted(cast, title="第二次周分享", author=cast.colleague)
    feature(cast, reflection)
    session = reflection.session
    session.cohost_branches.set([cast.branch])
    pages = [
        ("organizer", session.get_absolute_url()),
        ("organizer", other.session.get_absolute_url()),
        ("member", session.get_absolute_url()),
        ("organizer", reverse("activities:sessions_edit", args=[session.pk])),
        ("member", FEATURED),
    ]
    for role, url in pages:
        client = cast.client_for(role)
        client.cookies["django_language"] = "zh-hans"
        body = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert english_in(visible_text(body), allowed=ALLOWED) == [], url
        assert "优秀" in body or url.endswith("/edit/"), url
