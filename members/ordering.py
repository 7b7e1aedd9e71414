"""The order people expect for a court's units: 第一, 第二 … 第十, 第十一, then the others by name.

Sorting names as strings puts 第七 before 第三 before 第二 (by the characters' code points) and
第10 before 第2. A unit's `sort_key` spells every number in its name as fixed-width digits, so
plain string order (in Python and in the database, where the key is stored) is the natural one.
Names that begin with a number (第一党支部, 第3党小组, 一支部) come first, in the number's order;
the others (机关党支部, 离退休党支部) follow by name, where numbers inside (民一庭, 民二庭) also
count as numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
# 两 only counts inside a number (二百两… never starts one: 两学一做 is not a number).
_NUMBER = re.compile(r"\d+|[零〇一二三四五六七八九十百千][零〇一二两三四五六七八九十百千]*")
_LEADING = re.compile(r"^第?\s*(?:\d|[零〇一二三四五六七八九十百千])")
WIDTH = 9  # digits per number in a key: numbers up to 999 999 999
KEY_LENGTH = 300  # the stored key's column width


def chinese_number(text: str) -> int:
    """The value of a run of Chinese numerals: 十一 → 11, 二十一 → 21, 一百零五 → 105, 二〇二六 → 2026."""
    if not any(ch in _UNITS for ch in text):  # digit by digit: 二〇二六
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, digit = 0, None
    for ch in text:
        if ch in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:
            digit = _DIGITS[ch] if digit is None or digit == 0 else digit * 10 + _DIGITS[ch]
    return total + (digit or 0)


def _number(match: re.Match) -> str:
    text = match.group()
    value = int(text) if text[0].isdigit() else chinese_number(text)
    return str(value).zfill(WIDTH)


def unit_sort_key(name: str) -> str:
    """A string whose order is the natural order of unit names (see the module's docstring)."""
    name = " ".join((name or "").split())
    group = "0" if _LEADING.match(name) else "1"
    return (group + _NUMBER.sub(_number, name))[:KEY_LENGTH]


def sort_units[T](items: Iterable[T], name: Callable[[T], str] = lambda item: item.name) -> list[T]:
    """`items` in natural order of their names; ties keep the order they came in."""
    return sorted(items, key=lambda item: unit_sort_key(name(item)))


def department_sort_key(position: int | None, name: str) -> tuple:
    """Departments in the court's own order (`Department.position`), the rest after them in
    natural order of names; matches Department's Meta.ordering."""
    return (position is None, position or 0, unit_sort_key(name), name)
