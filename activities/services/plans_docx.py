"""The compilation (成果汇编) as a Word document: title page, table of contents, then each
output with its authors, details and text (or abstract).

Page numbers depend on the layout, which only the word processor knows: each contents line
ends in a PAGEREF field pointing at a bookmark on its output's heading, and the document asks
to have its fields updated when it is opened (Word asks the reader once; LibreOffice and WPS
update them as they lay the document out).

python-docx sets only the Latin font with `font.name`; Chinese text needs the eastAsia font
set on every run (and on the styles), or Word falls back to a Japanese or default font.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from ..models.plans import PLAN_TZ, Compilation, ResearchOutput, month_label

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
# Without an abstract, the abstracts-only edition shows the text's beginning.
ABSTRACT_FALLBACK = 300


def set_run_font(run, *, east_asia: str = BODY_FONT, size: float | None = None, bold: bool | None = None) -> None:
    run.font.name = LATIN_FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), east_asia)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def _style_fonts(document) -> None:
    for name, east_asia, size in (
        ("Normal", BODY_FONT, 12),
        ("Title", HEADING_FONT, 26),
        ("Heading 1", HEADING_FONT, 16),
        ("Heading 2", HEADING_FONT, 14),
    ):
        style = document.styles[name]
        style.font.name = LATIN_FONT
        style.font.size = Pt(size)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)


def _paragraph(
    document, text: str, *, style: str | None = None, east_asia: str = BODY_FONT, size=None, bold=None, align=None
):
    paragraph = document.add_paragraph(style=style)
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    set_run_font(run, east_asia=east_asia, size=size, bold=bold)
    return paragraph


def _heading(document, text: str, level: int):
    paragraph = document.add_heading(level=level)
    run = paragraph.add_run(text)
    set_run_font(run, east_asia=HEADING_FONT)
    return paragraph


def _bookmark_name(number: int) -> str:
    return f"_Output{number}"  # a leading underscore: hidden from Word's list of bookmarks


def _add_bookmark(paragraph, number: int) -> None:
    """Mark the whole paragraph (an output's heading) as the bookmark its contents line points at."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), _bookmark_name(number))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    properties = paragraph._p.pPr
    if properties is not None:
        properties.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def _add_page_ref(paragraph, number: int) -> None:
    """A tab with a dotted leader, then the page of the output's heading (a PAGEREF field)."""
    paragraph.add_run().add_tab()
    for kind, text in (
        ("begin", None),
        (None, f" PAGEREF {_bookmark_name(number)} \\h "),
        ("separate", None),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind is None:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            field_char = OxmlElement("w:fldChar")
            field_char.set(qn("w:fldCharType"), kind)
            if kind == "begin":
                field_char.set(qn("w:dirty"), "true")  # computed on opening, never shown stale
            run._r.append(field_char)


def _ask_to_update_fields(document) -> None:
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


def _details(output: ResearchOutput) -> str:
    parts = [output.get_kind_display(), f"{output.date:%Y-%m-%d}"]
    if output.outlet:
        parts.append(_("Outlet: %(outlet)s") % {"outlet": output.outlet})
    if output.level:
        parts.append(output.get_level_display())
    if output.recognition:
        recognition = output.get_recognition_display()
        parts.append(f"{recognition}({output.recognition_note})" if output.recognition_note else recognition)
    return " · ".join(parts)


def compilation_document(
    compilation: Compilation,
    outputs: Sequence[ResearchOutput],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    document = Document()
    _style_fonts(document)
    total = len(outputs)

    # Title page.
    for _i in range(6):
        document.add_paragraph()
    _paragraph(document, compilation.title, style="Title", east_asia=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    if compilation.compiled_by:
        _paragraph(document, compilation.compiled_by, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, compilation.court.name, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    now = timezone.now().astimezone(PLAN_TZ)
    _paragraph(document, month_label(now.year, now.month), size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, _("%(n)s outputs") % {"n": total}, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)

    # Table of contents: the outputs in the organizer's order, with authors.
    document.add_page_break()
    _heading(document, _("Contents"), 1)
    section = document.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    for number, output in enumerate(outputs, start=1):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        set_run_font(paragraph.add_run(f"{number}. {output.title}"))
        names = output.author_names
        if names:
            set_run_font(paragraph.add_run(f"　{names}"), size=10)
        _add_page_ref(paragraph, number)
    _ask_to_update_fields(document)

    if compilation.preface:
        document.add_page_break()
        _heading(document, _("Preface"), 1)
        for line in compilation.preface.splitlines():
            if line.strip():
                _paragraph(document, line.strip())

    full_text = compilation.content == Compilation.Content.FULL_TEXT
    for number, output in enumerate(outputs, start=1):
        document.add_page_break()
        _add_bookmark(_heading(document, f"{number}. {output.title}", 1), number)
        if output.author_names:
            _paragraph(document, output.author_names, east_asia="楷体", align=WD_ALIGN_PARAGRAPH.CENTER)
        _paragraph(document, _details(output), size=10, align=WD_ALIGN_PARAGRAPH.CENTER)
        if full_text and output.body:
            abstract = output.abstract
        else:
            abstract = output.abstract or (output.body[:ABSTRACT_FALLBACK] + "……" if output.body else "")
        if abstract:
            paragraph = document.add_paragraph()
            set_run_font(paragraph.add_run(_("Abstract: ")), east_asia=HEADING_FONT, bold=True)
            set_run_font(paragraph.add_run(abstract))
        if full_text and output.body:
            for line in output.body.splitlines():
                if line.strip():
                    paragraph = _paragraph(document, line.strip())
                    paragraph.paragraph_format.first_line_indent = Pt(24)
        if progress is not None:
            progress(number, total)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
