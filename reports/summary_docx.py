"""The 情况总结 as a Word file laid out to GB/T 9704-2012, the standard courts' documents follow.

A4 with a 156 × 225 mm text block (top 37, left 28, bottom 35, right 26 mm); the title in 2号
(22 pt) 方正小标宋简体, centred; the body in 3号 (16 pt) 仿宋_GB2312 with a first-line indent of two
characters and an exact line pitch of 28.95 pt (22 lines a page); "一、" headings in 黑体,
"（一）" headings in 楷体_GB2312; page numbers in 4号 (14 pt) as "— 1 —"; the court's name and
the date at the end, right-aligned four characters in.

Everything is carried by named paragraph styles (Normal, Title, Heading 1, Heading 2, Signature,
Footer), so a court's clerk who edits the draft keeps the layout, and the file reads back
cleanly. The fonts are named for East Asian text too (w:eastAsia): python-docx sets only the
Latin name. Courts' Windows and WPS machines have these fonts; elsewhere a substitute is used.
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .narrative import Draft, width

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
BODY_SIZE = 16  # 3号
TITLE_SIZE = 22  # 2号
PAGE_NUMBER_SIZE = 14  # 4号
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines
INDENT = Pt(2 * BODY_SIZE)  # two characters
SIGNATURE_INDENT = Pt(4 * BODY_SIZE)  # 右空四字
EM_DASH = "—"
# Digits and Latin letters in a Western face, as courts' templates do: a number then stays whole
# at a line end ("12|2篇" is what a Chinese face for digits gave in LibreOffice).
LATIN_FONT = "Times New Roman"


def set_fonts(element, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Name the Chinese font (w:eastAsia) and the one for digits and Latin letters on a style's or
    run's rPr, and drop the theme fonts that Word would otherwise prefer to them."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:eastAsia"), east_asian)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)


def _reset(style) -> None:
    """Forget what the default template put on a style (blue colour, borders, theme fonts)."""
    for tag in ("w:pPr", "w:rPr"):
        for child in style.element.findall(qn(tag)):
            style.element.remove(child)


def _paragraph_style(document, name: str, *, font: str, size: float, base=None):
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name != "Normal":
        _reset(style)
        style.base_style = base or styles["Normal"]
    set_fonts(style.element, font)
    style.font.size = Pt(size)
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.first_line_indent = INDENT
    fmt.widow_control = True
    return style


def _styles(document) -> None:
    # Defaults under every style: Chinese body font, no space after paragraphs, Chinese language
    # (so Word applies Chinese line-breaking rules).
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        # Latin runs stay English: marked Chinese, LibreOffice broke numbers across lines.
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")

    normal = _paragraph_style(document, "Normal", font=BODY_FONT, size=BODY_SIZE)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY  # 两端对齐, as official text is set
    title = _paragraph_style(document, "Title", font=TITLE_FONT, size=TITLE_SIZE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.line_spacing = Pt(36)  # a 22 pt title needs more than the body's pitch
    title.paragraph_format.space_after = LINE_PITCH  # one empty line before the text (GB/T 9704)
    title.paragraph_format.keep_with_next = True
    for name, font in (("Heading 1", HEADING1_FONT), ("Heading 2", HEADING2_FONT)):
        heading = _paragraph_style(document, name, font=font, size=BODY_SIZE)
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.keep_together = True
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), "0" if name == "Heading 1" else "1")
        heading.element.get_or_add_pPr().append(outline)
    signature = _paragraph_style(document, "Signature", font=BODY_FONT, size=BODY_SIZE)
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.first_line_indent = Pt(0)
    signature.paragraph_format.right_indent = SIGNATURE_INDENT
    signature.paragraph_format.keep_with_next = True
    footer = _paragraph_style(document, "Footer", font=PAGE_NUMBER_FONT, size=PAGE_NUMBER_SIZE)
    set_fonts(footer.element, PAGE_NUMBER_FONT, PAGE_NUMBER_FONT)  # 4号半角宋体阿拉伯数字
    footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    footer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # The page number sits about 7 mm below the text block.
    section.footer_distance = Mm(22)


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A real Word field (begin, instruction, separate, result, end) that Word and WPS update."""

    def char(kind: str):
        run = paragraph.add_run()
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._r.append(fld)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _page_numbers(document) -> None:
    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.style = document.styles["Footer"]
    paragraph.add_run(f"{EM_DASH} ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(f" {EM_DASH}")


STYLE_OF = {"title": "Title", "h1": "Heading 1", "h2": "Heading 2", "p": "Normal", "signature": "Signature"}


def summary_docx(draft: Draft) -> Document:
    document = Document()
    _styles(document)
    _page(document)
    _page_numbers(document)
    body = document._body
    name, date = draft.signature
    # The name is centred over the date (GB/T 9704: 署名以成文日期为准居中), the date four characters in.
    name_indent = max(0.0, 4 + (width(date) - width(name)) / 2)
    # The default template starts with no paragraph; every block is one styled paragraph.
    previous = None
    for kind, text in draft.blocks():
        if kind == "title" and len(draft.title_lines) > 1:
            paragraph = body.add_paragraph(style=document.styles["Title"])
            for index, line in enumerate(draft.title_lines):
                run = paragraph.add_run(line)
                if index < len(draft.title_lines) - 1:
                    run.add_break()
            continue
        if kind == "signature" and text == name and previous is not None:
            # GB/T 9704: the signature and date never stand alone on the last page; the end of the
            # body goes over with them.
            previous.paragraph_format.keep_with_next = True
        paragraph = body.add_paragraph(text, style=document.styles[STYLE_OF[kind]])
        previous = paragraph
        if kind == "signature" and text == name:
            paragraph.paragraph_format.space_before = Pt(2 * 28.95)  # two empty lines above the name
            paragraph.paragraph_format.right_indent = Pt(name_indent * BODY_SIZE)
    properties = document.core_properties
    properties.title = draft.title
    properties.author = draft.signature[0]
    properties.language = "zh-CN"
    properties.comments = draft.built_at_label
    return document
