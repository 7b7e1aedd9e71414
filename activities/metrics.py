"""What each activity family produced in a court during a period, as SQL the summary build runs.

Each Source is one SELECT per court and period (see reports.metrics.Source for the row shape
and the parameters). The build runs every source of a court in one statement, so a court
costs one round trip whatever the number of metrics; reports/catalogue.py names the metrics
(label and definition) that these columns feed. Nothing here counts time online.

A source runs once per court, so its cost must follow the court's data, not the province's.
Where a table is reached only through its member (speakers, self-reported shares, authors),
the source counts with a subquery per member of the court (an index probe each): as a join,
PostgreSQL scans the whole province's table for every court once the table is small enough.

The SQL is plain enough for PostgreSQL and SQLite (aggregate FILTER needs SQLite 3.30+);
tests/reports/test_metrics.py checks every number against a hand-computed October on both.
"""

from __future__ import annotations

from reports.metrics import Source

from .models import Attempt, Attendance, PlanItem, Reflection, SelfReportedShare, Session

# A member's outputs: rows ('member', member_id, '', v1, v2, v3) -------------------------------

READING_LOGS = Source(
    "reading_logs",
    """
    SELECT 'member', r.member_id, '', COUNT(*), COUNT(*) FILTER (WHERE r.finished), 0
    FROM activities_readinglog r JOIN members_member m ON m.id = r.member_id
    WHERE m.court_id = %(court)s AND r.day >= %(start_date)s AND r.day < %(end_date)s
    GROUP BY r.member_id
    """,
    columns=("reading_logs", "books_finished"),
)

# Status codes the SQL compares with, passed as parameters.
# A session counts as held once its end has passed (%(now)s, the build's time) and it was not
# cancelled (activities.models.sessions.session_is_held): minutes are evidence, not the switch.
_STATUSES = {
    "cancelled": Session.Status.CANCELLED,
    "present": Attendance.Status.PRESENT,
    "late": Attendance.Status.LATE,
    "leave": Attendance.Status.LEAVE,
    "featured": Reflection.Status.FEATURED,
    "confirmed": SelfReportedShare.Status.CONFIRMED,
    "submitted": Attempt.Status.SUBMITTED,
    "expired": Attempt.Status.EXPIRED,
    "done": PlanItem.Status.DONE,
}

REFLECTIONS = Source(
    "reflections",
    """
    SELECT 'member', r.author_id, '',
           COUNT(*) FILTER (WHERE r.submitted_at >= %(start)s AND r.submitted_at < %(end)s),
           COUNT(*) FILTER (WHERE r.status = %(featured)s AND r.featured_at >= %(start)s AND r.featured_at < %(end)s),
           0
    FROM activities_reflection r JOIN members_member m ON m.id = r.author_id
    WHERE m.court_id = %(court)s AND (
        (r.submitted_at >= %(start)s AND r.submitted_at < %(end)s)
        OR (r.status = %(featured)s AND r.featured_at >= %(start)s AND r.featured_at < %(end)s))
    GROUP BY r.author_id
    """,
    columns=("reflections_submitted", "reflections_featured"),
    constants=_STATUSES,
)

ATTENDANCES = Source(
    "attendances",
    """
    SELECT 'member', a.member_id, '', COUNT(*), 0, 0
    FROM activities_attendance a JOIN activities_session s ON s.id = a.session_id
    WHERE s.court_id = %(court)s AND s.status <> %(cancelled)s AND s."end" < %(now)s
      AND s.start >= %(start)s AND s.start < %(end)s
      AND a.status IN (%(present)s, %(late)s)
    GROUP BY a.member_id
    """,
    columns=("sessions_attended",),
    constants=_STATUSES,
)

# Expected attendances follow the audience (activities.selectors.sessions.expected_members):
# the whole court, or active members of the named departments, branches and study groups
# (a group includes its squads), each member once per session. A member on leave (an approved
# 请假, or leave marked by the organizer) is excused: not expected, so not counted absent.
EXPECTED = Source(
    "expected_attendances",
    """
    SELECT 'member', m.id, '', COUNT(*), 0, 0
    FROM activities_session s JOIN members_member m ON m.court_id = s.court_id AND m.is_active
    WHERE s.court_id = %(court)s AND s.status <> %(cancelled)s AND s."end" < %(now)s
      AND s.start >= %(start)s AND s.start < %(end)s
      AND s.audience_court
      AND NOT EXISTS (SELECT 1 FROM activities_attendance l
                      WHERE l.session_id = s.id AND l.member_id = m.id AND l.status = %(leave)s)
    GROUP BY m.id
    UNION ALL
    SELECT 'member', m.id, '', COUNT(*), 0, 0
    FROM activities_session s JOIN members_member m ON m.court_id = s.court_id AND m.is_active
    WHERE s.court_id = %(court)s AND s.status <> %(cancelled)s AND s."end" < %(now)s
      AND s.start >= %(start)s AND s.start < %(end)s
      AND NOT s.audience_court
      AND (m.department_id IN (SELECT d.department_id FROM activities_session_audience_departments d
                               WHERE d.session_id = s.id)
           OR m.party_branch_id IN (SELECT b.partybranch_id FROM activities_session_audience_branches b
                                    WHERE b.session_id = s.id)
           OR m.id IN (SELECT gm.member_id FROM members_studygroupmembership gm
                       JOIN members_studygroup g ON g.id = gm.group_id
                       JOIN activities_session_audience_groups ag ON ag.session_id = s.id
                       WHERE ag.studygroup_id = g.id OR ag.studygroup_id = g.parent_id))
      AND NOT EXISTS (SELECT 1 FROM activities_attendance l
                      WHERE l.session_id = s.id AND l.member_id = m.id AND l.status = %(leave)s)
    GROUP BY m.id
    """,
    columns=("sessions_expected",),
    constants=_STATUSES,
)

SHARES = Source(
    "shares",
    """
    SELECT 'member', c.id, '', c.n, 0, 0 FROM (
        SELECT m.id,
            (SELECT COUNT(*) FROM activities_speaker sp JOIN activities_session s ON s.id = sp.session_id
             WHERE sp.member_id = m.id AND s.status <> %(cancelled)s AND s."end" < %(now)s
               AND s.start >= %(start)s AND s.start < %(end)s)
          + (SELECT COUNT(*) FROM activities_selfreportedshare x
             WHERE x.member_id = m.id AND x.status = %(confirmed)s
               AND x.date >= %(start_date)s AND x.date < %(end_date)s) AS n
        FROM members_member m WHERE m.court_id = %(court)s
    ) c WHERE c.n > 0
    """,
    columns=("shares_given",),
    constants=_STATUSES,
)

SESSION_REFLECTIONS = Source(
    "session_reflections",
    """
    SELECT 'member', x.author_id, '', COUNT(*), 0, 0
    FROM activities_sessionreflection x JOIN members_member m ON m.id = x.author_id
    WHERE m.court_id = %(court)s AND x.created_at >= %(start)s AND x.created_at < %(end)s
    GROUP BY x.author_id
    """,
    columns=("session_reflections",),
)

CONTEST_ENTRIES = Source(
    "contest_entries",
    """
    SELECT 'member', e.member_id, '', COUNT(*), 0, 0
    FROM activities_entry e JOIN members_member m ON m.id = e.member_id
    WHERE m.court_id = %(court)s AND e.created_at >= %(start)s AND e.created_at < %(end)s AND NOT e.by_unit
    GROUP BY e.member_id
    """,
    columns=("contest_entries",),
)

AWARDS = Source(
    "awards",
    """
    SELECT 'member', e.member_id, '', COUNT(*), 0, 0
    FROM activities_award a JOIN activities_entry e ON e.id = a.entry_id
    JOIN members_member m ON m.id = e.member_id
    WHERE m.court_id = %(court)s AND a.created_at >= %(start)s AND a.created_at < %(end)s AND NOT e.by_unit
    GROUP BY e.member_id
    """,
    columns=("awards",),
)

QUIZ_ATTEMPTS = Source(
    "quiz_attempts",
    """
    SELECT 'member', a.member_id, '', COUNT(*), COALESCE(SUM(a.score), 0), COUNT(*) FILTER (WHERE a.passed)
    FROM activities_attempt a JOIN members_member m ON m.id = a.member_id
    WHERE m.court_id = %(court)s AND a.status IN (%(submitted)s, %(expired)s)
      AND a.submitted_at >= %(start)s AND a.submitted_at < %(end)s
    GROUP BY a.member_id
    """,
    columns=("quiz_attempts", "quiz_score_total", "quiz_passed"),
    constants=_STATUSES,
)

# Monthly plans belong to a (year, month): those of the period's months count (a period never
# spans two calendar years). COUNT(i.plan_id) lets PostgreSQL answer from the index alone.
PLANS = Source(
    "plans",
    """
    SELECT 'member', p.member_id, '', COUNT(i.plan_id), COUNT(i.plan_id) FILTER (WHERE i.status = %(done)s),
           CASE WHEN p.reported_at IS NULL THEN 0 ELSE 1 END
    FROM activities_monthlyplan p JOIN members_member m ON m.id = p.member_id
    LEFT JOIN activities_planitem i ON i.plan_id = p.id
    WHERE m.court_id = %(court)s AND p.year = %(year)s AND p.month >= %(month_first)s AND p.month <= %(month_last)s
    GROUP BY p.member_id, p.id, p.reported_at
    """,
    columns=("plan_items", "plan_items_done", "plans_reported"),
    constants=_STATUSES,
)

AUTHORSHIPS = Source(
    "authorships",
    """
    SELECT 'member', c.id, '', c.n, 0, 0 FROM (
        SELECT m.id,
            (SELECT COUNT(*) FROM activities_outputauthor a JOIN activities_researchoutput o ON o.id = a.output_id
             WHERE a.member_id = m.id AND o.date >= %(start_date)s AND o.date < %(end_date)s) AS n
        FROM members_member m WHERE m.court_id = %(court)s
    ) c WHERE c.n > 0
    """,
    columns=("authorships",),
)

# What a unit did: rows (unit kind, unit id, tag, v1, v2, v3) -----------------------------------

DONATIONS = Source(
    "donations",
    """
    SELECT 'court', d.court_id, '', COALESCE(SUM(i.count), 0), 0, 0
    FROM activities_donation d JOIN activities_donationitem i ON i.donation_id = d.id
    WHERE d.court_id = %(court)s AND d.day >= %(start_date)s AND d.day < %(end_date)s
    GROUP BY d.court_id
    """,
    columns=("books_donated",),
)

_HELD = (
    's.court_id = %(court)s AND s.status <> %(cancelled)s AND s."end" < %(now)s'
    " AND s.start >= %(start)s AND s.start < %(end)s"
)

# Held sessions are credited to the court (once) and to the organizing department, branch or group,
# and to each co-host (联学联建) other than the organizing unit itself: each unit once per session
# (the rows of one unit add up, and a co-host is a unique pair of session and unit).
SESSIONS_HELD = Source(
    "sessions_held",
    f"""
    SELECT 'court', s.court_id, '', COUNT(*), 0, 0 FROM activities_session s WHERE {_HELD} GROUP BY s.court_id
    UNION ALL
    SELECT 'department', s.unit_department_id, '', COUNT(*), 0, 0 FROM activities_session s
    WHERE {_HELD} AND s.unit_department_id IS NOT NULL GROUP BY s.unit_department_id
    UNION ALL
    SELECT 'branch', s.unit_branch_id, '', COUNT(*), 0, 0 FROM activities_session s
    WHERE {_HELD} AND s.unit_branch_id IS NOT NULL GROUP BY s.unit_branch_id
    UNION ALL
    SELECT 'group', s.unit_group_id, '', COUNT(*), 0, 0 FROM activities_session s
    WHERE {_HELD} AND s.unit_group_id IS NOT NULL GROUP BY s.unit_group_id
    UNION ALL
    SELECT 'department', c.department_id, '', COUNT(*), 0, 0
    FROM activities_session s JOIN activities_session_cohost_departments c ON c.session_id = s.id
    WHERE {_HELD} AND (s.unit_department_id IS NULL OR s.unit_department_id <> c.department_id)
    GROUP BY c.department_id
    UNION ALL
    SELECT 'branch', c.partybranch_id, '', COUNT(*), 0, 0
    FROM activities_session s JOIN activities_session_cohost_branches c ON c.session_id = s.id
    WHERE {_HELD} AND (s.unit_branch_id IS NULL OR s.unit_branch_id <> c.partybranch_id)
    GROUP BY c.partybranch_id
    UNION ALL
    SELECT 'group', c.studygroup_id, '', COUNT(*), 0, 0
    FROM activities_session s JOIN activities_session_cohost_groups c ON c.session_id = s.id
    WHERE {_HELD} AND (s.unit_group_id IS NULL OR s.unit_group_id <> c.studygroup_id)
    GROUP BY c.studygroup_id
    """,
    columns=("sessions_held",),
    constants=_STATUSES,
)

SESSIONS_BY_KIND = Source(
    "sessions_by_kind",
    f"""
    SELECT 'court', s.court_id, k.code, COUNT(*), 0, 0
    FROM activities_session s JOIN activities_sessionkind k ON k.id = s.kind_id
    WHERE {_HELD} GROUP BY s.court_id, k.code
    """,
    columns=("sessions_held_{tag}",),
    constants=_STATUSES,
)

_OUTPUTS = "o.court_id = %(court)s AND o.date >= %(start_date)s AND o.date < %(end_date)s"

OUTPUTS = Source(
    "outputs",
    f"""
    SELECT 'court', o.court_id, '', COUNT(*), 0, 0 FROM activities_researchoutput o
    WHERE {_OUTPUTS} GROUP BY o.court_id
    """,
    columns=("research_outputs",),
)

OUTPUTS_BY_KIND_AND_LEVEL = Source(
    "outputs_by_kind_and_level",
    f"""
    SELECT 'court', o.court_id, o.kind, COUNT(*), 0, 0 FROM activities_researchoutput o
    WHERE {_OUTPUTS} GROUP BY o.court_id, o.kind
    UNION ALL
    SELECT 'court', o.court_id, o.level, COUNT(*), 0, 0 FROM activities_researchoutput o
    WHERE {_OUTPUTS} AND o.level <> '' GROUP BY o.court_id, o.level
    """,
    columns=("outputs_{tag}",),
)

SOURCES = [
    READING_LOGS,
    REFLECTIONS,
    ATTENDANCES,
    EXPECTED,
    SHARES,
    SESSION_REFLECTIONS,
    CONTEST_ENTRIES,
    AWARDS,
    QUIZ_ATTEMPTS,
    PLANS,
    AUTHORSHIPS,
    DONATIONS,
    SESSIONS_HELD,
    SESSIONS_BY_KIND,
    OUTPUTS,
    OUTPUTS_BY_KIND_AND_LEVEL,
]
