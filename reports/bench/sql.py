"""Hand-written SQL computing the same numbers as a monthly summary build, province-wide.

What a person would write by hand for the whole province at once: every member's numbers in
one statement (a CTE per table, joined on the member), rolled up with GROUPING SETS into
departments, party branches and courts, plus study groups; what units did (sessions held,
donations, outputs) in a second. The queries take a period's parameters and the build's
time, as the build's sources do (reports.metrics.period_sql_params). The build names nothing
(what happened by name is the facts' job, reports.services.facts_build), so neither do these.

`make bench` times them against the summary build (target ratio ≤ 2.0), and
tests/reports/test_bench_sql.py checks on PostgreSQL that they give the build's numbers.
"""

from __future__ import annotations

# Held: not cancelled and ended by the build's time (activities.models.sessions.session_is_held).
_WINDOW = "s.status <> 'cancelled' AND s.\"end\" < %(now)s AND s.start >= %(start)s AND s.start < %(end)s"

# Every stored member metric, in the order of the member statement's value columns.
MEMBER_METRICS = [
    "members",
    "active_members",
    "reading_logs",
    "books_finished",
    "reflections_submitted",
    "reflections_featured",
    "sessions_attended",
    "sessions_expected",
    "shares_given",
    "session_reflections",
    "contest_entries",
    "awards",
    "quiz_attempts",
    "quiz_score_total",
    "quiz_passed",
    "plan_items",
    "plan_items_done",
    "plans_reported",
    "authorships",
]
# The outputs (a member with any of them is active), as in reports/catalogue.py.
OUTPUTS = [
    "reading_logs",
    "books_finished",
    "reflections_submitted",
    "sessions_attended",
    "shares_given",
    "session_reflections",
    "contest_entries",
    "quiz_attempts",
    "plans_reported",
    "authorships",
]
_SOURCES = {  # metric -> the CTE that has it
    "reading_logs": "rl",
    "books_finished": "rl",
    "reflections_submitted": "rf",
    "reflections_featured": "rf",
    "sessions_attended": "att",
    "sessions_expected": "exp",
    "shares_given": "sh",
    "session_reflections": "sr",
    "contest_entries": "en",
    "awards": "aw",
    "quiz_attempts": "qz",
    "quiz_score_total": "qz",
    "quiz_passed": "qz",
    "plan_items": "pl",
    "plan_items_done": "pl",
    "plans_reported": "pl",
    "authorships": "au",
}
_JOINS = "\n".join(f"LEFT JOIN {cte} ON {cte}.member_id = m.id" for cte in dict.fromkeys(_SOURCES.values()))
_VALUES = ",\n".join(f"COALESCE({cte}.{metric}, 0) AS {metric}" for metric, cte in _SOURCES.items())
_ACTIVE = " + ".join(f"COALESCE({_SOURCES[metric]}.{metric}, 0)" for metric in OUTPUTS)
_SUMS = ", ".join(f"SUM(p.{metric})" for metric in MEMBER_METRICS)

MEMBERS = f"""
WITH
rl AS (SELECT r.member_id, COUNT(*) AS reading_logs, COUNT(*) FILTER (WHERE r.finished) AS books_finished
       FROM members_member m JOIN activities_readinglog r ON r.member_id = m.id
       WHERE r.day >= %(start_date)s AND r.day < %(end_date)s GROUP BY r.member_id),
rf AS (SELECT r.author_id AS member_id,
              COUNT(*) FILTER (WHERE r.submitted_at >= %(start)s AND r.submitted_at < %(end)s)
                  AS reflections_submitted,
              COUNT(*) FILTER (WHERE r.status = 'featured' AND r.featured_at >= %(start)s AND r.featured_at < %(end)s)
                  AS reflections_featured
       FROM members_member m JOIN activities_reflection r ON r.author_id = m.id
       WHERE (r.submitted_at >= %(start)s AND r.submitted_at < %(end)s)
          OR (r.status = 'featured' AND r.featured_at >= %(start)s AND r.featured_at < %(end)s)
       GROUP BY r.author_id),
att AS (SELECT a.member_id, COUNT(*) AS sessions_attended
        FROM activities_attendance a JOIN activities_session s ON s.id = a.session_id
        JOIN members_member m ON m.id = a.member_id AND m.court_id = s.court_id
        WHERE {_WINDOW} AND a.status IN ('present', 'late') GROUP BY a.member_id),
exp AS (SELECT member_id, COUNT(*) AS sessions_expected FROM (
            SELECT s.id AS session_id, m.id AS member_id FROM activities_session s
            JOIN members_member m ON m.court_id = s.court_id AND m.is_active WHERE {_WINDOW} AND s.audience_court
            UNION
            SELECT s.id, m.id FROM activities_session s
            JOIN activities_session_audience_departments d ON d.session_id = s.id
            JOIN members_member m ON m.department_id = d.department_id AND m.court_id = s.court_id AND m.is_active
            WHERE {_WINDOW} AND NOT s.audience_court
            UNION
            SELECT s.id, m.id FROM activities_session s
            JOIN activities_session_audience_branches b ON b.session_id = s.id
            JOIN members_member m ON m.party_branch_id = b.partybranch_id AND m.court_id = s.court_id AND m.is_active
            WHERE {_WINDOW} AND NOT s.audience_court
            UNION
            SELECT s.id, m.id FROM activities_session s
            JOIN activities_session_audience_groups ag ON ag.session_id = s.id
            JOIN members_studygroup g ON g.id = ag.studygroup_id OR g.parent_id = ag.studygroup_id
            JOIN members_studygroupmembership gm ON gm.group_id = g.id
            JOIN members_member m ON m.id = gm.member_id AND m.court_id = s.court_id AND m.is_active
            WHERE {_WINDOW} AND NOT s.audience_court
        ) expected
        WHERE NOT EXISTS (SELECT 1 FROM activities_attendance l WHERE l.session_id = expected.session_id
                          AND l.member_id = expected.member_id AND l.status = 'leave')
        GROUP BY member_id),
sh AS (SELECT member_id, COUNT(*) AS shares_given FROM (
           SELECT sp.member_id FROM activities_speaker sp JOIN activities_session s ON s.id = sp.session_id
           WHERE {_WINDOW} AND sp.member_id IS NOT NULL
           UNION ALL
           SELECT member_id FROM activities_selfreportedshare
           WHERE status = 'confirmed' AND date >= %(start_date)s AND date < %(end_date)s
       ) talks GROUP BY member_id),
sr AS (SELECT x.author_id AS member_id, COUNT(*) AS session_reflections
       FROM members_member m JOIN activities_sessionreflection x ON x.author_id = m.id
       WHERE x.created_at >= %(start)s AND x.created_at < %(end)s GROUP BY x.author_id),
en AS (SELECT member_id, COUNT(*) AS contest_entries FROM activities_entry
       WHERE created_at >= %(start)s AND created_at < %(end)s GROUP BY member_id),
aw AS (SELECT e.member_id, COUNT(*) AS awards FROM activities_award a JOIN activities_entry e ON e.id = a.entry_id
       WHERE a.created_at >= %(start)s AND a.created_at < %(end)s GROUP BY e.member_id),
qz AS (SELECT a.member_id, COUNT(*) AS quiz_attempts, SUM(a.score) AS quiz_score_total,
              COUNT(*) FILTER (WHERE a.passed) AS quiz_passed
       FROM members_member m JOIN activities_attempt a ON a.member_id = m.id
       WHERE a.status IN ('submitted', 'expired') AND a.submitted_at >= %(start)s AND a.submitted_at < %(end)s
       GROUP BY a.member_id),
pl AS (SELECT p.member_id, COUNT(i.id) AS plan_items, COUNT(i.id) FILTER (WHERE i.status = 'done') AS plan_items_done,
              COUNT(DISTINCT p.id) FILTER (WHERE p.reported_at IS NOT NULL) AS plans_reported
       FROM members_member m JOIN activities_monthlyplan p ON p.member_id = m.id
       LEFT JOIN activities_planitem i ON i.plan_id = p.id
       WHERE p.year = %(year)s AND p.month BETWEEN %(month_first)s AND %(month_last)s GROUP BY p.member_id),
au AS (SELECT a.member_id, COUNT(*) AS authorships FROM activities_outputauthor a
       JOIN activities_researchoutput o ON o.id = a.output_id
       WHERE o.date >= %(start_date)s AND o.date < %(end_date)s AND a.member_id IS NOT NULL GROUP BY a.member_id),
p AS (SELECT m.id AS member_id, m.department_id, m.party_branch_id, m.court_id,
             CASE WHEN m.is_active THEN 1 ELSE 0 END AS members,
             CASE WHEN {_ACTIVE} > 0 THEN 1 ELSE 0 END AS active_members,
             {_VALUES}
      FROM members_member m
      {_JOINS})
SELECT CASE WHEN GROUPING(p.member_id) = 0 THEN 'member' WHEN GROUPING(p.department_id) = 0 THEN 'department'
            WHEN GROUPING(p.party_branch_id) = 0 THEN 'branch' ELSE 'court' END,
       COALESCE(p.member_id, p.department_id, p.party_branch_id, p.court_id), {_SUMS}
FROM p GROUP BY GROUPING SETS ((p.member_id), (p.department_id), (p.party_branch_id), (p.court_id))
UNION ALL
SELECT 'group', g.group_id, {_SUMS}
FROM p JOIN members_studygroupmembership g ON g.member_id = p.member_id GROUP BY g.group_id
"""

# What units did: rows (unit kind, unit id, metric, value).
UNITS = f"""
SELECT 'court', s.court_id, 'sessions_held', COUNT(*) FROM activities_session s WHERE {_WINDOW} GROUP BY s.court_id
UNION ALL
SELECT 'court', s.court_id, 'sessions_held_' || k.code, COUNT(*)
FROM activities_session s JOIN activities_sessionkind k ON k.id = s.kind_id WHERE {_WINDOW} GROUP BY s.court_id, k.code
UNION ALL
SELECT u.kind, u.unit_id, 'sessions_held', COUNT(*) FROM (
    SELECT s.id, 'department' AS kind, s.unit_department_id AS unit_id FROM activities_session s
    WHERE {_WINDOW} AND s.unit_department_id IS NOT NULL
    UNION SELECT s.id, 'branch', s.unit_branch_id FROM activities_session s
    WHERE {_WINDOW} AND s.unit_branch_id IS NOT NULL
    UNION SELECT s.id, 'group', s.unit_group_id FROM activities_session s
    WHERE {_WINDOW} AND s.unit_group_id IS NOT NULL
    UNION SELECT s.id, 'department', c.department_id
    FROM activities_session s JOIN activities_session_cohost_departments c ON c.session_id = s.id WHERE {_WINDOW}
    UNION SELECT s.id, 'branch', c.partybranch_id
    FROM activities_session s JOIN activities_session_cohost_branches c ON c.session_id = s.id WHERE {_WINDOW}
    UNION SELECT s.id, 'group', c.studygroup_id
    FROM activities_session s JOIN activities_session_cohost_groups c ON c.session_id = s.id WHERE {_WINDOW}
) u GROUP BY u.kind, u.unit_id
UNION ALL
SELECT 'court', d.court_id, 'books_donated', SUM(i.count)
FROM activities_donation d JOIN activities_donationitem i ON i.donation_id = d.id
WHERE d.day >= %(start_date)s AND d.day < %(end_date)s GROUP BY d.court_id
UNION ALL
SELECT 'court', o.court_id,
       CASE WHEN GROUPING(o.kind) = 0 THEN 'outputs_' || o.kind
            WHEN GROUPING(o.level) = 0 THEN 'outputs_' || o.level ELSE 'research_outputs' END,
       COUNT(*)
FROM activities_researchoutput o WHERE o.date >= %(start_date)s AND o.date < %(end_date)s
GROUP BY GROUPING SETS ((o.court_id), (o.court_id, o.kind), (o.court_id, o.level))
HAVING GROUPING(o.level) = 1 OR o.level <> ''
"""

QUERIES: dict[str, str] = {
    "every member's numbers, rolled up into departments, branches, groups and courts": MEMBERS,
    "what units did: sessions held, donations, research outputs": UNITS,
}
