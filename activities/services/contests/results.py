"""A contest's results as a table: the results workbook's columns and the awards page's ranking line.

Only what the contest uses is shown: votes with an audience vote, the judges' mean with judges,
the audience's and judges' points and the mixed final score only when both decide. A unit's entry
is named by its unit (and its contact), a member's by the member and their department.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...models import Contest
from ...selectors.contests import Standing


def _number(value) -> float | None:
    return float(value) if value is not None else None


def results_table(contest: Contest, standings: list[Standing]) -> tuple[list[str], list[list]]:
    """Headers and rows of the results sheet (standings with entry, member, branch and department loaded)."""
    voting, judging = contest.voting_enabled, contest.judging_enabled
    mixed = voting and judging
    if contest.entries_by_unit:
        headers = [_("Rank"), _("Number"), _("Project title"), Contest.UnitKind(contest.unit_kind).label, _("Contact")]
    else:
        headers = [_("Rank"), _("Number"), _("Title"), _("Entrant"), _("Department")]
    headers = [str(h) for h in headers]
    if voting:
        headers.append(_("Votes"))
    if judging:
        headers += [_("Judges' mean"), _("Judges who scored")]
    if mixed:
        headers += [_("Audience points"), _("Judges' points"), _("Final score")]
    rows = []
    for s in standings:
        entry = s.entry
        if entry.by_unit:
            who = [entry.entrant_name, entry.member.name]
        else:
            department = entry.department or entry.member.department
            who = [entry.member.name, department.name if department is not None else ""]
        row = [s.rank, entry.number, entry.title, *who]
        if voting:
            row.append(s.votes)
        if judging:
            row += [_number(s.judge_mean), len(s.judge_totals)]
        if mixed:
            row += [_number(s.audience_points), _number(s.judge_points), _number(s.final)]
        rows.append(row)
    return headers, rows


def ranking_note(contest: Contest, standing: Standing) -> str:
    """The figures after a name in a ranking, from the parts the contest has: "3票 · 评委均分 95.50".
    Empty when there is nothing to say (no votes counted, no judge has scored)."""
    parts = []
    if contest.voting_enabled:
        parts.append(ngettext("%(n)s vote", "%(n)s votes", standing.votes) % {"n": standing.votes})
    if contest.judging_enabled and standing.judge_mean is not None:
        parts.append(_("judges' mean %(score)s") % {"score": standing.judge_mean})
    if contest.voting_enabled and contest.judging_enabled:
        parts.append(_("final %(score)s") % {"score": standing.final})
    return " · ".join(parts)
