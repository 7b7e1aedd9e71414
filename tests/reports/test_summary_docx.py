"""The Word 情况总结 is laid out as GB/T 9704 asks, through named styles, and reads back cleanly."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from reports import facts as facts_module
from reports.exports import docx_response
from reports.models import ReportTemplate
from reports.narrative import DraftUnavailable, draft_from_facts
from reports.periods import Period
from reports.summary_docx import summary_docx

from .facts_samples import COURT, busy_quarter, quiet_quarter

Q2 = Period.from_key("2026-Q2")
HEADINGS = ("Heading 1", "Heading 2")


def read_back(facts) -> Document:
    draft = draft_from_facts(COURT, Q2, facts, ReportTemplate(), today=dt.date(2026, 12, 6))
    buffer = io.BytesIO()
    summary_docx(draft).save(buffer)
    return Document(io.BytesIO(buffer.getvalue()))


@pytest.fixture(scope="module")
def document():
    return read_back(busy_quarter())


def east_asian_font(style) -> str | None:
    fonts = style.element.rPr.rFonts
    return fonts.get(qn("w:eastAsia"))


def test_the_page_is_a4_with_the_standard_margins(document):
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.bottom_margin.mm) == 35
    assert round(section.left_margin.mm) == 28 and round(section.right_margin.mm) == 26


@pytest.mark.parametrize(
    ("style", "font", "size"),
    [
        ("Normal", "仿宋_GB2312", 16),
        ("Title", "方正小标宋简体", 22),
        ("Heading 1", "黑体", 16),
        ("Heading 2", "楷体_GB2312", 16),
        ("Signature", "仿宋_GB2312", 16),
        ("Footer", "宋体", 14),
    ],
)
def test_each_named_style_carries_its_chinese_font_and_size(document, style, font, size):
    named = document.styles[style]
    assert east_asian_font(named) == font
    assert named.font.size == Pt(size)
    assert not named.font.bold
    fonts = named.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would win over the named one


def test_body_and_headings_have_an_exact_line_pitch_and_a_two_character_indent(document):
    for name in ("Normal", "Heading 1", "Heading 2"):
        fmt = document.styles[name].paragraph_format
        assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert abs(fmt.line_spacing.pt - 28.95) < 0.01
        assert fmt.first_line_indent == Pt(32)
    assert document.styles["Title"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_paragraphs_use_the_styles_and_no_direct_fonts(document):
    styles = {p.style.name for p in document.paragraphs}
    assert styles == {"Title", "Normal", "Heading 1", "Heading 2", "Signature"}
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert run.font.name is None and run.font.size is None


def test_the_footer_numbers_pages_with_a_real_page_field(document):
    footer = document.sections[0].footer.paragraphs[0]
    xml = footer._p.xml
    assert 'w:fldCharType="begin"' in xml and "PAGE" in xml and 'w:fldCharType="end"' in xml
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    assert footer.style.name == "Footer" and footer.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_the_court_and_date_close_the_document_right_aligned(document):
    name, date = document.paragraphs[-2], document.paragraphs[-1]
    assert (name.text, date.text) == ("前郭县人民法院", "2026年12月6日")
    for paragraph in (name, date):
        assert paragraph.style.name == "Signature"
        assert paragraph.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert document.styles["Signature"].paragraph_format.right_indent == Pt(64)  # four characters in
    # The name is centred over the date (the date is 6.5 characters wide, the name 7).
    assert name.paragraph_format.right_indent == Pt(3.75 * 16)


def test_the_signature_never_stands_alone_on_the_last_page(document):
    """GB/T 9704: the end of the body goes over to the last page with the name and the date."""
    last_text, name, date = document.paragraphs[-3:]
    assert last_text.style.name == "Normal" and last_text.paragraph_format.keep_with_next
    assert name.style.paragraph_format.keep_with_next  # the name stays with the date
    assert not any(p.paragraph_format.keep_with_next for p in document.paragraphs[1:-3] if p.style.name == "Normal")


def test_every_heading_is_followed_by_text(document):
    paragraphs = document.paragraphs
    headings = [i for i, p in enumerate(paragraphs) if p.style.name in HEADINGS]
    assert len(headings) >= 9
    for index in headings:
        following = paragraphs[index + 1]
        assert following.style.name == "Normal" and following.text.strip(), paragraphs[index].text


def test_the_title_breaks_after_the_period_and_the_build_time_is_a_property_not_text(document):
    title = document.paragraphs[0]
    assert title.style.name == "Title"
    assert title.text == "前郭县人民法院2026年第2季度\n学习活动情况总结"
    assert document.core_properties.comments == "数据生成于2026年7月1日 08:05"
    assert document.core_properties.title == "前郭县人民法院2026年第2季度学习活动情况总结"
    assert all("数据生成于" not in p.text for p in document.paragraphs)


def test_a_quiet_quarter_still_gives_a_clean_document():
    document = read_back(quiet_quarter())
    texts = [p.text for p in document.paragraphs]
    assert texts[1] == "2026年第2季度，前郭县人民法院暂无学习活动记录。"
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["一、存在的不足和下一步工作打算"]


def test_a_period_never_built_raises_a_clear_error_instead_of_an_empty_file(cast, monkeypatch):
    monkeypatch.setattr(facts_module, "facts_for", lambda court, period, *, with_children=False: None)
    with pytest.raises(DraftUnavailable) as error:
        docx_response(cast.court, Q2, ReportTemplate(court=cast.court))
    assert cast.court.name in str(error.value)
