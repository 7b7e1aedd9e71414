"""The family sheets of the period workbook: what happened in the court, by name, from the facts.

A leader who opens the workbook should find what the 情况总结 says, row by row: which campaign,
which sessions with whom, who won what for which unit. One sheet per family, always present, so
the workbook has the same sheets every period: a family with nothing this period says so in one
line, and a period never built says that instead (never a sheet of zeros). Read with the courts
below (scope=tree), every row starts with the court it belongs to. Numbers are stored as numbers
(rates too: 93.5, not "93.5%") so a court can add them up; text goes through courtlearn.xlsx, so
a title typed as "=…" stays text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import pgettext
from openpyxl import Workbook

from activities.models import Assessment, Compilation, Speaker
from courtlearn import xlsx

HEADER_FILL = "DDEBF7"
LIST_JOIN = "、"


def nothing_line() -> str:
    return pgettext("workbook", "Nothing recorded in this period.")


def not_built_line() -> str:
    return pgettext("workbook", "The figures of this period have not been built yet.")


@dataclass(frozen=True)
class Scope:
    """Whose rows these are: one court, or a court with the courts below it (tree)."""

    court: str
    tree: bool = False

    @property
    def total(self) -> str:
        """The name for figures merged over the whole tree."""
        if self.tree:
            return pgettext("workbook", "%(court)s and the courts below") % {"court": self.court}
        return self.court

    def of(self, item: object) -> str:
        """The court of a row: the item's own when merged from the courts below."""
        court = item.get("court") if isinstance(item, dict) else None
        if isinstance(court, dict):
            court = court.get("name")
        return str(court) if court else self.total


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[str, list]] = field(default_factory=list)  # (court, cells)
    caption: str = ""

    def add(self, court: str, cells: list) -> None:
        self.rows.append((court, cells))


def write_family(book: Workbook, title: str, tables: list[Table] | None, scope: Scope) -> None:
    """One family's sheet; tables None means the period was never built, [] that nothing happened."""
    sheet = xlsx.add_sheet(book, title, freeze=None)
    shown = [table for table in tables or [] if table.rows]
    if tables is None:
        xlsx.append_row(sheet, [not_built_line()])
    elif not shown:
        xlsx.append_row(sheet, [nothing_line()])
    for index, table in enumerate(shown):
        if index:
            xlsx.append_row(sheet, [])
        if table.caption:
            xlsx.append_row(sheet, [table.caption], bold=True)
        court_column = [pgettext("workbook", "Court")] if scope.tree else []
        header = xlsx.append_row(sheet, court_column + table.headers, bold=True, fill=HEADER_FILL)
        if index == 0:
            sheet.freeze_panes = f"A{header + 1}"
        for court, cells in table.rows:
            xlsx.append_row(sheet, ([court] if scope.tree else []) + cells)
    xlsx.fit_columns(sheet)


# --- small readers: the facts are JSON, so dates are ISO text and anything may be missing -----


def day(value: object) -> dt.date | str | None:
    """An ISO date as a date (so Excel sorts and formats it), anything else as it was."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)


def joined(values: object) -> str:
    return LIST_JOIN.join(str(v) for v in values or [] if v)


def percent(part: object, whole: object) -> float | None:
    if not isinstance(part, (int, float)) or not isinstance(whole, (int, float)) or whole <= 0:
        return None
    return round(part * 100 / whole, 1)


def label(choices, value: object) -> str:
    """The display label of a stored choice (Speaker.Role, Assessment.Kind…); unknown values as written."""
    return str(dict(choices.choices).get(value, value or ""))


def counts_table(scope: Scope, pairs: list[tuple[str, object]]) -> Table:
    table = Table([pgettext("workbook", "Item"), pgettext("workbook", "Number")])
    for name, value in pairs:
        table.add(scope.total, [name, value])
    return table


# --- the families ----------------------------------------------------------------------------


def reading_tables(facts: dict, scope: Scope) -> list[Table]:
    reading = facts.get("reading") or {}
    recommendations = reading.get("recommendations") or {}
    plans = reading.get("plans") or {}
    reflections = reading.get("reflections") or {}
    campaigns = reading.get("campaigns") or []
    donations = reading.get("donations") or []
    featured = reflections.get("featured") or []
    if not (
        campaigns
        or recommendations.get("count")
        or plans.get("members")
        or reading.get("logs")
        or reflections.get("submitted")
        or featured
        or donations
    ):
        return []
    tables = [
        counts_table(
            scope,
            [
                (pgettext("workbook", "Recommendations"), recommendations.get("count")),
                (pgettext("workbook", "Recommenders"), recommendations.get("recommenders")),
                (pgettext("workbook", "of them court leaders"), recommendations.get("leaders")),
                (pgettext("workbook", "Members with a reading plan"), plans.get("members")),
                (pgettext("workbook", "Books in reading plans"), plans.get("books")),
                (pgettext("workbook", "Reading logs"), reading.get("logs")),
                (pgettext("workbook", "Members who read"), reading.get("readers")),
                (pgettext("workbook", "Books finished"), reading.get("books_finished")),
                (pgettext("workbook", "Reflections submitted"), reflections.get("submitted")),
                (pgettext("workbook", "Reflection authors"), reflections.get("authors")),
                (pgettext("workbook", "Reflections featured"), len(featured)),
                (pgettext("workbook", "Books donated (copies)"), reading.get("donated_copies")),
            ],
        )
    ]
    table = Table(
        [
            pgettext("workbook", "Campaign"),
            pgettext("workbook", "Starts"),
            pgettext("workbook", "Ends"),
            pgettext("workbook", "Plan document"),
            pgettext("workbook", "Initiative letter"),
            pgettext("workbook", "Books per member (goal)"),
        ],
        caption=pgettext("workbook", "Campaigns"),
    )
    for campaign in campaigns:
        table.add(
            scope.of(campaign),
            [
                campaign.get("title"),
                day(campaign.get("starts_on")),
                day(campaign.get("ends_on")),
                campaign.get("plan_document"),
                pgettext("workbook", "yes") if campaign.get("initiative_letter") else pgettext("workbook", "no"),
                campaign.get("goal_books"),
            ],
        )
    tables.append(table)
    people = recommendations.get("people") or []
    # The books each person recommended, when the facts name them (an optional key, "books").
    with_books = any(person.get("books") for person in people)
    headers = [pgettext("workbook", "Recommender"), pgettext("workbook", "Position")]
    table = Table(
        headers + ([pgettext("workbook", "Books recommended")] if with_books else []),
        caption=pgettext("workbook", "Book recommendations"),
    )
    for person in people:
        cells = [person.get("name"), person.get("title")]
        table.add(scope.of(person), cells + ([joined(person.get("books"))] if with_books else []))
    tables.append(table)
    if not with_books:
        table = Table([pgettext("workbook", "Book")], caption=pgettext("workbook", "Books recommended"))
        for book in recommendations.get("books") or []:
            table.add(scope.of(book), [book])
        tables.append(table)
    table = Table(
        [
            pgettext("workbook", "Recipient"),
            pgettext("workbook", "Date"),
            pgettext("workbook", "Titles"),
            pgettext("workbook", "Copies"),
        ],
        caption=pgettext("workbook", "Book donations"),
    )
    for donation in donations:
        table.add(
            scope.of(donation),
            [
                donation.get("partner"),
                day(donation.get("date")),
                joined(donation.get("titles")),
                donation.get("copies"),
            ],
        )
    tables.append(table)
    table = Table(
        [
            pgettext("workbook", "Title"),
            pgettext("workbook", "Author"),
            pgettext("workbook", "Unit"),
            pgettext("workbook", "Date"),
            pgettext("workbook", "Kind"),
        ],
        caption=pgettext("workbook", "Featured reflections"),
    )
    kinds = {
        "reading": pgettext("workbook", "reading reflection"),
        "session": pgettext("workbook", "session reflection"),
    }
    for item in featured:
        table.add(
            scope.of(item),
            [
                item.get("title"),
                item.get("author"),
                item.get("unit"),
                day(item.get("date")),
                kinds.get(item.get("kind"), item.get("kind")),
            ],
        )
    tables.append(table)
    return tables


def speakers_text(speakers: list) -> str:
    names = []
    for speaker in speakers or []:
        role = label(Speaker.Role, speaker.get("role"))
        if speaker.get("guest"):
            role = f"{role}，{pgettext('workbook', 'guest')}" if role else pgettext("workbook", "guest")
        names.append(f"{speaker.get('name', '')}（{role}）" if role else str(speaker.get("name", "")))
    return LIST_JOIN.join(names)


def sessions_tables(facts: dict, scope: Scope) -> list[Table]:
    sessions = facts.get("sessions") or {}
    events = sessions.get("events") or []
    if not (sessions.get("held") or events):
        return []
    speakers = sessions.get("speakers") or {}
    tables = [
        counts_table(
            scope,
            [
                (pgettext("workbook", "Sessions held"), sessions.get("held")),
                (pgettext("workbook", "Attendances"), sessions.get("attendances")),
                (pgettext("workbook", "Members who attended"), sessions.get("attendees")),
                (pgettext("workbook", "Expected attendances"), sessions.get("expected")),
                (
                    pgettext("workbook", "Attendance rate (%)"),
                    percent(sessions.get("attendances"), sessions.get("expected")),
                ),
                (pgettext("workbook", "Talks by court leaders"), speakers.get("leader")),
                (pgettext("workbook", "Talks by party secretaries"), speakers.get("secretary")),
                (pgettext("workbook", "Talks by experts"), speakers.get("expert")),
                (pgettext("workbook", "Talks by staff"), speakers.get("officer")),
                (pgettext("workbook", "Talks by guests"), speakers.get("guests")),
            ],
        )
    ]
    table = Table(
        [pgettext("workbook", "Kind"), pgettext("workbook", "Held"), pgettext("workbook", "Attendances")],
        caption=pgettext("workbook", "By kind"),
    )
    for kind in sessions.get("by_kind") or []:
        table.add(scope.of(kind), [kind.get("name"), kind.get("held"), kind.get("attendances")])
    tables.append(table)
    caption = pgettext("workbook", "Session list")
    total = sessions.get("events_total") or 0
    if total > len(events):
        caption = pgettext("workbook", "Session list (the first %(shown)s of %(total)s)") % {
            "shown": len(events),
            "total": total,
        }
    table = Table(
        [
            pgettext("workbook", "Date"),
            pgettext("workbook", "Kind"),
            pgettext("workbook", "Title"),
            pgettext("workbook", "Series"),
            pgettext("workbook", "Series item"),
            pgettext("workbook", "Organized by"),
            pgettext("workbook", "Host department"),
            pgettext("workbook", "Speakers"),
            pgettext("workbook", "Attended"),
            pgettext("workbook", "Expected"),
            pgettext("workbook", "Attendance rate (%)"),
        ],
        caption=caption,
    )
    for event in events:
        table.add(
            scope.of(event),
            [
                day(event.get("date")),
                event.get("kind"),
                event.get("title"),
                event.get("series"),
                event.get("series_item"),
                event.get("unit") or scope.of(event),  # '' when the court itself organized it
                event.get("host"),
                speakers_text(event.get("speakers")),
                event.get("attendance"),
                event.get("expected"),
                percent(event.get("attendance"), event.get("expected")),
            ],
        )
    tables.append(table)
    return tables


def contests_tables(facts: dict, scope: Scope) -> list[Table]:
    contests = facts.get("contests") or []
    if not contests:
        return []
    table = Table(
        [
            pgettext("workbook", "Contest"),
            pgettext("workbook", "Kind"),
            pgettext("workbook", "Entrants"),
            pgettext("workbook", "Entries"),
            pgettext("workbook", "Voters"),
            pgettext("workbook", "Votes"),
            pgettext("workbook", "Judges"),
        ]
    )
    winners = Table(
        [
            pgettext("workbook", "Contest"),
            pgettext("workbook", "Award"),
            pgettext("workbook", "Name"),
            pgettext("workbook", "Unit"),
            pgettext("workbook", "Entry"),
        ],
        caption=pgettext("workbook", "Winners"),
    )
    for contest in contests:
        court = scope.of(contest)
        table.add(
            court,
            [
                contest.get("title"),
                contest.get("kind_label") or contest.get("kind"),
                contest.get("entrants"),
                contest.get("entries"),
                contest.get("voters"),
                contest.get("votes"),
                contest.get("judges"),
            ],
        )
        for winner in contest.get("winners") or []:
            winners.add(
                court,
                [
                    contest.get("title"),
                    winner.get("award"),
                    winner.get("name"),
                    winner.get("unit"),
                    winner.get("title"),
                ],
            )
    return [table, winners]


def quizzes_tables(facts: dict, scope: Scope) -> list[Table]:
    quizzes = facts.get("quizzes") or {}
    if not (quizzes.get("rounds") or quizzes.get("attempts")):
        return []
    table = Table(
        [
            pgettext("workbook", "Rounds"),
            pgettext("workbook", "Participants"),
            pgettext("workbook", "Attempts"),
            pgettext("workbook", "Average score"),
            pgettext("workbook", "Pass rate (%)"),
        ]
    )
    table.add(
        scope.total,
        [
            quizzes.get("rounds"),
            quizzes.get("participants"),
            quizzes.get("attempts"),
            quizzes.get("average"),
            quizzes.get("pass_rate"),
        ],
    )
    titles = Table([pgettext("workbook", "Quiz")], caption=pgettext("workbook", "Quiz rounds"))
    for title in quizzes.get("titles") or []:
        titles.add(scope.of(title), [title])
    return [table, titles]


def assessments_tables(facts: dict, scope: Scope) -> list[Table]:
    assessments = facts.get("assessments") or []
    if not assessments:
        return []
    table = Table(
        [
            pgettext("workbook", "Assessment"),
            pgettext("workbook", "Kind"),
            pgettext("workbook", "Date"),
            pgettext("workbook", "Tested"),
            pgettext("workbook", "Average score"),
            pgettext("workbook", "Best score"),
            pgettext("workbook", "Average speed (characters per minute)"),
            pgettext("workbook", "Best speed (characters per minute)"),
            pgettext("workbook", "Average accuracy (%)"),
            pgettext("workbook", "Passed"),
        ]
    )
    for item in assessments:
        table.add(
            scope.of(item),
            [
                item.get("title"),
                label(Assessment.Kind, item.get("kind")),
                day(item.get("date")),
                item.get("tested"),
                item.get("average_score"),
                item.get("best_score"),
                item.get("average_speed"),
                item.get("best_speed"),
                item.get("average_accuracy"),
                item.get("passed"),
            ],
        )
    return [table]


def monthly_plans_tables(facts: dict, scope: Scope) -> list[Table]:
    plans = facts.get("monthly_plans") or {}
    if not plans.get("planned"):
        return []  # the court did not use monthly plans: nothing to say, not "everyone failed"
    table = Table(
        [
            pgettext("workbook", "Department"),
            pgettext("workbook", "Members"),
            pgettext("workbook", "Plans made"),
            pgettext("workbook", "Reported on time"),
            pgettext("workbook", "Reported late"),
            pgettext("workbook", "Not reported"),
            pgettext("workbook", "Report not yet due"),
            pgettext("workbook", "No plan"),
        ]
    )
    keys = ("members", "planned", "on_time", "late", "not_reported", "pending", "without_plan")
    for row in plans.get("by_department") or []:
        unit = row.get("unit") or pgettext("workbook", "No department")
        table.add(scope.of(row), [unit] + [row.get(key) for key in keys])
    table.add(scope.total, [pgettext("workbook", "Total")] + [plans.get(key) for key in keys])
    # No "months" column: merged over the courts below, the months of each court would add up.
    items = Table(
        [
            pgettext("workbook", "Plan items"),
            pgettext("workbook", "Items done"),
            pgettext("workbook", "Done (%)"),
        ],
        caption=pgettext("workbook", "Plan items done"),
    )
    items.add(
        scope.total,
        [
            plans.get("items"),
            plans.get("items_done"),
            percent(plans.get("items_done"), plans.get("items")),
        ],
    )
    return [table, items]


def qualifications_tables(facts: dict, scope: Scope) -> list[Table]:
    qualifications = facts.get("qualifications") or []
    if not qualifications:
        return []
    table = Table(
        [pgettext("workbook", "Qualification"), pgettext("workbook", "Holders"), pgettext("workbook", "Number")]
    )
    for item in qualifications:
        table.add(scope.of(item), [item.get("name"), joined(item.get("holders")), item.get("count")])
    return [table]


def outputs_tables(facts: dict, scope: Scope) -> list[Table]:
    outputs = facts.get("outputs") or {}
    compilations = facts.get("compilations") or []
    if not (outputs.get("count") or compilations):
        return []
    by_kind = outputs.get("by_kind") or []
    counts = Table([pgettext("workbook", "Kind"), pgettext("workbook", "Number")])
    titles = Table(
        [pgettext("workbook", "Kind"), pgettext("workbook", "Title")], caption=pgettext("workbook", "Output titles")
    )
    for kind in by_kind:
        counts.add(scope.of(kind), [kind.get("label") or kind.get("kind"), kind.get("count")])
        for title in kind.get("titles") or []:
            titles.add(scope.of(kind), [kind.get("label") or kind.get("kind"), title])
    if by_kind:
        counts.add(scope.total, [pgettext("workbook", "Total"), outputs.get("count")])
    recognized = Table(
        [
            pgettext("workbook", "Title"),
            pgettext("workbook", "Kind"),
            pgettext("workbook", "Recognition"),
            pgettext("workbook", "Note"),
            pgettext("workbook", "Authors"),
        ],
        caption=pgettext("workbook", "Recognized outputs"),
    )
    for item in outputs.get("recognized") or []:
        recognized.add(
            scope.of(item),
            [
                item.get("title"),
                item.get("kind"),
                item.get("recognition"),
                item.get("note"),
                joined(item.get("authors")),
            ],
        )
    books = Table(
        [pgettext("workbook", "Compilation"), pgettext("workbook", "Items"), pgettext("workbook", "Status")],
        caption=pgettext("workbook", "Compilations"),
    )
    for item in compilations:
        books.add(scope.of(item), [item.get("title"), item.get("items"), label(Compilation.Status, item.get("status"))])
    return [counts, titles, recognized, books]


def recruitment_tables(facts: dict, scope: Scope) -> list[Table]:
    batches = facts.get("recruitment") or []
    if not batches:
        return []
    table = Table(
        [
            pgettext("workbook", "Group"),
            pgettext("workbook", "Batch"),
            pgettext("workbook", "Applied"),
            pgettext("workbook", "Selected"),
            pgettext("workbook", "Squads"),
        ]
    )
    for batch in batches:
        table.add(
            scope.of(batch),
            [batch.get("group"), batch.get("number"), batch.get("applied"), batch.get("selected"), batch.get("squads")],
        )
    return [table]


# The sheets in the order a 情况总结 tells them; the titles are short enough for Excel (31).
FAMILIES: list[tuple[Callable[[], str], Callable[[dict, Scope], list[Table]]]] = [
    (lambda: pgettext("workbook sheet", "Reading"), reading_tables),
    (lambda: pgettext("workbook sheet", "Sessions"), sessions_tables),
    (lambda: pgettext("workbook sheet", "Contests"), contests_tables),
    (lambda: pgettext("workbook sheet", "Quizzes"), quizzes_tables),
    (lambda: pgettext("workbook sheet", "Assessments"), assessments_tables),
    (lambda: pgettext("workbook sheet", "Monthly plans"), monthly_plans_tables),
    (lambda: pgettext("workbook sheet", "Qualifications"), qualifications_tables),
    (lambda: pgettext("workbook sheet", "Research outputs"), outputs_tables),
    (lambda: pgettext("workbook sheet", "Recruitment"), recruitment_tables),
]


def family_sheets(book: Workbook, facts: dict | None, scope: Scope) -> None:
    for title, tables in FAMILIES:
        write_family(book, title(), None if facts is None else tables(facts, scope), scope)
