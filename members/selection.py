"""Select many people at once: ticked rows, everyone the page's filter shows, or pasted 工号.

An organizer acting on a hundred applicants, group members or attendees should not click a
hundred times. Every page that acts on people puts the same controls inside its form
(templates/includes/select_many.html, static/js/select_many.js) and resolves them here:

    form = SelectManyForm(request.POST)
    selection = select_many(form, candidates=applications, number_path="member__employee_number", court=court)

`candidates` is what the page lists under its current filter; the picked objects come from it
and nothing else, so a tampered pk or a pasted number of someone not in the list picks nobody.
Pasted numbers that match no one are reported back, in two kinds: nobody in the court has the
number, or the person is in the court but not in this list. Two queries, whatever the size.

A list may span courts (a city court's group open to its basic courts: `court` is then those
courts). 工号 are unique only within a court: a pasted number that two listed people of different
courts share picks neither, and the organizer is told to tick the right one (never a guess).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django import forms
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Court, Member

NUMBER_SPLIT = re.compile(r"[\s,，、;；|]+")
MAX_NUMBERS = 2000
MAX_PICKS = 5000


class _PickField(forms.MultipleChoiceField):
    """The ticked rows' pks; which pks count is decided against the candidates, not a choice list."""

    widget = forms.MultipleHiddenInput

    def valid_value(self, value) -> bool:
        return str(value).isdigit() and len(str(value)) < 12

    def to_python(self, value) -> list[int]:
        return [int(v) for v in super().to_python(value) if str(v).isdigit() and len(str(v)) < 12]

    def validate(self, value) -> None:
        if len(value) > MAX_PICKS:
            raise forms.ValidationError(_("Too many rows ticked at once."), code="too_many")


def split_numbers(text: str) -> list[str]:
    """Pasted 工号 from a sheet, a chat or a list: one per line or separated by commas, 、 or spaces.

    Full-width digits (１２３) are read as digits; duplicates count once; the order is kept.
    """
    words = NUMBER_SPLIT.split(unicodedata.normalize("NFKC", text or ""))
    return list(dict.fromkeys(word.strip() for word in words if word.strip()))


class SelectManyForm(forms.Form):
    pick = _PickField(required=False)
    everyone = forms.BooleanField(required=False)
    numbers = forms.CharField(
        required=False,
        max_length=40000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Or paste employee numbers (工号)"),
        help_text=_("One per line, or separated by commas or spaces; copied from a sheet is fine."),
    )

    def clean_numbers(self) -> list[str]:
        numbers = split_numbers(self.cleaned_data.get("numbers", ""))
        if len(numbers) > MAX_NUMBERS:
            raise forms.ValidationError(
                _("At most %(n)s employee numbers at once.") % {"n": MAX_NUMBERS}, code="too_many"
            )
        return numbers

    def chose_someone(self, data: dict) -> bool:
        return bool(data.get("pick") or data.get("everyone") or data.get("numbers"))

    def clean(self):
        data = super().clean()
        if not self.errors and not self.chose_someone(data):
            raise forms.ValidationError(
                _("Choose people first: tick them, tick everyone in the list, or paste their employee numbers."),
                code="empty",
            )
        return data


@dataclass
class Selection:
    chosen: list = field(default_factory=list)
    # Pasted numbers nobody in the court has.
    unknown: list[str] = field(default_factory=list)
    # Pasted numbers of people in the court who are not in this list: (number, name).
    not_listed: list[tuple[str, str]] = field(default_factory=list)
    # Pasted numbers that people of several courts in the list share: (number, ["court name", …]).
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        """What the organizer should read about the pasted numbers, in words."""
        from django.utils.translation import gettext

        lines = []
        if self.unknown:
            lines.append(
                gettext("No one in the court has these employee numbers: %(numbers)s.")
                % {"numbers": "、".join(self.unknown[:50]) + ("…" if len(self.unknown) > 50 else "")}
            )
        if self.not_listed:
            people = [f"{name}({number})" for number, name in self.not_listed[:50]]
            lines.append(
                gettext("Not in this list, so left out: %(people)s.")
                % {"people": "、".join(people) + ("…" if len(self.not_listed) > 50 else "")}
            )
        if self.ambiguous:
            shared = [f"{number}（{'、'.join(owners)}）" for number, owners in self.ambiguous[:50]]
            lines.append(
                gettext(
                    "These employee numbers are used in more than one court, so no one was picked by them; "
                    "tick the right person in the list: %(numbers)s."
                )
                % {"numbers": "、".join(shared) + ("…" if len(self.ambiguous) > 50 else "")}
            )
        return lines


def select_many(
    form: SelectManyForm, *, candidates: QuerySet, number_path: str, court: Court | int | QuerySet
) -> Selection:
    """The candidates the organizer chose (form must be valid), and what their pasted numbers missed.

    `court` is the court whose 工号 the numbers are, or a queryset of courts for a list across courts.
    """
    data = form.cleaned_data
    picks, numbers = data.get("pick") or [], data.get("numbers") or []
    if data.get("everyone"):
        chosen_q = candidates
    else:
        chosen_q = candidates.filter(Q(pk__in=picks) | Q(**{f"{number_path}__in": numbers}))
    across = isinstance(court, QuerySet)
    court_path = number_path.removesuffix("employee_number") + "court__name"
    chosen = list(
        chosen_q.annotate(picked_number=F(number_path), **({"picked_court": F(court_path)} if across else {}))
    )
    selection = Selection(chosen=chosen)
    if across and numbers and not data.get("everyone"):
        # A number shared by listed people of several courts picks none of them: only a tick does.
        owners: dict[str, list] = {}
        for obj in chosen:
            owners.setdefault(obj.picked_number, []).append(obj)
        shared = {number: objs for number, objs in owners.items() if len(objs) > 1 and number in numbers}
        if shared:
            ticked = set(picks)
            dropped = {obj.pk for objs in shared.values() for obj in objs if obj.pk not in ticked}
            selection.chosen = [obj for obj in chosen if obj.pk not in dropped]
            selection.ambiguous = [
                (number, sorted(obj.picked_court for obj in shared[number]))
                for number in numbers
                if number in shared and not any(obj.pk in ticked for obj in shared[number])
            ]
    found = {obj.picked_number for obj in chosen}
    missing = [n for n in numbers if n not in found]
    if missing:
        in_court = {"court__in": court} if across else {"court": court}
        known = dict(
            Member.objects.filter(**in_court, employee_number__in=missing).values_list("employee_number", "name")
        )
        selection.unknown = [n for n in missing if n not in known]
        selection.not_listed = [(n, known[n]) for n in missing if n in known]
    return selection
