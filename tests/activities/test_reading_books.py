"""The shared book catalogue: ISBNs checked and normalised, one book per ISBN, search, covers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from activities.models import Book, BookCategory
from activities.models.reading import isbn13_with_check, normalize_isbn

from .reading_factories import make_book, png_bytes

# --- ISBN -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7-5147-1060-3", None),  # computed below: an ISBN-10 with its own check digit
        ("978-7-301-13435-1", "9787301134351"),
        ("ISBN 978 7 301 13435 1", "9787301134351"),
        ("0-306-40615-2", "9780306406157"),
        ("0306406152", "9780306406157"),
        ("080442957X", "9780804429573"),
        ("080442957x", "9780804429573"),
        ("979-10-90636-07-1", "9791090636071"),
    ],
)
def test_valid_isbns_are_normalised_to_isbn13(raw, expected):
    if expected is None:
        digits = raw.replace("-", "")[:9]
        check = (11 - sum((10 - i) * int(d) for i, d in enumerate(digits)) % 11) % 11
        raw = digits + ("X" if check == 10 else str(check))
        expected = isbn13_with_check("978" + digits)
    assert normalize_isbn(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["978-7-301-13435-9", "0-306-40615-3", "12345", "97873011343581", "977-7-301-13435-8", "abcdefghij", "X306406152"],
)
def test_bad_isbns_are_refused_with_a_clear_message(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_isbn(raw)
    assert "ISBN" in excinfo.value.messages[0]


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_isbn10_becomes_the_same_book_as_its_isbn13(first9):
    check = (11 - sum((10 - i) * int(d) for i, d in enumerate(first9)) % 11) % 11
    isbn10 = first9 + ("X" if check == 10 else str(check))
    isbn13 = normalize_isbn(isbn10)
    assert isbn13.startswith("978") and len(isbn13) == 13
    assert normalize_isbn(isbn13) == isbn13
    assert normalize_isbn(f"{isbn13[:3]}-{isbn13[3:]}") == isbn13


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(0, 11), st.integers(1, 9))
def test_a_single_wrong_digit_is_caught(first12, position, delta):
    isbn = isbn13_with_check("978" + first12[3:])
    changed = isbn[:position] + str((int(isbn[position]) + delta) % 10) + isbn[position + 1 :]
    with pytest.raises(ValidationError):
        normalize_isbn(changed)


# --- adding books ---------------------------------------------------------------------------


def test_member_adds_a_book_with_an_isbn10_and_it_is_stored_as_isbn13(cast):
    client = cast.client_for("member")
    category = BookCategory.objects.get_or_create(name="文史")[0]
    response = client.post(
        reverse("activities:reading_book_create"),
        {"title": "乡土中国", "author": "费孝通", "isbn": "0-306-40615-2", "category": category.pk, "year": "2012"},
    )
    book = Book.objects.get()
    assert response.status_code == 302 and response.url == book.get_absolute_url()
    assert book.isbn == "9780306406157"
    assert book.added_by == cast.member
    assert book.isbn_display == "978-0-3064-0615-7"


def test_a_bad_isbn_gets_a_clear_error_and_writes_nothing(cast):
    response = cast.client_for("member").post(
        reverse("activities:reading_book_create"), {"title": "乡土中国", "isbn": "978-7-301-13435-9"}
    )
    assert response.status_code == 200
    assert "check digit" in response.content.decode() or "校验" in response.content.decode()
    assert not Book.objects.exists()


def test_one_book_per_isbn(cast):
    existing = make_book("乡土中国", isbn="9780306406157")
    response = cast.client_for("colleague").post(
        reverse("activities:reading_book_create"), {"title": "乡土中国（新版）", "isbn": "0306406152"}
    )
    assert response.status_code == 200
    assert str(existing) in response.content.decode()
    assert Book.objects.count() == 1


def test_books_without_isbn_are_allowed_more_than_once(cast):
    client = cast.client_for("member")
    for _ in range(2):
        client.post(reverse("activities:reading_book_create"), {"title": "院史资料汇编"})
    assert Book.objects.filter(isbn="").count() == 2


def test_a_cover_is_stored_clean_and_a_truncated_cover_writes_nothing(cast):
    client = cast.client_for("member")
    url = reverse("activities:reading_book_create")
    bad = png_bytes()[:120]
    response = client.post(url, {"title": "红岩", "cover": SimpleUploadedFile("cover.png", bad)})
    assert response.status_code == 200 and "cover" in response.context["form"].errors
    assert not Book.objects.exists()
    client.post(url, {"title": "红岩", "cover": SimpleUploadedFile("封面.png", png_bytes())})
    book = Book.objects.get()
    assert book.cover.name.startswith("reading/covers/") and book.cover.name.endswith(".png")
    cover = client.get(reverse("activities:reading_book_cover", args=[book.pk]))
    assert cover.status_code == 200 and cover["Content-Type"] == "image/png"
    assert cover["X-Content-Type-Options"] == "nosniff"


def test_an_html_file_renamed_png_is_refused_as_a_cover(cast):
    response = cast.client_for("member").post(
        reverse("activities:reading_book_create"),
        {"title": "红岩", "cover": SimpleUploadedFile("cover.png", b"<html><script>alert(1)</script></html>")},
    )
    assert response.status_code == 200
    assert not Book.objects.exists()


def test_search_by_title_author_or_isbn(cast):
    xiangtu = make_book("乡土中国", author="费孝通", isbn="9780306406157")
    make_book("红岩", author="罗广斌")
    client = cast.client_for("member")

    def found(q):
        return [b.pk for b in client.get(reverse("activities:reading_book_list"), {"q": q}).context["page"]]

    assert found("乡土") == [xiangtu.pk]
    assert found("费孝通") == [xiangtu.pk]
    assert found("0-306-40615-2") == [xiangtu.pk]
    assert found("978-0-306") == [xiangtu.pk]
    assert found("不存在的书") == []
    assert len(found("")) == 2


def test_whoever_added_a_book_or_an_organizer_may_edit_it(cast):
    book = make_book("乡土中国", added_by=cast.member)
    url = reverse("activities:reading_book_edit", args=[book.pk])
    response = cast.client_for("member").post(url, {"title": "乡土中国（修订本）", "isbn": book.isbn})
    assert response.status_code == 302
    assert cast.client_for("colleague").post(url, {"title": "改坏了"}).status_code == 403
    book.refresh_from_db()
    assert book.title == "乡土中国（修订本）"


def test_category_list_is_seeded_and_editable():
    from activities.services.reading import book_categories_ensure

    book_categories_ensure()
    names = list(BookCategory.objects.values_list("name", flat=True))
    assert names[:3] == ["政治理论", "法律实务", "文史"] and "其他" in names
    BookCategory.objects.create(name="党史", order=1)
    book_categories_ensure()  # twice is fine
    assert BookCategory.objects.filter(name="党史").exists()


pytestmark = pytest.mark.django_db
