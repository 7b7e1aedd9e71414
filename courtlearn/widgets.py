"""Time inputs that show 24-hour times (08:30, 14:00) on every browser.

A browser draws `<input type="time">` and `type="datetime-local"` in the operating system's
locale: "08:30 AM" on an English Windows, "上午08:30" on a Chinese one. Courts write times as
08:30 and 14:30, so these widgets are text boxes that show HH:MM and read what people type:
08:30, 8:30, 8：30 (a Chinese IME's colon), 8.30, 0830 or 830 (a phone's number pad), 14 (14:00).
Plain `forms.TimeField` and `forms.DateTimeField` then parse the result.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django import forms
from django.utils import timezone

TIME_PATTERN = re.compile(r"^(\d{1,2})(?::(\d{2}))?(?::\d{2})?$")
DIGITS_ONLY = re.compile(r"^(\d{1,2})(\d{2})$")
# How DateTime24Widget passes on a date without a time (or the reverse): no date-time format reads
# it, so the field refuses it, and decompress() splits it back into the two halves as typed.
HALF_SEPARATOR, HALF_MARK = "T", "?"


def normalize_time_text(text: str) -> str:
    """What someone typed for a time of day, as HH:MM when it reads as one; else as typed, so that
    the field says it is not a valid time."""
    raw = unicodedata.normalize("NFKC", text or "").strip()  # full-width digits and colon
    value = raw.replace(".", ":").replace(" ", "")
    if match := DIGITS_ONLY.match(value):
        value = f"{match.group(1)}:{match.group(2)}"
    match = TIME_PATTERN.match(value)
    if not match:
        return raw
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return raw
    return f"{hour:02d}:{minute:02d}"


class Time24Input(forms.TimeInput):
    """A time of day as HH:MM in a text box (see the module's docstring)."""

    input_type = "text"

    def __init__(self, attrs: dict | None = None):
        defaults = {
            "inputmode": "decimal",  # a phone's number pad with a separator ("." is read as ":")
            "placeholder": "08:30",
            "size": 6,
            "maxlength": 8,
            "autocomplete": "off",
            "class": "time-24",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%H:%M")

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return normalize_time_text(value) if isinstance(value, str) else value


class DateTime24Widget(forms.MultiWidget):
    """A date picker and a 24-hour time box for one `forms.DateTimeField` (instead of
    `type="datetime-local"`, which a browser may show as 08:30 AM). The two parts reach the
    field as one "YYYY-MM-DD HH:MM" string; a part left empty makes it invalid rather than midnight."""

    def __init__(self, attrs: dict | None = None):
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "time": Time24Input(),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return [value.date(), value.time().replace(second=0, microsecond=0)]
        if isinstance(value, str) and value.endswith(HALF_MARK):  # half a date-time, shown again as typed
            day, _sep, time = value.removesuffix(HALF_MARK).partition(HALF_SEPARATOR)
            return [day, time]
        if isinstance(value, str) and value.strip():  # a submitted value shown again with its errors
            day, _sep, time = value.strip().replace("T", " ").partition(" ")
            return [day, time]
        return [None, None]

    def value_from_datadict(self, data, files, name):
        day, time = super().value_from_datadict(data, files, name)
        day, time = (day or "").strip(), (time or "").strip()
        if not day and not time:
            return ""
        if not day or not time:
            return f"{day}{HALF_SEPARATOR}{time}{HALF_MARK}"  # not a date-time: the field says so
        return f"{day} {time}"
