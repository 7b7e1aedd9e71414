"""Hand-written SQL computing the same numbers as a monthly summary build, province-wide.

Each query takes %(start)s / %(end)s (aware datetimes) and %(start_date)s / %(end_date)s
(dates, end exclusive). The benchmark runs them all and compares their time with the
summary build: target ratio ≤ 2.0. Families add theirs as they land.
"""

from __future__ import annotations

ROLLUP = "GROUPING SETS ((x.member_id), (m.department_id), (m.party_branch_id), (m.court_id))"

QUERIES: dict[str, str] = {
    "reading logs and books finished": f"""
        SELECT x.member_id, m.department_id, m.party_branch_id, m.court_id,
               count(*), count(*) FILTER (WHERE x.finished)
        FROM activities_readinglog x JOIN members_member m ON m.id = x.member_id
        WHERE x.day >= %(start_date)s AND x.day < %(end_date)s GROUP BY {ROLLUP}
    """,
    "reflections submitted": """
        SELECT x.author_id AS member_id, m.department_id, m.party_branch_id, m.court_id, count(*)
        FROM activities_reflection x JOIN members_member m ON m.id = x.author_id
        WHERE x.submitted_at >= %(start)s AND x.submitted_at < %(end)s
        GROUP BY GROUPING SETS ((x.author_id), (m.department_id), (m.party_branch_id), (m.court_id))
    """,
    "reflections featured": """
        SELECT x.author_id, m.department_id, m.party_branch_id, m.court_id, count(*)
        FROM activities_reflection x JOIN members_member m ON m.id = x.author_id
        WHERE x.status = 'featured' AND x.featured_at >= %(start)s AND x.featured_at < %(end)s
        GROUP BY GROUPING SETS ((x.author_id), (m.department_id), (m.party_branch_id), (m.court_id))
    """,
    "sessions held": """
        SELECT court_id, unit_department_id, unit_branch_id, unit_group_id, count(*) FROM activities_session
        WHERE status = 'held' AND start >= %(start)s AND start < %(end)s
        GROUP BY GROUPING SETS ((court_id), (unit_department_id), (unit_branch_id), (unit_group_id))
    """,
    "attendances": f"""
        SELECT x.member_id, m.department_id, m.party_branch_id, m.court_id, count(*)
        FROM activities_attendance x JOIN activities_session s ON s.id = x.session_id
        JOIN members_member m ON m.id = x.member_id
        WHERE x.status IN ('present', 'late') AND s.status = 'held' AND s.start >= %(start)s AND s.start < %(end)s
        GROUP BY {ROLLUP}
    """,
    "expected attendances (whole-court sessions)": """
        SELECT m.id, count(*) FROM activities_session s JOIN members_member m ON m.court_id = s.court_id
        WHERE m.is_active AND s.audience_court AND s.status = 'held' AND s.start >= %(start)s AND s.start < %(end)s
        GROUP BY m.id
    """,
    "shares given": f"""
        SELECT x.member_id, m.department_id, m.party_branch_id, m.court_id, count(*)
        FROM activities_speaker x JOIN activities_session s ON s.id = x.session_id
        JOIN members_member m ON m.id = x.member_id
        WHERE s.status = 'held' AND s.start >= %(start)s AND s.start < %(end)s GROUP BY {ROLLUP}
    """,
    "session reflections": """
        SELECT x.author_id, m.department_id, m.party_branch_id, m.court_id, count(*)
        FROM activities_sessionreflection x JOIN members_member m ON m.id = x.author_id
        WHERE x.created_at >= %(start)s AND x.created_at < %(end)s
        GROUP BY GROUPING SETS ((x.author_id), (m.department_id), (m.party_branch_id), (m.court_id))
    """,
    "quiz attempts, scores and passes": f"""
        SELECT x.member_id, m.department_id, m.party_branch_id, m.court_id,
               count(*), sum(x.score), count(*) FILTER (WHERE x.passed)
        FROM activities_attempt x JOIN members_member m ON m.id = x.member_id
        WHERE x.status IN ('submitted', 'expired') AND x.submitted_at >= %(start)s AND x.submitted_at < %(end)s
        GROUP BY {ROLLUP}
    """,
    "plan items and items done": """
        SELECT p.member_id, m.department_id, m.party_branch_id, m.court_id,
               count(*), count(*) FILTER (WHERE i.status = 'done')
        FROM activities_planitem i JOIN activities_monthlyplan p ON p.id = i.plan_id
        JOIN members_member m ON m.id = p.member_id
        WHERE p.year = extract(year FROM %(start_date)s::date) AND p.month = extract(month FROM %(start_date)s::date)
        GROUP BY GROUPING SETS ((p.member_id), (m.department_id), (m.party_branch_id), (m.court_id))
    """,
    "plans reported": """
        SELECT p.member_id, m.department_id, m.party_branch_id, m.court_id, count(*)
        FROM activities_monthlyplan p JOIN members_member m ON m.id = p.member_id
        WHERE p.reported_at IS NOT NULL
          AND p.year = extract(year FROM %(start_date)s::date) AND p.month = extract(month FROM %(start_date)s::date)
        GROUP BY GROUPING SETS ((p.member_id), (m.department_id), (m.party_branch_id), (m.court_id))
    """,
    "research outputs and authorships": """
        SELECT o.court_id, o.kind, o.level, count(*) FROM activities_researchoutput o
        WHERE o.date >= %(start_date)s AND o.date < %(end_date)s
        GROUP BY GROUPING SETS ((o.court_id), (o.court_id, o.kind), (o.court_id, o.level))
    """,
    "members by department, branch and court": """
        SELECT court_id, department_id, party_branch_id, count(*)
        FROM members_member WHERE is_active GROUP BY GROUPING SETS ((court_id), (department_id), (party_branch_id))
    """,
    "members by study group": """
        SELECT g.group_id, count(*) FROM members_studygroupmembership g
        JOIN members_member m ON m.id = g.member_id WHERE m.is_active GROUP BY g.group_id
    """,
}
