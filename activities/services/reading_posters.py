"""Poster images for book recommendations (荐书台), drawn with Pillow.

Two sizes: 1920×1080 for the lobby LED screen and 1080×1920 for phones. Chinese text is
wrapped per character (Chinese has no spaces), Latin words are kept whole, and closing
punctuation never starts a line (nor opening punctuation ends one). The CJK font comes from
settings.CJK_FONT_PATH / CJK_FONT_INDEX (Debian's fonts-noto-cjk by default).
"""

from __future__ import annotations

import functools
import io
import os
from collections import deque
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps

from courtlearn.text import in_quotes

LANDSCAPE = (1920, 1080)
PORTRAIT = (1080, 1920)
SIZES = {"landscape": LANDSCAPE, "portrait": PORTRAIT}

# 避头尾: characters that may not start a line, and those that may not end one.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉〗｝”’…—·％%,.;:!?)]}>～ー・")
NO_LINE_END = frozenset("（《「『【〔〈〖｛“‘([{<")

PAPER = (247, 241, 228)
RED = (142, 27, 27)
DARK_RED = (110, 18, 18)
GOLD = (233, 196, 120)
INK = (40, 32, 28)
GREY = (110, 100, 92)
WHITE = (255, 255, 255)


class PosterFontMissing(ImproperlyConfigured):
    """The CJK font is not where the settings say: posters cannot be drawn."""


@dataclass(frozen=True)
class PosterContent:
    title: str
    author: str
    text: str
    recommender: str
    recommender_title: str
    court: str
    campaign: str
    cover: bytes | None = None


def font_problem() -> str | None:
    """A sentence saying why the CJK font cannot be used, or None when it can."""
    path, index = settings.CJK_FONT_PATH, settings.CJK_FONT_INDEX
    if not path or not os.path.isfile(path):
        return (
            f"CJK font not found at CJK_FONT_PATH={path!r}: install Debian's fonts-noto-cjk "
            "(apt-get install fonts-noto-cjk) or set CJK_FONT_PATH (and CJK_FONT_INDEX for a .ttc)."
        )
    try:
        _load(path, index, 12)
    except OSError as exc:
        return f"CJK font {path!r} (index {index}) cannot be loaded: {exc}"
    return None


@functools.lru_cache(maxsize=32)
def _load(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index)


def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    problem = font_problem()
    if problem:
        raise PosterFontMissing(problem)
    return _load(settings.CJK_FONT_PATH, settings.CJK_FONT_INDEX, size)


# --- wrapping -------------------------------------------------------------------------------


def _tokens(paragraph: str) -> list[str]:
    """Latin words and numbers stay whole; every other character is its own token."""
    tokens: list[str] = []
    word = ""
    for ch in paragraph:
        if ch.isascii() and ch.isalnum():
            word += ch
            continue
        if word:
            tokens.append(word)
            word = ""
        tokens.append(ch)
    if word:
        tokens.append(word)
    return tokens


def wrap_text(text: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Break text into lines no wider than max_width (a closing mark may hang when it must)."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            if lines and lines[-1] != "":
                lines.append("")
            continue
        line = ""
        pending = deque(_tokens(paragraph))
        while pending:
            token = pending.popleft()
            if not line and token.isspace():
                continue
            if font.getlength(line + token) <= max_width:
                line += token
                continue
            if not line:
                if len(token) > 1:  # a Latin word wider than the line: break it per letter
                    pending.extendleft(reversed(token))
                    continue
                line = token
                continue
            if token[0] in NO_LINE_START:
                # Carry the last character(s) down with the closing mark, unless nothing would remain.
                k = 1
                while k < len(line) and line[-k] in NO_LINE_START:
                    k += 1
                if k >= len(line):
                    line += token  # hang the mark rather than leave it alone at a line start
                    continue
                head, carry = line[:-k], line[-k:]
                while head and head[-1] in NO_LINE_END:
                    head, carry = head[:-1], head[-1] + carry
                if not head:
                    line += token
                    continue
                lines.append(head.rstrip())
                line = carry + token
                continue
            head, carry = line, ""
            while head and head[-1] in NO_LINE_END:
                head, carry = head[:-1], head[-1] + carry
            if not head:
                head, carry = line, ""
            lines.append(head.rstrip())
            line = (carry + token).lstrip()
        if line:
            lines.append(line)
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def _fit(text: str, width: float, height: float, sizes: range, spacing: float = 1.5, max_lines: int | None = None):
    """The largest font size whose wrapped text fits the box; at the smallest, cut with an ellipsis."""
    for size in sizes:
        font = cjk_font(size)
        lines = wrap_text(text, font, width)
        limit = int(height // (size * spacing))
        if max_lines:
            limit = min(limit, max_lines)
        if len(lines) <= limit:
            return font, lines
    lines = lines[: max(limit, 1)]
    last = lines[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1]
    lines[-1] = last + "…"
    return font, lines


def _draw_lines(draw, lines, font, x, y, fill, spacing=1.5, align="left", width=0) -> int:
    step = int(font.size * spacing)
    for line in lines:
        dx = 0
        if align == "center":
            dx = (width - font.getlength(line)) / 2
        elif align == "right":
            dx = width - font.getlength(line)
        draw.text((x + dx, y), line, font=font, fill=fill)
        y += step
    return y


# --- drawing --------------------------------------------------------------------------------


def _cover(content: PosterContent, box: tuple[int, int]) -> Image.Image:
    """The cover fitted in the box, or a plain cover with the title when there is none."""
    if content.cover:
        try:
            with Image.open(io.BytesIO(content.cover)) as image:
                image.load()
                return ImageOps.contain(image.convert("RGB"), box)
        except Exception:  # noqa: BLE001 - a damaged cover must not stop the poster
            pass
    width, height = int(box[1] * 0.7), box[1]
    if width > box[0]:
        width, height = box[0], int(box[0] / 0.7)
    plain = Image.new("RGB", (width, height), (180, 60, 50))
    draw = ImageDraw.Draw(plain)
    draw.rectangle((16, 16, width - 17, height - 17), outline=GOLD, width=3)
    font, lines = _fit(content.title, width - 80, height - 160, range(64, 23, -4), max_lines=6)
    _draw_lines(draw, lines, font, 40, 80, WHITE, align="center", width=width - 80)
    return plain


def _paste_cover(poster: Image.Image, cover: Image.Image, center_x: int, top: int) -> None:
    x = center_x - cover.width // 2
    shadow = Image.new("RGB", (cover.width, cover.height), (60, 10, 10))
    poster.paste(shadow, (x + 14, top + 14))
    poster.paste(cover, (x, top))


def render_poster(content: PosterContent, size: tuple[int, int]) -> bytes:
    """A PNG poster of the given size (LANDSCAPE or PORTRAIT)."""
    if size == LANDSCAPE:
        image = _landscape(content)
    elif size == PORTRAIT:
        image = _portrait(content)
    else:
        raise ValueError(f"unknown poster size {size}")
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()


def _quote(text: str) -> str:
    """One line of recommendation in quotes, once (quotes inside nest as ‘…’); several as written."""
    return "“" + in_quotes(text) + "”" if "\n" not in text.strip() else text.strip()


def _landscape(content: PosterContent) -> Image.Image:
    width, height = LANDSCAPE
    poster = Image.new("RGB", LANDSCAPE, PAPER)
    draw = ImageDraw.Draw(poster)
    draw.rectangle((0, 0, 720, height), fill=RED)
    draw.rectangle((720, 0, 732, height), fill=GOLD)
    label = cjk_font(40)
    draw.text(
        (360 - label.getlength(_("Book recommendations")) / 2, 60), _("Book recommendations"), font=label, fill=GOLD
    )
    _paste_cover(poster, _cover(content, (480, 700)), 360, 170)
    campaign_font = cjk_font(34)
    _draw_lines(draw, wrap_text(content.campaign, campaign_font, 880)[:1], campaign_font, 820, 80, RED)

    title_font, title_lines = _fit(content.title, 1000, 200, range(80, 47, -4), spacing=1.25, max_lines=2)
    y = _draw_lines(draw, title_lines, title_font, 820, 150, INK, spacing=1.25)
    if content.author:
        author_font = cjk_font(38)
        author_line = wrap_text(content.author, author_font, 1000)[:1]
        y = _draw_lines(draw, author_line, author_font, 820, y + 14, GREY)
    y += 24
    draw.rectangle((820, y, 940, y + 6), fill=RED)
    y += 48
    text_bottom = 860
    text_font, text_lines = _fit(_quote(content.text), 1000, text_bottom - y, range(52, 27, -2), spacing=1.6)
    _draw_lines(draw, text_lines, text_font, 820, y, INK, spacing=1.6)

    signature = f"—— {content.recommender}"
    if content.recommender_title:
        signature += f"  {content.recommender_title}"
    sign_font = cjk_font(40)
    sign_line = wrap_text(signature, sign_font, 1000)[:1]
    _draw_lines(draw, sign_line, sign_font, 820, 900, RED, align="right", width=1000)
    footer = cjk_font(28)
    footer_text = f"{content.court} · {content.campaign}"
    _draw_lines(draw, wrap_text(footer_text, footer, 1000)[:1], footer, 820, 1000, GREY)
    return poster


def _portrait(content: PosterContent) -> Image.Image:
    width, height = PORTRAIT
    poster = Image.new("RGB", PORTRAIT, PAPER)
    draw = ImageDraw.Draw(poster)
    draw.rectangle((0, 0, width, 820), fill=RED)
    draw.rectangle((0, 820, width, 832), fill=GOLD)
    label = cjk_font(44)
    draw.text(
        (width / 2 - label.getlength(_("Book recommendations")) / 2, 60),
        _("Book recommendations"),
        font=label,
        fill=GOLD,
    )
    campaign_font = cjk_font(32)
    _draw_lines(
        draw,
        wrap_text(content.campaign, campaign_font, 900)[:1],
        campaign_font,
        90,
        130,
        WHITE,
        align="center",
        width=900,
    )
    _paste_cover(poster, _cover(content, (440, 600)), width // 2, 200)

    title_font, title_lines = _fit(content.title, 920, 180, range(72, 43, -4), spacing=1.25, max_lines=2)
    y = _draw_lines(draw, title_lines, title_font, 80, 880, INK, spacing=1.25, align="center", width=920)
    if content.author:
        author_font = cjk_font(36)
        y = _draw_lines(
            draw,
            wrap_text(content.author, author_font, 920)[:1],
            author_font,
            80,
            y + 10,
            GREY,
            align="center",
            width=920,
        )
    y += 30
    draw.rectangle((width / 2 - 60, y, width / 2 + 60, y + 6), fill=RED)
    y += 50
    text_bottom = 1660
    text_font, text_lines = _fit(_quote(content.text), 920, text_bottom - y, range(50, 27, -2), spacing=1.6)
    _draw_lines(draw, text_lines, text_font, 80, y, INK, spacing=1.6)

    signature = f"—— {content.recommender}"
    if content.recommender_title:
        signature += f"  {content.recommender_title}"
    sign_font = cjk_font(40)
    _draw_lines(draw, wrap_text(signature, sign_font, 920)[:1], sign_font, 80, 1700, RED, align="right", width=920)
    footer = cjk_font(28)
    for i, line in enumerate([content.court, content.campaign]):
        _draw_lines(draw, wrap_text(line, footer, 920)[:1], footer, 80, 1790 + i * 44, GREY, align="center", width=920)
    return poster
