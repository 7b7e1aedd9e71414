"""The 情况总结 draft: what a court did in a period, told as the court would tell it.

A `Draft` is written from the period's facts (activities/facts.py, read with
reports.facts.facts_for) and the court's sentence templates (ReportTemplate). Every sentence has
a key, a default wording with {placeholders} and a list of the placeholders it may use;
organizers rewrite the wording on the template page. A family or sentence with nothing to say is
left out, so the draft never states "0次", "—" or "None".

The draft is a Chinese official document whatever the interface language, so it is always
written under the zh-hans catalogue; the typographic marks of Chinese (、，。“”《》（）) are part
of that document and live here as constants, not as translatable words.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from courtlearn.text import quoted  # “周分享” once, never ““…””
from members.models import Court

from .periods import Period

log = logging.getLogger(__name__)

DOCUMENT_LANGUAGE = "zh-hans"
LIST_SEP = "、"
CLAUSE_SEP = "，"
FULL_STOP = "。"
NAMED_CAP = 6  # names given in one sentence before "等"
SERIES_CAP = 5  # series plans told one by one


def S(text: str) -> Promise:  # noqa: N802 (reads like gettext's _)
    return pgettext_lazy("summary sentence", text)


def P(text: str) -> Promise:  # noqa: N802
    return pgettext_lazy("summary placeholder", text)


# What each placeholder means, shown to the organizer next to every sentence that may use it.
PLACEHOLDERS: dict[str, Promise] = {
    "court": P("the court's name (for a city draft, the city's courts, e.g. 辽源市两级法院)"),
    "we": P("how the draft speaks of the court: 我院, or 全市法院 for a city draft"),
    "period": P("the period, e.g. 2026年第2季度"),
    "families": P("the kinds of work the draft reports, e.g. 读书活动、集中学习和竞赛评比"),
    "host": P("the court that did it, when the draft covers several courts (empty otherwise)"),
    "campaign": P("the reading campaign's title in quotes"),
    "plan": P("the campaign's plan document in 《》"),
    "goal_books": P("books each member is asked to read"),
    "people": P("who recommended books, e.g. 赵建国、王芳等8人"),
    "recommenders": P("number of people who recommended books"),
    "books_count": P("number of different books recommended"),
    "books": P("the recommended titles in 《》"),
    "leaders": P("court leaders among those who recommended books"),
    "plan_members": P("members who made a reading plan"),
    "plan_books": P("books in those reading plans"),
    "readers": P("members who logged their reading"),
    "logs": P("reading log entries"),
    "books_finished": P("books finished"),
    "authors": P("members who wrote reflections, or the authors of an output"),
    "reflections": P("reflections submitted"),
    "featured": P("the excellent reflections with their authors, e.g. 张明的《…》等2篇"),
    "date": P("the date, e.g. 5月20日"),
    "partner": P("the partner organization that received the books"),
    "titles": P("the titles, in 《》"),
    "copies": P("number of books (copies)"),
    "held": P("learning sessions held"),
    "by_kind": P("held sessions or outputs by kind, e.g. “周分享”12场、“微课堂”8场"),
    "attendees": P("different members who attended"),
    "attendances": P("attendances (one per person and session)"),
    "expected": P("expected attendances"),
    "rate": P("attendance rate in percent"),
    "levels": P("sessions by level (三学), e.g. 中心组学习2场、支部学习5场"),
    "speakers": P("talks by role (三讲), e.g. 领导讲3次、书记讲6次、专家讲1次"),
    "officer_talks": P("talks given by members"),
    "guest_talks": P("talks given by guests from outside the court"),
    "hosts": P("departments that gave topic trainings"),
    "hosts_held": P("topic trainings they gave"),
    "kind": P("the session kind, e.g. “周分享”"),
    "kind_held": P("sessions of that kind held"),
    "events": P("the sessions by date and title, with speakers and attendance"),
    "event_speakers": P("the speakers of a session"),
    "attendance": P("people present at a session"),
    "unit": P("the unit (study group, party branch or department) that organized it"),
    "place": P("where a session away from the court took place, e.g. 鳌头革命史迹展览馆"),
    "event": P("the session's title in quotes"),
    "series": P("the series plan's title in quotes"),
    "theme": P("the series plan's theme"),
    "series_held": P("micro-classes of the series held in the period"),
    "items": P("number of items"),
    "series_count": P("number of series plans"),
    "covered": P("items of the series studied so far"),
    "contest": P("the contest's title in quotes"),
    "entrants": P("members (or units) who entered"),
    "entries": P("entries received"),
    "voters": P("members who voted"),
    "votes": P("votes cast"),
    "judges": P("judges or reviewers"),
    "names": P("the winners with their units and works"),
    "award": P("the award, e.g. “论坛之星” or 一等奖"),
    "winners": P("how many won it, with the measure word, e.g. 5个"),
    "rounds": P("quiz rounds held"),
    "participants": P("members who took a quiz"),
    "attempts": P("quiz attempts handed in"),
    "average": P("average score"),
    "pass_rate": P("pass rate in percent"),
    "assessment": P("the assessment's title"),
    "tested": P("people tested"),
    "average_speed": P("average typing speed in characters a minute"),
    "best_speed": P("best typing speed in characters a minute"),
    "average_accuracy": P("average accuracy in percent"),
    "average_score": P("average score"),
    "best_score": P("best score"),
    "passed": P("people who passed"),
    "qualification": P("the qualification's name"),
    "holders": P("who earned it, e.g. 徐长芳等9人"),
    "months": P("months in the period"),
    "planned": P("monthly plans made"),
    "on_time": P("plans reported on time at month end"),
    "late": P("plans reported late"),
    "not_reported": P("plans not reported"),
    "without_plan": P("member-months without a plan"),
    "items_done": P("plan items done"),
    "units": P("departments, e.g. 民一庭、立案庭"),
    "outputs_count": P("research outputs written"),
    "kind_label": P("the kind of output, e.g. 论文"),
    "title": P("the title, in 《》"),
    "recognition": P("how it was recognized, e.g. 获奖（全省法院优秀论文一等奖）"),
    "compilation": P("the compilation's title in 《》"),
    "group": P("the study group's name in quotes"),
    "batch": P("the batch number in Chinese numerals, e.g. 二"),
    "applied": P("members who applied"),
    "selected": P("members selected"),
    "squads": P("squads formed"),
    "whose": P("whose people: 我院, or the court's name in a city draft"),
    "group_members": P("members of the court in the group"),
    "group_court": P("the court above that runs the group, e.g. 辽源市中级人民法院"),
}


@dataclass(frozen=True)
class Sentence:
    key: str
    family: str
    default: Promise
    placeholders: tuple[str, ...] = ()


FAMILIES: list[tuple[str, Promise]] = [
    ("general", pgettext_lazy("summary family", "Opening and closing")),
    ("reading", pgettext_lazy("summary family", "Reading")),
    ("sessions", pgettext_lazy("summary family", "Learning sessions")),
    ("contests", pgettext_lazy("summary family", "Contests")),
    ("tests", pgettext_lazy("summary family", "Quizzes, assessments and qualifications")),
    ("plans", pgettext_lazy("summary family", "Monthly plans")),
    ("outputs", pgettext_lazy("summary family", "Research outputs")),
    ("groups", pgettext_lazy("summary family", "Study groups")),
]

_SENTENCES = [
    # general
    Sentence("opening", "general",
             S("In {period}, {court} made staff learning a basis of its team building and ran learning around "
               "{families}. The work is summarised as follows:"),
             ("period", "court", "families")),
    Sentence("opening_empty", "general", S("In {period}, {court} has no learning activities on record."),
             ("period", "court")),
    Sentence("heading_closing", "general", S("Problems and next steps"), ("period",)),
    # reading
    Sentence("heading_reading", "reading", S("Reading campaign")),
    Sentence("reading_campaign", "reading", S("{host}ran the {campaign} campaign"), ("host", "campaign")),
    Sentence("reading_campaign_plan", "reading", S("issued the plan {plan}"), ("plan",)),
    Sentence("reading_campaign_letter", "reading", S("sent every member an initiative letter")),
    Sentence("reading_campaign_goal", "reading", S("asked every member to read at least {goal_books} books"),
             ("goal_books",)),
    Sentence("reading_recommendations", "reading",
             S("{people} recommended {books_count} books, among them {books}"),
             ("people", "recommenders", "books_count", "books")),
    Sentence("reading_leaders", "reading", S("{leaders} court leaders led the way"), ("leaders",)),
    Sentence("reading_plans", "reading", S("{plan_members} members made reading plans"), ("plan_members",)),
    Sentence("reading_plan_books", "reading", S("listing {plan_books} books"), ("plan_books",)),
    Sentence("reading_logs", "reading", S("{readers} members logged their reading {logs} times"),
             ("readers", "logs")),
    Sentence("reading_finished", "reading", S("{books_finished} books were finished"), ("books_finished",)),
    Sentence("reading_reflections", "reading", S("{authors} members wrote {reflections} reflections"),
             ("authors", "reflections")),
    Sentence("reading_featured", "reading", S("{featured} were chosen as excellent reflections"), ("featured",)),
    Sentence("reading_donation", "reading", S("on {date}, {host}donated the books {titles} to {partner}, {copies} in all"),
             ("date", "host", "partner", "titles", "copies")),
    Sentence("reading_donation_copies", "reading", S("on {date}, {host}donated {copies} books to {partner}"),
             ("date", "host", "partner", "copies")),
    # sessions
    Sentence("heading_sessions", "sessions", S("Learning sessions")),
    Sentence("sessions_held", "sessions", S("{held} learning sessions of all kinds were held, among them {by_kind}"),
             ("held", "by_kind")),
    Sentence("sessions_held_total", "sessions", S("{held} learning sessions of all kinds were held"), ("held",)),
    Sentence("sessions_held_one", "sessions", S("{by_kind} were held"), ("held", "by_kind")),
    Sentence("sessions_attendance", "sessions", S("{attendees} members took part, {attendances} attendances"),
             ("attendees", "attendances")),
    Sentence("sessions_rate", "sessions", S("attendance rate {rate}% of {expected} expected"), ("rate", "expected")),
    Sentence("sessions_levels", "sessions", S("following the three studies, {levels} were held"), ("levels",)),
    Sentence("sessions_speakers", "sessions", S("following the three lectures, {speakers}"), ("speakers",)),
    Sentence("sessions_officers", "sessions", S("members gave {officer_talks} talks"), ("officer_talks",)),
    Sentence("sessions_guests", "sessions", S("guests from outside gave {guest_talks} talks"), ("guest_talks",)),
    Sentence("sessions_hosts", "sessions", S("{hosts} gave {hosts_held} topic trainings"), ("hosts", "hosts_held")),
    Sentence("sessions_kind_heading", "sessions", S("Holding {kind}"), ("kind",)),
    Sentence("sessions_kind", "sessions", S("{kind_held} {kind} were held, among them {events}"),
             ("kind", "kind_held", "events")),
    Sentence("sessions_kind_all", "sessions", S("{kind_held} {kind} were held: {events}"),
             ("kind", "kind_held", "events")),
    Sentence("sessions_kind_plain", "sessions", S("{kind_held} {kind} were held"), ("kind", "kind_held")),
    Sentence("event_speakers", "sessions", S("given by {event_speakers}"), ("event_speakers",)),
    Sentence("event_readers", "sessions", S("read aloud by {event_speakers}"), ("event_speakers",)),
    Sentence("event_attendance", "sessions", S("{attendance} attended"), ("attendance",)),
    Sentence("event_attendances", "sessions", S("{attendances} attendances in all"), ("attendances",)),
    Sentence("event_unit", "sessions", S("organized by {unit}"), ("unit",)),
    Sentence("event_away", "sessions", S("{event} at {place}"), ("event", "place")),
    Sentence("sessions_series_heading", "sessions", S("Micro-class series")),
    Sentence("sessions_series", "sessions",
             S("{unit} drew up the series plan {series} on {theme} and held {series_held} micro-classes"),
             ("host", "unit", "series", "theme", "series_held")),
    Sentence("sessions_series_more", "sessions", S("{units} and others drew up series plans too, {series_count} in all"),
             ("units", "series_count")),
    Sentence("sessions_series_progress", "sessions", S("{covered} of its {items} items have been studied"),
             ("items", "covered")),
    # contests
    Sentence("heading_contests", "contests", S("Contests")),
    Sentence("contest", "contests", S("{host}held {contest}"), ("host", "contest", "date")),
    Sentence("contest_entrants", "contests", S("{entrants} entered"), ("entrants",)),
    Sentence("contest_projects", "contests", S("{entries} projects were put forward"), ("entries",)),
    Sentence("contest_entries", "contests", S("{entries} entries were received"), ("entries",)),
    Sentence("contest_voters", "contests", S("{voters} members voted, {votes} votes in all"), ("voters", "votes")),
    Sentence("contest_judges", "contests", S("{judges} judges scored the entries"), ("judges",)),
    Sentence("contest_cross_review", "contests", S("{judges} reviewers judged each other's entries"), ("judges",)),
    Sentence("contest_winner_title", "contests", S("{names} won the title {award}"), ("names", "award")),
    Sentence("contest_winner_prize", "contests", S("{names} won the {award}"), ("names", "award")),
    Sentence("contest_winners", "contests", S("{winners} {award} were chosen: {names}"),
             ("winners", "award", "names")),
    # quizzes, assessments, qualifications
    Sentence("heading_tests", "tests", S("Quizzes and assessments")),
    Sentence("quiz", "tests", S("{rounds} quiz rounds were held, {participants} members took part, {attempts} attempts"),
             ("rounds", "participants", "attempts")),
    Sentence("quiz_rounds", "tests", S("{rounds} quiz rounds were held, {attempts} attempts"), ("rounds", "attempts")),
    Sentence("quiz_average", "tests", S("average score {average}"), ("average",)),
    Sentence("quiz_pass_rate", "tests", S("pass rate {pass_rate}%"), ("pass_rate",)),
    Sentence("assessment", "tests", S("on {date}, {host}held {assessment}, {tested} people took part"),
             ("date", "host", "assessment", "tested")),
    Sentence("assessment_speed", "tests", S("average speed {average_speed} characters a minute"), ("average_speed",)),
    Sentence("assessment_best_speed", "tests", S("best {best_speed} characters a minute"), ("best_speed",)),
    Sentence("assessment_accuracy", "tests", S("average accuracy {average_accuracy}%"), ("average_accuracy",)),
    Sentence("assessment_score", "tests", S("average score {average_score}"), ("average_score",)),
    Sentence("assessment_best_score", "tests", S("best score {best_score}"), ("best_score",)),
    Sentence("assessment_passed", "tests", S("{passed} passed"), ("passed",)),
    Sentence("qualification", "tests", S("{holders} earned the {qualification} qualification"),
             ("holders", "qualification", "items")),
    # monthly plans
    Sentence("heading_plans", "plans", S("Monthly plans")),
    Sentence("plans_planned", "plans", S("members made {planned} monthly plans"), ("planned", "months")),
    Sentence("plans_on_time", "plans", S("{on_time} were reported on time at month end"), ("on_time",)),
    Sentence("plans_late", "plans", S("{late} were reported late"), ("late",)),
    Sentence("plans_not_reported", "plans", S("{not_reported} were not reported"), ("not_reported",)),
    Sentence("plans_without", "plans", S("{without_plan} member-months had no plan"), ("without_plan",)),
    Sentence("plans_items", "plans", S("the plans held {items} items"), ("items",)),
    Sentence("plans_items_done", "plans", S("{items_done} of them were done"), ("items_done",)),
    Sentence("plans_units_on_time", "plans", S("{units} reported every plan on time"), ("units",)),
    # research outputs
    Sentence("heading_outputs", "outputs", S("Research outputs")),
    Sentence("outputs", "outputs", S("{outputs_count} research outputs were written, among them {by_kind}"),
             ("outputs_count", "by_kind")),
    Sentence("outputs_total", "outputs", S("{outputs_count} research outputs were written"), ("outputs_count",)),
    Sentence("outputs_one", "outputs", S("{by_kind} were written"), ("outputs_count", "by_kind")),
    Sentence("outputs_titles", "outputs", S("{kind_label}: {titles}"), ("kind_label", "titles")),
    Sentence("outputs_recognized", "outputs", S("{title} by {authors}: {recognition}"),
             ("title", "authors", "recognition")),
    Sentence("outputs_recognized_many", "outputs", S("{outputs_count} outputs, {titles}, {recognition}"),
             ("outputs_count", "titles", "recognition")),
    Sentence("compilation", "outputs", S("{host}compiled {compilation} with {items} outputs"),
             ("host", "compilation", "items")),
    Sentence("compilation_draft", "outputs", S("{host}is compiling {compilation}, {items} outputs so far"),
             ("host", "compilation", "items")),
    # study groups
    Sentence("heading_groups", "groups", S("Study groups")),
    Sentence("recruitment", "groups", S("{host}recruited batch {batch} of {group}"), ("host", "group", "batch")),
    Sentence("recruitment_applied", "groups", S("{applied} members applied"), ("applied",)),
    Sentence("recruitment_selected", "groups", S("{selected} were selected"), ("selected",)),
    Sentence("recruitment_squads", "groups", S("in {squads} squads"), ("squads",)),
    Sentence("group_above", "groups", S("{group_members} members of {whose} took part in {group} of {group_court}"),
             ("whose", "group_members", "group", "group_court")),
]  # fmt: skip
SENTENCES: dict[str, Sentence] = {s.key: s for s in _SENTENCES}

# The closing part a new template starts with: problems and next steps in general terms, one
# paragraph per line, for the organizer to make the court's own (the template page shows it).
DEFAULT_CLOSING: list[Promise] = [
    pgettext_lazy(
        "summary closing",
        "While learning went ahead in {period}, there is still room to do better: the forms of learning could be "
        "richer and some members took part passively; learning and the work of the courtroom are not yet closely "
        "enough joined; and the results of learning are not yet measured well enough.",
    ),
    pgettext_lazy(
        "summary closing",
        "Next, {we} will keep making learning a regular and lasting part of the work: enrich the forms of learning "
        "and let every member take part; join learning to trial and enforcement work and turn what is learned into "
        "research, cases and better judgments; and improve how learning results are assessed and recognized, so "
        "that learning supports the quality of the courts' work.",
    ),
]
TITLE_PLACEHOLDERS = ("court", "period")
CLOSING_PLACEHOLDERS = ("court", "period", "we")


class TemplateProblem(ValueError):
    """A sentence template that cannot be filled: broken braces or an unknown placeholder."""


def check_template(text: str, allowed: tuple[str, ...] | list[str]) -> None:
    """Raise TemplateProblem (a message for the organizer) unless every {name} is allowed."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise TemplateProblem(
            _("Braces { } must come in pairs around a placeholder name; to write a brace itself, double it.")
        ) from None
    unknown, formatted = [], []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in allowed:
            unknown.append("{" + name + "}")
        elif spec or conversion:
            formatted.append("{" + name + "}")
    if unknown:
        available = "、".join("{" + n + "}" for n in allowed) if allowed else pgettext("summary placeholder", "none")
        raise TemplateProblem(
            _("Unknown placeholder %(unknown)s. This sentence can use: %(available)s.")
            % {"unknown": "、".join(unknown), "available": available}
        )
    if formatted:
        raise TemplateProblem(
            _("Write placeholders plainly, without ! or : inside the braces: %(names)s.")
            % {"names": "、".join(formatted)}
        )


def default_text(key: str) -> str:
    """A sentence's default wording, always in the document's language."""
    with translation.override(DOCUMENT_LANGUAGE):
        return str(SENTENCES[key].default)


# --- the draft ---------------------------------------------------------------------------------


@dataclass
class Subsection:
    heading: str  # numbered: "（一）…"
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Section:
    heading: str  # numbered: "一、…"
    paragraphs: list[str] = field(default_factory=list)
    subsections: list[Subsection] = field(default_factory=list)


@dataclass
class Draft:
    title: str
    opening: str
    sections: list[Section]
    closing: Section | None
    signature: tuple[str, str]  # the court's name, the date
    built_at: dt.datetime | None = None
    title_lines: list[str] = field(default_factory=list)  # where a long title breaks (GB/T: by meaning)

    def all_sections(self) -> list[Section]:
        return [*self.sections, *([self.closing] if self.closing else [])]

    def blocks(self) -> Iterator[tuple[str, str]]:
        """(kind, text) in reading order; kind is title, h1, h2, p or signature."""
        yield "title", self.title
        yield "p", self.opening
        for section in self.all_sections():
            yield "h1", section.heading
            for paragraph in section.paragraphs:
                yield "p", paragraph
            for sub in section.subsections:
                yield "h2", sub.heading
                for paragraph in sub.paragraphs:
                    yield "p", paragraph
        for line in self.signature:
            yield "signature", line

    @property
    def text(self) -> str:
        return "\n".join(text for _kind, text in self.blocks())

    @property
    def built_at_label(self) -> str:
        if self.built_at is None:
            return ""
        local = self.built_at.astimezone(ZoneInfo(settings.TIME_ZONE))
        return pgettext("summary date", "Data built on %(date)s %(time)s") % {
            "date": long_date(local.date()),
            "time": f"{local:%H:%M}",
        }


class DraftUnavailable(Exception):
    """The period's facts were never built, so there is nothing true to write."""


def draft_for(court: Court, period: Period, *, with_children: bool = False, template=None, today=None) -> Draft:
    """The court's draft for a period from its stored facts; DraftUnavailable when never built."""
    from .facts import facts_for
    from .models import ReportTemplate

    facts = facts_for(court, period, with_children=with_children)
    if facts is None:
        raise DraftUnavailable(
            _("The figures of %(court)s for %(period)s have not been built yet, so there is no draft to write.")
            % {"court": court.name, "period": period.label}
        )
    if template is None:
        # Reading must not create rows: an unsaved template carries the defaults.
        template = ReportTemplate.objects.filter(court=court).first() or ReportTemplate(court=court)
    # A city's draft covers its courts only when there are courts below it (built or not).
    merged = with_children and len(facts.get("courts") or []) + len(facts.get("missing_courts") or []) > 1
    return draft_from_facts(court.name, period, facts, template, today=today, merged=merged)


def draft_from_facts(
    court_name: str, period: Period, facts: dict, template, *, today=None, merged: bool = False
) -> Draft:
    """The draft from a facts dict; `merged`: the facts are the court's and every court's below it."""
    today = today or timezone.localdate()
    with translation.override(DOCUMENT_LANGUAGE):
        return _Writer(court_name, period, facts, template, merged=merged).draft(today)


def default_closing() -> str:
    """The closing part a court starts from, in the document's language, one paragraph a line."""
    with translation.override(DOCUMENT_LANGUAGE):
        return "\n".join(str(text) for text in DEFAULT_CLOSING)


def is_unwritten_closing(text: str) -> bool:
    """The model's old default, a note to the organizer (……（请组织者补充）), never sent as it is."""
    from .models import ReportTemplate

    return (text or "").strip() == ReportTemplate._meta.get_field("closing").default


_LEVELS = (("高级人民法院", "three"), ("中级人民法院", "two"))


def courts_name(court_name: str) -> tuple[str, str]:
    """How a city draft names the courts it covers, in the title and opening and in the body:
    辽源市中级人民法院 → (辽源市两级法院, 全市法院); a high court → (吉林省三级法院, 全省法院)."""
    for suffix, levels in _LEVELS:
        prefix = court_name[: -len(suffix)] if court_name.endswith(suffix) else ""
        # 北京市第一中级人民法院 covers part of the city: not "北京市第一两级法院".
        if prefix and not re.search(r"第[一二三四五六七八九十]+$", prefix):
            if levels == "two":
                return prefix + pgettext("summary phrase", "courts at two levels"), pgettext(
                    "summary phrase", "the city's courts"
                )
            return prefix + pgettext("summary phrase", "courts at three levels"), pgettext(
                "summary phrase", "the province's courts"
            )
    return pgettext("summary phrase", "%(court)s and the courts below it") % {"court": court_name}, pgettext(
        "summary phrase", "the courts of the area"
    )


# --- formatting helpers ------------------------------------------------------------------------

TITLE_WIDTH = 20  # characters of 22 pt on a 156 mm line


def width(text: str) -> float:
    """Display width in Chinese characters: digits and Latin letters are half-width."""
    return sum(0.5 if ord(ch) < 0x2000 else 1 for ch in text)


def title_lines(title: str, hints: list[str]) -> list[str]:
    """A title too long for one line breaks after a unit of meaning (the period, the court's
    name), never inside a word as plain wrapping would ("…情况总\n结")."""
    if width(title) <= TITLE_WIDTH:
        return [title]
    best = None
    for hint in hints:
        index = title.find(hint) if hint else -1
        if index < 0:
            continue
        cut = index + len(hint)
        first, second = title[:cut], title[cut:]
        if first and second and width(first) <= TITLE_WIDTH and width(second) <= TITLE_WIDTH:
            balance = abs(width(first) - width(second))
            if best is None or balance < best[0]:
                best = (balance, [first, second])
    return best[1] if best else [title]


CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (heading numbers)."""
    if n < 10:
        return CN_DIGITS[max(n, 0)]
    if n >= 100:  # no batch or heading gets here; a plain figure beats a wrong numeral
        return str(n)
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else CN_DIGITS[tens]}十{CN_DIGITS[ones] if ones else ''}"


def num(value) -> str:
    """A figure as a court writes it: 62, 86.4, 90 (never 90.0)."""
    if isinstance(value, float):
        value = round(value, 1)
        return str(int(value)) if value.is_integer() else f"{value:.1f}"
    return str(value)


def book(title: str) -> str:
    """《红岩》; a title inside a title takes 〈〉: 《读〈红岩〉有感》."""
    title = (title or "").strip()
    if not title or (title.startswith("《") and title.endswith("》")):
        return title
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


def without_extension(filename: str) -> str:
    stem, dot, ext = filename.rpartition(".")
    return stem if dot and stem and len(ext) <= 5 and ext.isalnum() else filename


def listed(items: list[str], *, cap: int = NAMED_CAP, total: int | None = None, etc: bool = True) -> str:
    """a、b、c — and 等 when there are more than shown (unless a count follows, which says it)."""
    items = [i for i in items if i]
    shown = items[:cap]
    text = LIST_SEP.join(shown)
    more = (total if total is not None else len(items)) > len(shown)
    return text + ("等" if more and etc else "")


def counted(items: list[str], total: int, measure: str, *, cap: int = NAMED_CAP) -> str:
    """张明 / 张明、王芳等2人 (等 + count is how a court enumerates, complete or not)."""
    items = [i for i in items if i]
    if not items:
        return ""
    if total <= 1 and len(items) == 1:
        return items[0]
    return f"{LIST_SEP.join(items[:cap])}等{total}{measure}"


def and_join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return LIST_SEP.join(items[:-1]) + "和" + items[-1]


def short_date(iso: str) -> str:
    try:
        day = dt.date.fromisoformat(iso)
    except (TypeError, ValueError):
        return ""
    return pgettext("summary date", "%(month)d/%(day)d") % {"month": day.month, "day": day.day}


def long_date(day: dt.date) -> str:
    return pgettext("summary date", "%(month)d/%(day)d/%(year)d") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def sentence(pieces: list[str]) -> str:
    """Clauses joined with ， and closed with 。 (whatever punctuation the organizer ended them with)."""
    clauses = [p.strip().strip("。；，,;.、 ") for p in pieces]
    clauses = [c for c in clauses if c]
    return CLAUSE_SEP.join(clauses) + FULL_STOP if clauses else ""


def paragraph(sentences: list[str]) -> str:
    return "".join(s for s in sentences if s)


AWAY_KINDS = ("field_trip", "party_day")
_ROOMS = ("室", "厅", "庭", "堂", "馆内", "院内")


def in_court(place: str) -> bool:
    """A room of the court (一楼大厅, 四楼大审判庭, 党员活动室): not worth saying where."""
    return place.endswith(_ROOMS) or "楼" in place or "本院" in place


def bare(text: str) -> str:
    """A name without its quotes and book marks, to see whether a title already says it."""
    return "".join(ch for ch in (text or "") if ch not in "“”\"'《》〈〉「」 ")


def recognition_text(output: dict) -> str:
    """获奖（全省法院优秀论文一等奖）; a note that already says it stands alone: 被《…》采用, not 采用（被《…》采用）."""
    label, note = (output.get("recognition") or "").strip(), (output.get("note") or "").strip()
    if note and (not label or label in note):
        return note
    return f"{label}（{note}）" if note else label


def positive(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


# --- the writer --------------------------------------------------------------------------------


class _Writer:
    def __init__(self, court_name: str, period: Period, facts: dict, template, *, merged: bool = False) -> None:
        self.court = court_name
        # Who the draft speaks of: the court, or for a city draft the city's courts (全市法院).
        if merged:
            self.subject, self.we = courts_name(court_name)
        else:
            self.subject, self.we = court_name, pgettext("summary phrase", "our court")
        self.period = period
        self.facts = facts or {}
        sentences = getattr(template, "sentences", None) or {}
        # Old keys (the four sections of the first draft) and anything not a sentence are ignored.
        self.custom = {k: v for k, v in sentences.items() if k in SENTENCES and isinstance(v, str) and v.strip()}
        self.template = template

    # Filling ---------------------------------------------------------------------------------
    def say(self, key: str, **values) -> str:
        spec = SENTENCES[key]
        values = {name: values.get(name, "") for name in spec.placeholders}
        values = {name: num(v) if isinstance(v, (int, float)) else str(v) for name, v in values.items()}
        text = self.custom.get(key)
        if text is not None:
            try:
                check_template(text, spec.placeholders)
                return string.Formatter().vformat(text, (), values)
            except (TemplateProblem, ValueError, IndexError, KeyError):
                # Saved before the rules were checked (or edited elsewhere): the default wording
                # keeps the draft whole.
                log.warning("summary sentence %s of %s is broken; using the default", key, self.court)
        return string.Formatter().vformat(str(spec.default), (), values)

    def fill_free(self, text: str, allowed: tuple[str, ...], fallback: str) -> str:
        values = {"court": self.subject, "period": str(self.period.label), "we": self.we}
        try:
            check_template(text, allowed)
            return string.Formatter().vformat(text, (), values)
        except (TemplateProblem, ValueError, IndexError, KeyError):
            log.warning("summary title or closing of %s is broken; using the default", self.court)
            return string.Formatter().vformat(fallback, (), values)

    def host(self, item: dict) -> str:
        """The court of an item in a merged (city) draft, when it is not the draft's own court."""
        court = (item.get("court") or "").strip()
        return court if court and court != self.court else ""

    def unit_of(self, item: dict) -> str:
        return self.host(item) + (item.get("unit") or "")

    # The draft --------------------------------------------------------------------------------
    def draft(self, today: dt.date) -> Draft:
        from .models import ReportTemplate

        families = [
            ("reading", pgettext("summary topic", "reading"), self.reading),
            ("sessions", pgettext("summary topic", "collective study"), self.sessions),
            ("contests", pgettext("summary topic", "contests"), self.contests),
            ("tests", pgettext("summary topic", "quizzes and assessments"), self.tests),
            ("plans", pgettext("summary topic", "monthly plans"), self.plans),
            ("outputs", pgettext("summary topic", "research outputs"), self.outputs),
            ("groups", pgettext("summary topic", "study groups"), self.groups),
        ]
        sections, topics = [], []
        for key, topic, write in families:
            paragraphs, subsections = write()
            if not paragraphs and not subsections:
                continue
            number = len(sections) + 1
            heading = f"{cn_number(number)}、{self.say('heading_' + key)}"
            if not paragraphs and subsections:
                # A heading is always followed by text: the first subsection's text opens the section.
                paragraphs = subsections.pop(0)[1]
            subs = [
                Subsection(f"（{cn_number(i)}）{heading_text}", paras)
                for i, (heading_text, paras) in enumerate(subsections, start=1)
            ]
            sections.append(Section(heading, paragraphs, subs))
            topics.append(topic)
        period_label = str(self.period.label)
        if sections:
            opening = self.say("opening", period=period_label, court=self.subject, families=and_join(topics))
        else:
            opening = sentence([self.say("opening_empty", period=period_label, court=self.subject)])
        default_title = ReportTemplate._meta.get_field("title").default
        title = self.fill_free(self.template.title or default_title, TITLE_PLACEHOLDERS, default_title)
        closing_text = (self.template.closing or "").strip()
        if is_unwritten_closing(closing_text):
            # A template never edited carries the old note to the organizer: write the default part.
            closing_text = "\n".join(str(text) for text in DEFAULT_CLOSING)
        closing = None
        if closing_text:
            fallback = "\n".join(str(text) for text in DEFAULT_CLOSING)
            text = self.fill_free(closing_text, CLOSING_PLACEHOLDERS, fallback)
            closing = Section(
                f"{cn_number(len(sections) + 1)}、{self.say('heading_closing', period=period_label)}",
                [line.strip() for line in text.splitlines() if line.strip()],
            )
        return Draft(
            title=title,
            title_lines=title_lines(title, [period_label, self.subject]),
            opening=opening,
            sections=sections,
            closing=closing,
            signature=(self.court, long_date(today)),
            built_at=_parse_time(self.facts.get("built_at")),
        )

    # Families: each returns (paragraphs, [(subsection heading, paragraphs)]) -------------------
    def reading(self):
        reading = self.facts.get("reading") or {}
        paragraphs = []
        for campaign in reading.get("campaigns") or []:
            if not campaign.get("title"):
                continue
            pieces = [self.say("reading_campaign", host=self.host(campaign), campaign=quoted(campaign["title"]))]
            if campaign.get("plan_document"):
                plan = book(without_extension(campaign["plan_document"]))
                pieces.append(self.say("reading_campaign_plan", plan=plan))
            if campaign.get("initiative_letter"):
                pieces.append(self.say("reading_campaign_letter"))
            if positive(campaign.get("goal_books")):
                pieces.append(self.say("reading_campaign_goal", goal_books=campaign["goal_books"]))
            paragraphs.append(sentence(pieces))

        recs = reading.get("recommendations") or {}
        books = recs.get("books") or []
        if positive(recs.get("count")) and books:
            people = [p.get("name", "") for p in recs.get("people") or []]
            recommenders = recs.get("recommenders") or len(people)
            pieces = [
                self.say(
                    "reading_recommendations",
                    people=counted(people, recommenders, "人") or f"{recommenders}人",
                    recommenders=recommenders,
                    books_count=len(books),
                    books=listed([book(b) for b in books], cap=10),
                )
            ]
            if positive(recs.get("leaders")):
                pieces.append(self.say("reading_leaders", leaders=recs["leaders"]))
            paragraphs.append(sentence(pieces))

        plans = reading.get("plans") or {}
        planning = []
        if positive(plans.get("members")):
            planning.append(self.say("reading_plans", plan_members=plans["members"]))
            if positive(plans.get("books")):
                planning.append(self.say("reading_plan_books", plan_books=plans["books"]))
        logging_ = []
        if positive(reading.get("logs")) and positive(reading.get("readers")):
            logging_.append(self.say("reading_logs", readers=reading["readers"], logs=reading["logs"]))
        if positive(reading.get("books_finished")):
            logging_.append(self.say("reading_finished", books_finished=reading["books_finished"]))
        writing = []
        reflections = reading.get("reflections") or {}
        if positive(reflections.get("submitted")) and positive(reflections.get("authors")):
            writing.append(
                self.say("reading_reflections", authors=reflections["authors"], reflections=reflections["submitted"])
            )
        featured = reflections.get("featured") or []
        if featured:
            # A session 感想 carries the session's title, not its own: 张明参加“我和我热爱的岗位”的感想.
            names = [
                f"{self.unit_of(f)}{f.get('author', '')}参加{quoted(f.get('title', ''))}的感想"
                if f.get("kind") == "session"
                else f"{self.unit_of(f)}{f.get('author', '')}的{book(f.get('title', ''))}"
                for f in featured
            ]
            writing.append(self.say("reading_featured", featured=counted(names, len(featured), "篇", cap=4)))
        text = paragraph([sentence(planning), sentence(logging_), sentence(writing)])
        if text:
            paragraphs.append(text)

        donations = []
        for donation in reading.get("donations") or []:
            titles = [book(t) for t in donation.get("titles") or []]
            copies = donation.get("copies") or len(titles)
            if not donation.get("partner") or not copies:
                continue
            values = {
                "date": short_date(donation.get("date", "")),
                "host": self.host(donation),
                "partner": donation["partner"],
                "copies": copies,
            }
            if titles:
                donations.append(self.say("reading_donation", titles=listed(titles, cap=10), **values))
            else:
                donations.append(self.say("reading_donation_copies", **values))
        if donations:
            paragraphs.append("".join(sentence([d]) for d in donations))
        return paragraphs, []

    def sessions(self):
        sessions = self.facts.get("sessions") or {}
        held = sessions.get("held") or 0
        if not positive(held):
            return [], []
        kinds = [k for k in sessions.get("by_kind") or [] if positive(k.get("held"))]
        events = sessions.get("events") or []
        self.kind_names = {
            k.get("code"): self.kind_name(
                k, [e.get("title") or "" for e in events if e.get("kind_code") == k.get("code")]
            )
            for k in kinds
        }
        by_kind = listed(
            [pgettext("summary phrase", "%(kind)s %(count)s sessions")
             % {"kind": self.kind_names[k.get("code")], "count": k["held"]}
             for k in kinds],
            cap=len(kinds),
        )  # fmt: skip
        pieces = []
        if len(kinds) > 1:
            pieces.append(self.say("sessions_held", held=held, by_kind=by_kind))
        elif kinds:
            pieces.append(self.say("sessions_held_one", held=held, by_kind=by_kind))
        else:
            pieces.append(self.say("sessions_held_total", held=held))
        if positive(sessions.get("attendances")) and positive(sessions.get("attendees")):
            pieces.append(
                self.say("sessions_attendance", attendees=sessions["attendees"], attendances=sessions["attendances"])
            )
            if positive(sessions.get("expected")):
                rate = 100 * sessions["attendances"] / sessions["expected"]
                pieces.append(self.say("sessions_rate", rate=min(rate, 100.0), expected=sessions["expected"]))
        overview = [sentence(pieces)]

        levels = sessions.get("by_level") or {}
        level_names = [
            ("center_group", pgettext("summary phrase", "central group study")),
            ("branch", pgettext("summary phrase", "branch study")),
            ("self", pgettext("summary phrase", "self-study")),
        ]
        level_text = listed(
            [pgettext("summary phrase", "%(level)s %(count)s sessions") % {"level": name, "count": levels[code]}
             for code, name in level_names if positive(levels.get(code))],
            cap=3,
        )  # fmt: skip
        if level_text:
            overview.append(sentence([self.say("sessions_levels", levels=level_text)]))
        speakers = sessions.get("speakers") or {}
        role_names = [
            ("leader", pgettext("summary phrase", "leaders lecture")),
            ("secretary", pgettext("summary phrase", "secretaries lecture")),
            ("expert", pgettext("summary phrase", "experts lecture")),
        ]
        role_text = listed(
            [pgettext("summary phrase", "%(role)s %(count)s times") % {"role": name, "count": speakers[code]}
             for code, name in role_names if positive(speakers.get(code))],
            cap=3,
        )  # fmt: skip
        pieces = []
        if role_text:
            pieces.append(self.say("sessions_speakers", speakers=role_text))
        if positive(speakers.get("officer")):
            pieces.append(self.say("sessions_officers", officer_talks=speakers["officer"]))
        if positive(speakers.get("guests")):
            pieces.append(self.say("sessions_guests", guest_talks=speakers["guests"]))
        hosts = [h for h in sessions.get("hosts") or [] if h.get("name") and positive(h.get("held"))]
        if hosts:
            pieces.append(
                self.say(
                    "sessions_hosts",
                    hosts=listed([self.unit_of({**h, "unit": h["name"]}) for h in hosts], cap=8),
                    hosts_held=sum(h["held"] for h in hosts),
                )
            )
        overview.append(sentence(pieces))
        paragraphs = [paragraph(overview)]

        series = [s for s in sessions.get("series") or [] if s.get("title") and positive(s.get("held"))]
        told = [self.series_sentence(s) for s in series[:SERIES_CAP]]
        if len(series) > SERIES_CAP:  # a city's dozens of branch plans: five, then the rest in one sentence
            rest = series[SERIES_CAP:]
            told.append(
                sentence(
                    [
                        self.say(
                            "sessions_series_more",
                            units=listed(list(dict.fromkeys(self.unit_of(s) for s in rest if self.unit_of(s))), cap=3),
                            series_count=len(series),
                        )
                    ]
                )
            )
        series_text = paragraph(told)
        subsections = []
        for kind in kinds:
            named = self.events_text([e for e in events if e.get("kind_code") == kind.get("code")])
            name = self.kind_names[kind.get("code")]
            shown = named[:NAMED_CAP]
            if shown and sum(n for _text, n in shown) >= kind["held"]:  # every session is told: no "主要有…等"
                text = self.say("sessions_kind_all", kind=name, kind_held=kind["held"],
                                events=listed([t for t, _n in shown], cap=NAMED_CAP))  # fmt: skip
            elif shown:
                text = self.say("sessions_kind", kind=name, kind_held=kind["held"],
                                events=listed([t for t, _n in shown], cap=NAMED_CAP, total=len(shown) + 1))  # fmt: skip
            else:
                text = self.say("sessions_kind_plain", kind=name, kind_held=kind["held"])
            paras = [sentence([text])]
            if kind.get("code") == "micro_class" and series_text:
                paras.append(series_text)
                series_text = ""
            subsections.append((self.say("sessions_kind_heading", kind=name), paras))
        if series_text:
            subsections.append((self.say("sessions_series_heading"), [series_text]))
        return paragraphs, subsections

    def kind_name(self, kind: dict, titles: list[str]) -> str:
        name = (kind.get("name") or "").strip()
        parts = [p.strip() for p in name.replace("／", "/").split("/") if p.strip()]
        if len(parts) > 1:
            # "党课/微党课" is a choice, not a name: say the part every session of the kind was
            # (“一刻钟”微党课 → 微党课), else the first (革命历史党课 → 党课).
            fitting = [p for p in parts if titles and all(p in t for t in titles)]
            name = max(fitting, key=len) if fitting else parts[0]
        # The two programmes the seeds name in quotes; a court-added kind is written as the court wrote it.
        return quoted(name) if kind.get("code") in ("weekly_share", "micro_class") else name

    def events_text(self, events: list[dict]) -> list[tuple[str, int]]:
        """The sessions of one kind as a court lists them, each with how many sessions it tells:
        a session held again and again under one title (by one unit or by each branch) is told
        once, with its dates, count and people (“周一学习例会”11场), the others one by one."""
        groups: dict[tuple, list[dict]] = {}
        for event in events:
            title = (event.get("title") or event.get("topic") or "").strip()
            if title:
                groups.setdefault((event.get("court") or "", title), []).append(event)
        several = len(groups) > 1
        return [
            (self.event_text(group[0]) if len(group) == 1 else self.repeated_text(group, several), len(group))
            for group in groups.values()
        ]

    def organizer(self, event: dict) -> str:
        """The group or branch that held a session, when the title does not already say it
        (“奋楫笃行”青年理论学习小组); a department's ordinary meeting is the court's own."""
        unit = (event.get("unit") or "").strip()
        if not unit or event.get("unit_kind") not in ("group", "branch"):
            return ""
        title = event.get("title") or event.get("topic") or ""
        return "" if bare(unit) in bare(title) else unit

    def speakers_text(self, events: list[dict]) -> str:
        names = list(dict.fromkeys(s.get("name", "") for e in events for s in e.get("speakers") or [] if s.get("name")))
        if not names:
            return ""
        # Four readers are "沈鹏、曾娜、彭洋等4人", never a bare "等" that hides how many.
        who = listed(names, cap=3) if len(names) <= 3 else counted(names, len(names), "人", cap=3)
        readers = all(e.get("kind_code") == "recitation" for e in events)
        return self.say("event_readers" if readers else "event_speakers", event_speakers=who)

    def event_details(self, events: list[dict], *, count: int = 0) -> str:
        details = []
        if count:
            details.append(pgettext("summary phrase", "%(count)s sessions") % {"count": count})
        units = {u: e.get("unit_kind") for e in events if (u := self.organizer(e))}
        if len(units) > 2:  # each branch held it: 机关第一党支部等3个党支部组织
            kinds = set(units.values())
            measure = (
                pgettext("summary measure", "party branches")
                if kinds == {"branch"}
                else pgettext("summary measure", "study groups")
                if kinds == {"group"}
                else pgettext("summary measure", "units")
            )
            details.append(self.say("event_unit", unit=f"{next(iter(units))}等{len(units)}{measure}"))
        elif units:
            details.append(self.say("event_unit", unit=listed(list(units), cap=2)))
        details.append(self.speakers_text(events))
        attendance = sum(e["attendance"] for e in events if positive(e.get("attendance")))
        if len(events) == 1 and attendance:
            details.append(self.say("event_attendance", attendance=attendance))
        elif attendance:
            details.append(self.say("event_attendances", attendances=attendance))
        details = [d.strip().rstrip("。，") for d in details if d and d.strip()]
        return f"（{CLAUSE_SEP.join(details)}）" if details else ""

    def event_title(self, event: dict) -> str:
        title = quoted((event.get("title") or event.get("topic") or "").strip())
        place = (event.get("place") or "").strip()
        if (
            place
            and event.get("kind_code") in AWAY_KINDS
            and (event.get("kind_code") == "field_trip" or not in_court(place))
            and bare(place) not in bare(event.get("title") or "")
        ):
            # A field trip or party day away from the court says where it went (鳌头革命史迹展览馆).
            return self.say("event_away", event=title, place=place)
        return title

    def event_text(self, event: dict) -> str:
        title = (event.get("title") or event.get("topic") or "").strip()
        if not title:
            return ""
        return f"{short_date(event.get('date', ''))}{self.host(event)}{self.event_title(event)}{self.event_details([event])}"

    def repeated_text(self, events: list[dict], with_count: bool) -> str:
        days = sorted(e.get("date", "") for e in events)
        if len(days) == 2:  # two dates are named, not spanned: 10月30日、11月30日
            named = [short_date(day) for day in dict.fromkeys(days) if short_date(day)]
            details = self.event_details(events, count=len(events) if with_count else 0)
            return f"{'、'.join(named)}{self.host(events[0])}{self.event_title(events[0])}{details}"
        first, last = short_date(days[0]), short_date(days[-1])
        if first and last and first != last and days[0][:7] == days[-1][:7]:  # 4月7日至9日
            last = pgettext("summary date", "%(day)d") % {"day": dt.date.fromisoformat(days[-1]).day}
        when = (
            first if first == last else pgettext("summary date", "%(start)s to %(end)s") % {"start": first, "end": last}
        )
        details = self.event_details(events, count=len(events) if with_count else 0)
        return f"{when}{self.host(events[0])}{self.event_title(events[0])}{details}"

    def series_sentence(self, series: dict) -> str:
        pieces = [
            self.say(
                "sessions_series",
                host=self.host(series),
                unit=self.unit_of(series),
                series=quoted(series["title"]),
                theme=series.get("theme") or series["title"],
                series_held=series["held"],
            )
        ]
        if positive(series.get("items")) and positive(series.get("covered")):
            pieces.append(self.say("sessions_series_progress", items=series["items"], covered=series["covered"]))
        return sentence(pieces)

    def contests(self):
        paragraphs = []
        for contest in self.facts.get("contests") or []:
            if not contest.get("title"):
                continue
            pieces = [self.say("contest", host=self.host(contest), contest=quoted(contest["title"]))]
            if (contest.get("kind") == "party_project" or contest.get("by_unit")) and positive(contest.get("entries")):
                # Units enter projects; "9名干警参赛" would be wrong.
                pieces.append(self.say("contest_projects", entries=contest["entries"]))
            elif positive(contest.get("entrants")):
                pieces.append(self.say("contest_entrants", entrants=contest["entrants"]))
                if positive(contest.get("entries")) and contest["entries"] != contest["entrants"]:
                    pieces.append(self.say("contest_entries", entries=contest["entries"]))
            elif positive(contest.get("entries")):
                pieces.append(self.say("contest_entries", entries=contest["entries"]))
            if positive(contest.get("voters")) and positive(contest.get("votes")):
                pieces.append(self.say("contest_voters", voters=contest["voters"], votes=contest["votes"]))
            if positive(contest.get("judges")):
                key = "contest_cross_review" if contest.get("cross_review") else "contest_judges"
                pieces.append(self.say(key, judges=contest["judges"]))
            pieces.extend(self.winners(contest))
            if len(pieces) > 1:  # a contest with nothing in the period but its title says nothing
                paragraphs.append(sentence(pieces))
        return paragraphs, []

    def winners(self, contest: dict) -> list[str]:
        kind = contest.get("kind")
        groups: dict[tuple[str, str], list[str]] = {}
        for winner in contest.get("winners") or []:
            award = (winner.get("award") or "").strip()
            name, unit = (winner.get("name") or "").strip(), (winner.get("unit") or "").strip()
            # A knowledge contest's "entry" is a contestant (第1号选手), not a work to name.
            work = "" if kind == "knowledge" else book(winner.get("title") or "")
            if unit and (winner.get("by_unit") or kind == "party_project" or name == unit):  # 审管办党支部《…》
                who = f"{self.host(winner)}{unit}{work}"
            elif name:  # a person's: 张明（民一庭）《…》
                unit = self.unit_of(winner)
                who = f"{name}（{unit}）{work}" if unit else f"{name}{work}"
            else:
                continue
            if award:
                groups.setdefault((award, winner.get("award_kind") or ""), []).append(who)
        # Works are counted in 篇, projects in 个, people in 名: “评选出优秀党建创新项目5个”.
        measure = {"party_project": "个", "essay": "篇"}.get(kind, "名")
        pieces = []
        for (award, award_kind), names in groups.items():
            prize = award_kind in ("first", "second", "third", "excellence")
            if prize:
                who = counted(names, len(names), measure, cap=8) if len(names) > 1 else names[0]
                pieces.append(self.say("contest_winner_prize", names=who, award=award))
            elif len(names) > 1:
                pieces.append(
                    self.say(
                        "contest_winners",
                        winners=f"{len(names)}{measure}",
                        award=quoted(award),
                        names=listed(names, cap=8),
                    )
                )
            else:
                pieces.append(self.say("contest_winner_title", names=names[0], award=quoted(award)))
        return pieces

    def tests(self):
        paragraphs = []
        quizzes = self.facts.get("quizzes") or {}
        if positive(quizzes.get("rounds")) and positive(quizzes.get("attempts")):
            if positive(quizzes.get("participants")):
                pieces = [
                    self.say(
                        "quiz",
                        rounds=quizzes["rounds"],
                        participants=quizzes["participants"],
                        attempts=quizzes["attempts"],
                    )
                ]
            else:
                pieces = [self.say("quiz_rounds", rounds=quizzes["rounds"], attempts=quizzes["attempts"])]
            if positive(quizzes.get("average")):
                pieces.append(self.say("quiz_average", average=quizzes["average"]))
            if isinstance(quizzes.get("pass_rate"), (int, float)):
                pieces.append(self.say("quiz_pass_rate", pass_rate=quizzes["pass_rate"]))
            paragraphs.append(sentence(pieces))
        assessments = []
        for item in self.facts.get("assessments") or []:
            if not item.get("title") or not positive(item.get("tested")):
                continue
            pieces = [
                self.say(
                    "assessment",
                    date=short_date(item.get("date", "")),
                    host=self.host(item),
                    assessment=item["title"],
                    tested=item["tested"],
                )
            ]
            for key, name in (
                ("assessment_speed", "average_speed"),
                ("assessment_best_speed", "best_speed"),
                ("assessment_accuracy", "average_accuracy"),
                ("assessment_score", "average_score"),
                ("assessment_best_score", "best_score"),
                ("assessment_passed", "passed"),
            ):
                if positive(item.get(name)):
                    pieces.append(self.say(key, **{name: item[name]}))
            assessments.append(sentence(pieces))
        if assessments:
            paragraphs.append(paragraph(assessments))
        qualifications = []
        for item in self.facts.get("qualifications") or []:
            if not item.get("name") or not positive(item.get("count")):
                continue
            holders = counted(list(item.get("holders") or []), item["count"], "人") or f"{item['count']}人"
            qualifications.append(
                sentence([self.say("qualification", holders=holders, qualification=item["name"], items=item["count"])])
            )
        if qualifications:
            paragraphs.append(paragraph(qualifications))
        return paragraphs, []

    def plans(self):
        plans = self.facts.get("monthly_plans") or {}
        if not positive(plans.get("planned")):
            return [], []
        pieces = [self.say("plans_planned", planned=plans["planned"], months=plans.get("months") or "")]
        for key, name in (
            ("plans_on_time", "on_time"),
            ("plans_late", "late"),
            ("plans_not_reported", "not_reported"),
        ):
            if positive(plans.get(name)):
                pieces.append(self.say(key, **{name: plans[name]}))
        first = sentence(pieces)
        pieces = []
        if positive(plans.get("items")):
            pieces.append(self.say("plans_items", items=plans["items"]))
            if positive(plans.get("items_done")):
                pieces.append(self.say("plans_items_done", items_done=plans["items_done"]))
        if positive(plans.get("without_plan")):
            pieces.append(self.say("plans_without", without_plan=plans["without_plan"]))
        second = sentence(pieces)
        units = [
            self.unit_of(d)
            for d in plans.get("by_department") or []
            if d.get("unit")
            and positive(d.get("planned"))
            and d.get("on_time") == d.get("planned")
            and not d.get("without_plan")
        ]
        third = sentence([self.say("plans_units_on_time", units=listed(units, cap=8))]) if units else ""
        return [paragraph([first, second, third])], []

    def outputs(self):
        outputs = self.facts.get("outputs") or {}
        paragraphs = []
        if positive(outputs.get("count")):
            kinds = [k for k in outputs.get("by_kind") or [] if k.get("label") and positive(k.get("count"))]
            by_kind = listed(
                [pgettext("summary phrase", "%(kind)s %(count)s pieces") % {"kind": k["label"], "count": k["count"]}
                 for k in kinds],
                cap=len(kinds),
            )  # fmt: skip
            if len(kinds) > 1:
                first = self.say("outputs", outputs_count=outputs["count"], by_kind=by_kind)
            elif kinds:
                first = self.say("outputs_one", outputs_count=outputs["count"], by_kind=by_kind)
            else:
                first = self.say("outputs_total", outputs_count=outputs["count"])
            first = sentence([first])
            recognized = [
                r for r in outputs.get("recognized") or [] if r.get("title") and (r.get("recognition") or r.get("note"))
            ]
            groups: dict[str, list[dict]] = {}
            for r in recognized:
                groups.setdefault(recognition_text(r), []).append(r)
            per_kind: dict[str, int] = {}
            for r in recognized:
                per_kind[r.get("kind")] = per_kind.get(r.get("kind"), 0) + 1
            # A kind whose every output is told as recognized (in one sentence) is not listed twice.
            told = {k["label"] for k in kinds if len(groups) == 1 and per_kind.get(k["label"]) == k["count"]}
            titles = [
                sentence(
                    [
                        self.say(
                            "outputs_titles",
                            kind_label=k["label"],
                            titles=listed([book(t) for t in k.get("titles") or []], cap=5, total=k["count"]),
                        )
                    ]
                )
                for k in kinds
                if k.get("titles") and k["label"] not in told
            ]
            recognized = []
            for recognition, items in groups.items():
                if len(items) == 1:
                    text = self.say(
                        "outputs_recognized",
                        title=book(items[0]["title"]),
                        authors=listed(items[0].get("authors") or [], cap=3),
                        recognition=recognition,
                    )
                else:  # 32 adopted cases: the first five titles and the count, never all 32
                    text = self.say(
                        "outputs_recognized_many",
                        titles=listed([book(r["title"]) for r in items], cap=5, etc=False),
                        outputs_count=len(items),
                        recognition=recognition,
                    )
                recognized.append(sentence([text]))
            paragraphs.append(paragraph([first, *titles, *recognized]))
        compilations = []
        for item in self.facts.get("compilations") or []:
            if not item.get("title") or not positive(item.get("items")):
                continue
            key = "compilation" if item.get("status") == "ready" else "compilation_draft"
            compilations.append(
                sentence([self.say(key, host=self.host(item), compilation=book(item["title"]), items=item["items"])])
            )
        if compilations:
            paragraphs.append(paragraph(compilations))
        return paragraphs, []

    def groups(self):
        paragraphs = []
        for batch in self.facts.get("recruitment") or []:
            if not batch.get("group"):
                continue
            pieces = [
                self.say(
                    "recruitment",
                    host=self.host(batch),
                    group=quoted(batch["group"]),
                    batch=cn_number(int(batch["number"])) if positive(batch.get("number")) else cn_number(1),
                )
            ]
            for key, name in (
                ("recruitment_applied", "applied"),
                ("recruitment_selected", "selected"),
                ("recruitment_squads", "squads"),
            ):
                if positive(batch.get(name)):
                    pieces.append(self.say(key, **{name: batch[name]}))
            if len(pieces) > 1:
                paragraphs.append(sentence(pieces))
        # The court's people in a group of a court above (两级法院); in a city draft, not the city's own groups.
        own = set(self.facts.get("courts") or [])
        for item in self.facts.get("groups_above") or []:
            if item.get("group") and positive(item.get("members")) and item.get("group_court") not in own:
                text = self.say(
                    "group_above",
                    whose=self.host(item) or self.we,
                    group_members=item["members"],
                    group=quoted(item["group"]),
                    group_court=item.get("group_court") or "",
                )
                paragraphs.append(sentence([text]))
        return paragraphs, []


def _parse_time(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    try:
        parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, ZoneInfo(settings.TIME_ZONE))
