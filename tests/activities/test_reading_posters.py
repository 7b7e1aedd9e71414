"""Posters: both sizes, Chinese really drawn (not .notdef boxes), wrapping that respects Chinese
punctuation, a clear error without the font, and a render task that is safe to run twice."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw

from activities.models import BookRecommendation
from activities.models.reading import check_cjk_font
from activities.services import reading_posters
from activities.services.reading import recommendation_render_posters
from activities.services.reading_posters import (
    LANDSCAPE,
    NO_LINE_END,
    NO_LINE_START,
    PORTRAIT,
    PosterContent,
    PosterFontMissing,
    cjk_font,
    render_poster,
    wrap_text,
)
from activities.tasks.reading import render_pending_posters_task, render_posters_task

from .reading_factories import make_book, make_campaign, make_recommendation, png_bytes

CONTENT = PosterContent(
    title="习近平新时代中国特色社会主义思想学习纲要",
    author="中共中央宣传部",
    text="读原著、学原文、悟原理，做到学有所获、读有所得、讲有所感。希望全院干警都来读一读！",
    recommender="赵院长",
    recommender_title="党组书记、院长",
    court="前郭县人民法院",
    campaign="点燃读书热情·创建书香法院",
    cover=png_bytes(),
)


def ink(text: str) -> Image.Image:
    """Black text on white, as drawn by the configured CJK font."""
    image = Image.new("L", (400, 120), 255)
    ImageDraw.Draw(image).text((10, 10), text, font=cjk_font(80), fill=0)
    return image


def test_the_cjk_font_draws_real_chinese_glyphs_not_notdef_boxes():
    chinese = ink("书香法院")
    assert ImageChops.invert(chinese).getbbox() is not None  # non-empty ink
    notdef = ink("\ue000\ue001\ue002\ue003")  # private-use code points: the font's .notdef box
    assert ImageChops.difference(chinese, notdef).getbbox() is not None
    # Two different characters look different (each drew its own glyph, not the same box).
    assert ImageChops.difference(ink("书"), ink("法")).getbbox() is not None
    assert ImageChops.difference(ink("书"), ink("\ue000")).getbbox() is not None


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT])
def test_posters_have_both_sizes_and_show_the_text(size):
    data = render_poster(CONTENT, size)
    with Image.open(io.BytesIO(data)) as poster:
        assert poster.format == "PNG"
        assert poster.size == size
        poster = poster.convert("RGB")
    other = render_poster(PosterContent(**{**CONTENT.__dict__, "text": "另一段推荐语，字数不同。"}), size)
    with Image.open(io.BytesIO(other)) as changed:
        assert ImageChops.difference(poster, changed.convert("RGB")).getbbox() is not None
    # The paper area holds dark ink where the Chinese text is drawn.
    paper = poster.crop((820, 150, 1820, 860)) if size == LANDSCAPE else poster.crop((80, 880, 1000, 1660))
    dark = sum(paper.convert("L").histogram()[:100])
    assert dark > 2000


def test_a_poster_without_a_cover_shows_a_plain_cover_with_the_title():
    data = render_poster(PosterContent(**{**CONTENT.__dict__, "cover": None}), LANDSCAPE)
    with Image.open(io.BytesIO(data)) as poster:
        assert poster.size == LANDSCAPE
    broken = render_poster(PosterContent(**{**CONTENT.__dict__, "cover": b"not an image"}), PORTRAIT)
    assert broken.startswith(b"\x89PNG")


def test_wrapping_keeps_closing_punctuation_off_line_starts():
    font = cjk_font(40)
    text = "读原著、学原文、悟原理，做到学有所获、读有所得、讲有所感。“书香致远”，与大家共勉！"
    for width in range(120, 800, 37):
        lines = wrap_text(text, font, width)
        assert "".join(lines) == text
        for line in lines[1:]:
            assert line[0] not in NO_LINE_START, (width, lines)
        for line in lines[:-1]:
            assert line[-1] not in NO_LINE_END, (width, lines)


def test_wrapping_fits_the_width_and_keeps_latin_words_whole():
    font = cjk_font(40)
    lines = wrap_text("学习Python与Django，提升司法信息化水平", font, 300)
    assert all(font.getlength(line) <= 300 + font.getlength("，") for line in lines)
    assert any("Python" in line for line in lines) and any("Django" in line for line in lines)
    assert wrap_text("第一段。\n\n第二段。", font, 1000) == ["第一段。", "", "第二段。"]


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.text(alphabet="读书法院，。、！？”“《》（）学习", min_size=1, max_size=80), st.integers(80, 600))
def test_wrapping_never_loses_text_and_never_starts_a_line_with_a_closing_mark(text, width):
    font = cjk_font(32)
    lines = wrap_text(text, font, width)
    assert "".join(lines) == text.strip()
    for i, line in enumerate(lines):
        if i and line and line[0] in NO_LINE_START:
            # Allowed only when the previous line is nothing but closing marks (nothing to carry).
            assert all(ch in NO_LINE_START for ch in lines[i - 1])


def test_a_missing_font_gives_a_clear_error(settings):
    settings.CJK_FONT_PATH = "/nonexistent/NotoSansCJK-Regular.ttc"
    with pytest.raises(PosterFontMissing) as excinfo:
        render_poster(CONTENT, LANDSCAPE)
    assert "fonts-noto-cjk" in str(excinfo.value) and "CJK_FONT_PATH" in str(excinfo.value)
    warnings = check_cjk_font()
    assert warnings[0].id == "reading.W001" and "CJK_FONT_PATH" in warnings[0].msg


def test_system_check_is_quiet_when_the_font_is_there():
    assert check_cjk_font() == []


# --- the render task ------------------------------------------------------------------------


@pytest.fixture
def recommendation(cast):
    campaign = make_campaign(cast.court)
    return make_recommendation(campaign, make_book(), cast.leader, text="这本书讲透了基层社会。")


def test_render_task_draws_both_posters_and_is_safe_to_run_twice(recommendation):
    assert render_posters_task.delay(recommendation.pk).get() is True
    recommendation.refresh_from_db()
    assert recommendation.posters_ready and recommendation.poster_revision == recommendation.revision
    names = (recommendation.poster_landscape.name, recommendation.poster_portrait.name)
    assert names[0].endswith("-1920x1080.png") and names[1].endswith("-1080x1920.png")
    for field, size in ((recommendation.poster_landscape, LANDSCAPE), (recommendation.poster_portrait, PORTRAIT)):
        with field.open("rb") as handle, Image.open(handle) as image:
            assert image.size == size
    assert render_posters_task.delay(recommendation.pk).get() is False  # nothing to do
    recommendation.refresh_from_db()
    assert (recommendation.poster_landscape.name, recommendation.poster_portrait.name) == names


def test_an_edit_during_drawing_wins_over_the_stale_drawing(recommendation, monkeypatch):
    real = reading_posters.render_poster

    def render_while_someone_edits(content, size):
        BookRecommendation.objects.filter(pk=recommendation.pk).update(revision=recommendation.revision + 1)
        return real(content, size)

    monkeypatch.setattr(reading_posters, "render_poster", render_while_someone_edits)
    assert recommendation_render_posters(recommendation_id=recommendation.pk) is False
    recommendation.refresh_from_db()
    assert not recommendation.posters_ready
    storage = recommendation.poster_landscape.storage
    assert not storage.listdir("reading/posters")[1]  # the stale files were removed
    monkeypatch.setattr(reading_posters, "render_poster", real)
    assert recommendation_render_posters(recommendation_id=recommendation.pk) is True


def test_without_the_font_the_recommendation_shows_why(recommendation, settings, cast):
    settings.CJK_FONT_PATH = "/nonexistent/font.ttc"
    assert recommendation_render_posters(recommendation_id=recommendation.pk) is False
    recommendation.refresh_from_db()
    assert recommendation.poster_status == BookRecommendation.PosterStatus.FAILED
    assert "fonts-noto-cjk" in recommendation.poster_error
    page = cast.client_for("leader").get(recommendation.get_absolute_url()).content.decode()
    assert "fonts-noto-cjk" in page


@pytest.mark.django_db
def test_a_deleted_recommendation_is_skipped():
    assert recommendation_render_posters(recommendation_id=999_999) is False


def test_catch_up_task_draws_posters_whose_task_was_lost(recommendation):
    BookRecommendation.objects.filter(pk=recommendation.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    assert render_pending_posters_task.delay().get() == 1
    assert render_pending_posters_task.delay().get() == 0
    recommendation.refresh_from_db()
    assert recommendation.posters_ready
