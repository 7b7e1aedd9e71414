"""Give one award to many entries at once: the award, and which entries (ticked, all, or pasted numbers).

Kept apart from forms/contests.py: the entries are picked like people are elsewhere
(members/selection.py), but by their entry number, not an employee number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.selection import SelectManyForm

from ..models import Award, Contest
from .contests import award_kinds_for


class AwardManyForm(SelectManyForm):
    """The award (as on the one-award form) and the entries, picked like people on the other pages."""

    kind = forms.ChoiceField(label=_("Award"), choices=Award.Kind.choices)
    custom_name = forms.CharField(
        label=_("Name of the award"), max_length=40, required=False, help_text=_("For other awards only.")
    )

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the awards that fit the contest: no 论坛之星 without an audience vote.
        self.fields["kind"].choices = [("", _("Choose…")), *award_kinds_for(contest)]
        self.fields["numbers"].label = _("Or paste entry numbers")

    def clean(self):
        data = forms.Form.clean(self)
        if data.get("kind") == Award.Kind.CUSTOM and not data.get("custom_name", "").strip():
            self.add_error("custom_name", _("Name the award."))
        if not self.errors and not self.chose_someone(data):
            raise forms.ValidationError(
                _("Choose the entries first: tick them, tick every entry, or paste their numbers."), code="empty"
            )
        return data


@dataclass
class EntrySelection:
    chosen: list = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # pasted numbers no entry of the contest has

    @property
    def problems(self) -> list[str]:
        if not self.unknown:
            return []
        shown = "、".join(self.unknown[:50]) + ("…" if len(self.unknown) > 50 else "")
        return [gettext("No entry of this contest has these numbers: %(numbers)s.") % {"numbers": shown}]


def select_entries(form: AwardManyForm, *, candidates: QuerySet) -> EntrySelection:
    """The entries the organizer chose (form must be valid); one query whatever the number."""
    data = form.cleaned_data
    picks, pasted = data.get("pick") or [], data.get("numbers") or []
    # Entry numbers are small integers: anything else pasted is simply not an entry's number.
    numbers = {int(text) for text in pasted if text.isdigit() and len(text) < 6}
    if data.get("everyone"):
        chosen = list(candidates)
    else:
        chosen = list(candidates.filter(Q(pk__in=picks) | Q(number__in=numbers)))
    found = {str(entry.number) for entry in chosen}
    return EntrySelection(
        chosen=chosen, unknown=[t for t in pasted if (str(int(t)) if t.isdigit() else t) not in found]
    )
