"""The activity metrics: label, one-line definition, and the activities function behind each.

Stored metrics are counts; rates and averages are derived from two counts at read time.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from activities import metrics as m

from .metrics import (
    UNIT,
    Metric,
    register,
    register_sources,
)

SESSION_KINDS = [
    ("weekly_share", _("Weekly shares held")),
    ("micro_class", _("Micro-classes held")),
    ("collective_study", _("Collective study sessions held")),
    ("party_lesson", _("Party lessons held")),
    ("training", _("Trainings held")),
]
OUTPUT_KINDS = [
    ("paper", _("Papers")),
    ("typical_case", _("Typical cases")),
    ("research_report", _("Research reports")),
]
OUTPUT_LEVELS = [
    ("national", _("Outputs at national level")),
    ("provincial", _("Outputs at provincial level")),
    ("city", _("Outputs at city level")),
]

register(
    # Reading
    Metric("reading_logs", _("Reading logs"), _("Reading log entries dated in the period."), output=True),
    Metric("books_finished", _("Books finished"), _("Reading logs in the period marked 'finished the book'."),
           output=True, kpi=True),
    Metric("reflections_submitted", _("Reflections submitted"),
           _("Reflections (读书心得/学习体会) submitted for review in the period."), output=True, kpi=True),
    Metric("reflections_featured", _("Reflections featured"),
           _("Reflections chosen as excellent (优秀心得) in the period.")),
    Metric("books_donated", _("Books donated"), _("Copies donated to partner organizations in the period."),
           level=UNIT),
    # Sessions
    Metric("sessions_held", _("Sessions held"),
           _("Learning sessions held in the period, credited to the organizing unit and the court."),
           level=UNIT, kpi=True),
    *[
        Metric(f"sessions_held_{code}", label, _("Held sessions of this kind in the period."), level=UNIT, detail=True)
        for code, label in SESSION_KINDS
    ],
    Metric("sessions_attended", _("Attendances"), _("Sessions attended (present or late), counted per person."), output=True),
    Metric("sessions_expected", _("Expected attendances"),
           _("Held sessions whose audience included the person, counted per person; leave (请假) excuses."), detail=True),
    Metric("attendance_rate", _("Attendance rate"), _("Attendances as a share of expected attendances."),
           ratio_of=("sessions_attended", "sessions_expected"), kpi=True),
    Metric("shares_given", _("Shares given"),
           _("Talks given as a speaker of a held session, plus confirmed self-reported shares."), output=True, kpi=True),
    Metric("session_reflections", _("Session reflections"), _("Short reflections (感想) posted on sessions."), output=True),
    # Contests and quizzes
    Metric("contest_entries", _("Contest entries"), _("Entries in contests made in the period."), output=True),
    Metric("awards", _("Awards"), _("Awards given in the period to members' entries.")),
    Metric("quiz_attempts", _("Quiz rounds taken"), _("Quiz attempts handed in during the period."), output=True, kpi=True),
    Metric("quiz_score_total", _("Quiz score total"), _("Sum of the scores of those attempts."), detail=True),
    Metric("quiz_passed", _("Quiz passes"), _("Attempts that reached the pass mark."),
           detail=True),
    Metric("quiz_average", _("Average quiz score"), _("Mean score of the attempts handed in."),
           ratio_of=("quiz_score_total", "quiz_attempts"), percent=False),
    Metric("quiz_pass_rate", _("Quiz pass rate"), _("Share of attempts that reached the pass mark."),
           ratio_of=("quiz_passed", "quiz_attempts")),
    # Plans and outputs
    Metric("research_outputs", _("Research outputs"),
           _("Papers, typical cases, reports and other outputs dated in the period (each counted once)."),
           level=UNIT, kpi=True),
    *[
        Metric(f"outputs_{code}", label, _("Research outputs of this kind dated in the period."), level=UNIT, detail=True)
        for code, label in OUTPUT_KINDS
    ],
    *[
        Metric(f"outputs_{code}", label, _("Research outputs at this level dated in the period."), level=UNIT, detail=True)
        for code, label in OUTPUT_LEVELS
    ],
    Metric("authorships", _("Authorships"), _("Members named as authors of outputs dated in the period."), output=True),
    Metric("plan_items", _("Plan items"), _("Items in the monthly plans of the period."),
           detail=True),
    Metric("plan_items_done", _("Plan items done"), _("Plan items reported as done."),
           detail=True),
    Metric("plan_completion_rate", _("Plan completion"), _("Plan items done as a share of all plan items."),
           ratio_of=("plan_items_done", "plan_items")),
    Metric("plans_reported", _("Plans reported"), _("Monthly plans whose month-end report was handed in."), output=True),
)  # fmt: skip

register_sources(*m.SOURCES)
