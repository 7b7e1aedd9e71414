"""Journeys in a real browser: a 周分享 speech contest with 12 speakers where the audience votes on
their phones and the 论坛之星 is published; a member takes a timed quiz and sees the explanations
once it closes; a quiz hands itself in when the time runs out."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from activities.models import Attempt, Award, Contest, Vote
from tests.activities.contests_helpers import add_entry, make_contest, make_question, make_quiz
from tests.browser.conftest import login, shot
from tests.factories import make_member

SPEECHES = [
    "把每一件小案办成精品",
    "我和我热爱的审判岗位",
    "法槌背后的温度",
    "让胜诉权益不再是一纸空文",
    "立案窗口的一天",
    "书记员的速录人生",
    "行政争议实质化解的探索",
    "守护法庭的安全",
    "青年干警的成长之路",
    "数据里的审判质效",
    "调解桌上的智慧",
    "凌晨五点的执行现场",
]


def accept_dialogs(page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def no_csp_errors(page) -> None:
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors


def logout(page, live_server) -> None:
    page.context.clear_cookies()


def test_audience_votes_on_phones_and_the_forum_star_is_published(
    live_server, cast, password, phone_page, browser_page
):
    contest = make_contest(cast.court, title="“我和我热爱的岗位”周分享演讲比赛", votes_per_voter=1)
    speakers = [make_member(cast.court, f"选手{i:02d}", department=cast.department) for i in range(1, 13)]
    for speaker, title in zip(speakers, SPEECHES, strict=True):
        add_entry(contest, speaker, title)
    voters = [("member", cast.member)] + [
        (f"voter{i}", make_member(cast.court, f"听众{i}", department=cast.department, username=f"voter{i}"))
        for i in range(1, 4)
    ]
    # Three voters choose speech 3, one chooses speech 7.
    choices = [3, 3, 7, 3]
    page = phone_page
    accept_dialogs(page)
    for (username, voter), number in zip(voters, choices, strict=True):
        logout(page, live_server)
        login(page, live_server, username, password)
        page.wait_for_url(f"{live_server.url}/me/")
        if username == "member":
            assert page.locator("#panel-contests").get_by_text(contest.title).is_visible()
            shot(page, "contests-01-my-learning-vote-panel")
        page.goto(f"{live_server.url}{contest.get_absolute_url()}")
        assert page.locator("#entries .list-group-item").count() == 12
        if username == "member":
            shot(page, "contests-02-phone-entries-to-vote")
        entry = page.locator("#entries .list-group-item").nth(number - 1)
        entry.locator(".vote-button").click()
        page.wait_for_url("**/receipts/**")
        code = page.locator("#receipt-code").inner_text().strip()
        assert Vote.objects.get(voter=voter, contest=contest).receipt == code
        if username == "member":
            shot(page, "contests-03-phone-vote-receipt")
            # One vote each: back on the contest page there is nothing left to press.
            page.goto(f"{live_server.url}{contest.get_absolute_url()}")
            assert page.locator(".vote-button").count() == 0
            assert "您的票已投完" in page.locator("#vote-status").inner_text()
            assert code in page.locator("#my-receipts").inner_text()
        no_csp_errors(page)
    assert Vote.objects.filter(contest=contest).count() == 4

    # The organizer closes voting, chooses the forum star and publishes the results.
    desk = browser_page
    accept_dialogs(desk)
    login(desk, live_server, "organizer", password)
    desk.wait_for_url(f"{live_server.url}/manage/")
    desk.goto(f"{live_server.url}{contest.get_absolute_url()}")
    with desk.expect_navigation():  # the POST has been answered and the next page loaded
        desk.get_by_role("button", name="结束投票").click()
    assert "投票已结束" in desk.content()
    desk.goto(f"{live_server.url}/activities/contests/{contest.pk}/awards/")
    form = desk.locator("#ranking-form")
    for name in ("first", "second", "third", "excellence"):
        form.locator(f"input[name={name}]").fill("0")
    form.locator("input[name=forum_star]").check()  # never ticked for the organizer
    with desk.expect_navigation():  # the POST has been answered and the next page loaded
        form.get_by_role("button", name="评定以上奖项").click()
    star = Award.objects.get(contest=contest, kind=Award.Kind.FORUM_STAR)
    assert star.entry.number == 3
    assert "论坛之星" in desk.locator("#awards-given").inner_text()
    shot(desk, "contests-04-organizer-awards")
    desk.goto(f"{live_server.url}{contest.get_absolute_url()}")
    with desk.expect_navigation():  # the POST has been answered and the next page loaded
        desk.locator("#next-phase").click()
    contest.refresh_from_db()
    assert contest.phase == Contest.Phase.PUBLISHED
    no_csp_errors(desk)

    # Every voter's phone now shows the forum star.
    page.goto(f"{live_server.url}{contest.get_absolute_url()}")
    awards = page.locator("#awards-title").locator("xpath=..")
    assert "论坛之星" in awards.inner_text()
    assert speakers[2].name in awards.inner_text()
    assert "结果已公布" in page.locator("#contest-phase").inner_text()
    shot(page, "contests-05-phone-forum-star-published")
    page.goto(f"{live_server.url}/activities/contests/{contest.pk}/results/")
    assert page.locator("#standings tbody tr").count() == 12
    shot(page, "contests-06-phone-results")
    no_csp_errors(page)


def test_member_takes_a_timed_quiz_and_sees_explanations_after_it_closes(live_server, cast, password, phone_page):
    questions = [make_question(cast.court, text=f"第{i}题：下列说法正确的是？", tags=["民法典"]) for i in range(1, 6)]
    quiz = make_quiz(cast.court, questions, title="微测验 第3期", time_limit_minutes=10, shuffle_options=True)
    page = phone_page
    accept_dialogs(page)
    login(page, live_server, "member", password)
    page.wait_for_url(f"{live_server.url}/me/")
    page.locator("#panel-quizzes").get_by_text(quiz.title).click()
    page.locator("#start-quiz").click()
    page.wait_for_url("**/attempts/**")
    assert page.locator(".quiz-question").count() == 5
    timer = page.locator("#countdown").inner_text()
    assert timer.startswith("9:") or timer.startswith("10:"), timer
    # Answer each question with the right option (the options are shuffled; find it by its text).
    for i in range(5):
        page.locator(".quiz-question").nth(i).locator("label", has_text="乙").click()
    page.wait_for_timeout(300)  # autosave requests
    shot(page, "quiz-01-phone-taking-the-quiz")
    page.locator("#submit-attempt").click()
    page.wait_for_url("**/result/")
    attempt = Attempt.objects.get(member=cast.member, quiz=quiz)
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.score == 100
    assert "100" in page.locator("#attempt-score").inner_text()
    assert page.locator("#answers-later").is_visible()
    assert "解析" not in page.locator("main").inner_text().replace("答案与解析将在", "")
    shot(page, "quiz-02-phone-score-before-close")
    # The round closes: the answers and explanations are shown.
    quiz.closes_at = timezone.now() - dt.timedelta(seconds=1)
    quiz.save()
    page.reload()
    assert page.locator(".quiz-review").count() == 5
    assert "解析：见条文。" in page.locator(".explanation").first.inner_text()
    shot(page, "quiz-03-phone-explanations-after-close")
    no_csp_errors(page)


def test_the_quiz_hands_itself_in_when_time_runs_out(live_server, cast, password, phone_page):
    quiz = make_quiz(cast.court, [make_question(cast.court) for _ in range(3)], title="微测验 第4期")
    page = phone_page
    accept_dialogs(page)
    login(page, live_server, "member", password)
    page.wait_for_url(f"{live_server.url}/me/")
    page.goto(f"{live_server.url}{quiz.get_absolute_url()}")
    page.locator("#start-quiz").click()
    page.wait_for_url("**/attempts/**")
    page.locator(".quiz-question").first.locator("label", has_text="乙").click()
    page.wait_for_timeout(500)  # the autosave arrives
    # Bring the server's deadline close, as if the member had been answering for fourteen minutes.
    attempt = Attempt.objects.get(member=cast.member, quiz=quiz)
    attempt.deadline = timezone.now() + dt.timedelta(seconds=5)
    attempt.save()
    page.reload()
    page.wait_for_url("**/result/", timeout=15_000)
    attempt.refresh_from_db()
    assert attempt.status in (Attempt.Status.SUBMITTED, Attempt.Status.EXPIRED)
    assert attempt.correct_count == 1, "the autosaved answer counts"
    shot(page, "quiz-04-phone-handed-in-when-time-ran-out")
    no_csp_errors(page)
