"""Reading logs: quick from 我的学习, today by default, never in the future, never for someone else,
never more than 16 hours a day; members keep their own logs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ReadingLog

from .reading_factories import make_book, make_campaign, make_log, make_recommendation


@pytest.fixture
def book(cast):
    book = make_book("乡土中国")
    make_log(cast.member, book, day=timezone.localdate() - dt.timedelta(days=3))
    return book


def post_log(client, **data):
    return client.post(reverse("activities:reading_log_create"), data)


def test_my_learning_has_a_quick_log_form_with_my_recent_book_first(cast, book):
    older = make_book("红岩")
    make_log(cast.member, older, day=timezone.localdate() - dt.timedelta(days=10))
    page = cast.client_for("member").get(reverse("my_learning"))
    html = page.content.decode()
    assert 'id="quick-log"' in html
    assert html.index("乡土中国") < html.index("红岩")
    assert f'id="quick-book-{book.pk}" value="{book.pk}" autocomplete="off" checked' in html
    assert 'name="day"' not in html.split('id="quick-log"')[1].split("</form>")[0]  # today, no date to pick


def test_quick_log_is_book_minutes_save(cast, book):
    client = cast.client_for("member")
    response = post_log(client, book=book.pk, minutes="40", next=reverse("my_learning"))
    assert response.status_code == 302 and response.url == reverse("my_learning")
    log = ReadingLog.objects.latest("pk")
    assert (log.member, log.book, log.day, log.minutes, log.pages, log.finished) == (
        cast.member,
        book,
        timezone.localdate(),
        40,
        None,
        False,
    )


def test_pages_and_finished_and_a_note(cast, book):
    post_log(cast.client_for("member"), book=book.pk, pages="35", finished="on", note="读完了《差序格局》")
    log = ReadingLog.objects.latest("pk")
    assert log.pages == 35 and log.minutes is None and log.finished and log.note == "读完了《差序格局》"


def test_a_log_needs_minutes_or_pages(cast, book):
    response = post_log(cast.client_for("member"), book=book.pk)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert ReadingLog.objects.count() == 1


def test_a_future_date_is_refused_and_writes_nothing(cast, book):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = post_log(cast.client_for("member"), book=book.pk, minutes="30", day=tomorrow.isoformat())
    assert response.status_code == 200 and "day" in response.context["form"].errors
    assert ReadingLog.objects.count() == 1


def test_a_past_date_is_fine(cast, book):
    day = timezone.localdate() - dt.timedelta(days=5)
    post_log(cast.client_for("member"), book=book.pk, minutes="30", day=day.isoformat())
    assert ReadingLog.objects.latest("pk").day == day


def test_more_than_16_hours_in_one_day_is_refused_with_a_clear_message(cast, book):
    client = cast.client_for("member")
    today = timezone.localdate()
    assert post_log(client, book=book.pk, minutes="600").status_code == 302
    response = post_log(client, book=book.pk, minutes="361")
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["minutes"])
    assert "961" in message and ("16" in message)
    assert ReadingLog.objects.filter(day=today).count() == 1
    assert post_log(client, book=book.pk, minutes="360").status_code == 302  # exactly 16 hours is allowed
    assert (
        post_log(client, book=book.pk, minutes="961", day=(today - dt.timedelta(days=1)).isoformat()).status_code == 200
    )


def test_the_16_hour_limit_counts_only_the_members_own_logs(cast, book):
    make_log(cast.colleague, book, day=timezone.localdate(), minutes=900)
    assert post_log(cast.client_for("member"), book=book.pk, minutes="120").status_code == 302


def test_editing_a_log_keeps_the_limit_without_counting_itself(cast, book):
    log = make_log(cast.member, book, day=timezone.localdate(), minutes=900)
    url = reverse("activities:reading_log_edit", args=[log.pk])
    client = cast.client_for("member")
    day = timezone.localdate().isoformat()
    assert client.post(url, {"book": book.pk, "day": day, "minutes": "960"}).status_code == 302
    log.refresh_from_db()
    assert log.minutes == 960
    make_log(cast.member, book, day=timezone.localdate() - dt.timedelta(days=1), minutes=10)
    assert client.post(url, {"book": book.pk, "day": day, "minutes": "961"}).status_code == 200


def test_nobody_logs_for_someone_else(cast, book):
    post_log(
        cast.client_for("member"), book=book.pk, minutes="30", member=cast.colleague.pk, member_id=cast.colleague.pk
    )
    assert not ReadingLog.objects.filter(member=cast.colleague).exists()
    assert ReadingLog.objects.filter(member=cast.member).count() == 2


def test_someone_elses_log_by_direct_post_is_a_404_and_unchanged(cast, book):
    log = make_log(cast.member, book, minutes=30)
    for role in ("colleague", "organizer", "leader", "outsider"):
        client = cast.client_for(role)
        edit = client.post(reverse("activities:reading_log_edit", args=[log.pk]), {"book": book.pk, "minutes": "999"})
        delete = client.post(reverse("activities:reading_log_delete", args=[log.pk]))
        assert (edit.status_code, delete.status_code) == (404, 404), role
    log.refresh_from_db()
    assert log.minutes == 30


def test_members_edit_and_delete_their_own_logs(cast, book):
    log = make_log(cast.member, book, minutes=30)
    client = cast.client_for("member")
    client.post(
        reverse("activities:reading_log_edit", args=[log.pk]),
        {"book": book.pk, "day": log.day.isoformat(), "minutes": "45", "finished": "on"},
    )
    log.refresh_from_db()
    assert log.minutes == 45 and log.finished
    assert client.post(reverse("activities:reading_log_delete", args=[log.pk])).status_code == 302
    assert not ReadingLog.objects.filter(pk=log.pk).exists()


def test_a_book_from_the_catalogue_can_be_logged_via_its_page(cast):
    book = make_book("万历十五年")  # never logged, not planned, not recommended
    client = cast.client_for("member")
    form = client.get(reverse("activities:reading_log_create"), {"book": book.pk}).context["form"]
    assert form.initial["book"] == book.pk and book in form.fields["book"].queryset
    assert post_log(client, book=book.pk, minutes="20").status_code == 302


def test_a_nonexistent_book_or_garbage_is_a_form_error_not_a_500(cast, book):
    client = cast.client_for("member")
    for data in ({"book": "999999", "minutes": "10"}, {"book": "abc", "minutes": "x"}, {"minutes": "10"}):
        response = post_log(client, **data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert client.get(reverse("activities:reading_log_create"), {"book": "abc"}).status_code == 200
    assert ReadingLog.objects.count() == 1


def test_recommended_books_of_my_campaigns_are_offered_first_time(cast):
    campaign = make_campaign(cast.court)
    recommended = make_book("红岩")
    make_recommendation(campaign, recommended, cast.leader)
    form = cast.client_for("member").get(reverse("activities:reading_log_create")).context["form"]
    assert list(form.fields["book"].queryset) == [recommended]
    assert cast.client_for("outsider").get(reverse("activities:reading_log_create")).context["has_books"] is False


def test_my_log_list_shows_only_mine(cast, book):
    make_log(cast.colleague, book)
    page = cast.client_for("member").get(reverse("activities:reading_log_list")).context["page"]
    assert {log.member_id for log in page} == {cast.member.pk}


pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_log_without_minutes_or_pages(cast, book):
    from django.db import IntegrityError, transaction

    for minutes, pages in ((None, None), (0, None), (None, 0), (961, None)):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReadingLog.objects.create(
                member=cast.member, book=book, day=timezone.localdate(), minutes=minutes, pages=pages
            )


def test_the_full_form_shows_what_is_wrong_next_to_the_field(cast, book):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = post_log(cast.client_for("member"), book=book.pk, minutes="x", day=tomorrow.isoformat())
    html = response.content.decode()
    assert "is-invalid" in html.split('id="div_id_day"')[1].split("</div>")[0]
    assert 'id="id_minutes_error"' in html and f'value="{tomorrow.isoformat()}"' in html


def test_the_full_form_says_when_neither_minutes_nor_pages_were_given(cast, book):
    html = post_log(cast.client_for("member"), book=book.pk, note="只写了说明").content.decode()
    assert "alert-danger" in html and "只写了说明</textarea>" in html


def test_a_book_logged_from_my_learning_comes_first_on_the_full_form(cast, book):
    client = cast.client_for("member")
    assert client.get(reverse("activities:reading_log_create")).context["form"].initial["book"] == book.pk
    newer = make_book("红岩")
    post_log(client, book=newer.pk, minutes="15")
    form_page = client.get(reverse("activities:reading_log_create"))
    assert form_page.context["form"].initial["book"] == newer.pk
    assert f'<option value="{newer.pk}" selected>' in form_page.content.decode()
