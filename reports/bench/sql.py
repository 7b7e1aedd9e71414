"""Hand-written SQL computing the same numbers as a monthly summary build, province-wide.

Each query takes %(start)s / %(end)s (aware datetimes) and %(start_date)s / %(end_date)s
(dates, end exclusive). The benchmark runs them all and compares their time with the
summary build: target ratio ≤ 2.0. Families add theirs as they land.
"""

from __future__ import annotations

QUERIES: dict[str, str] = {
    "members by department, branch and court": """
        SELECT court_id, department_id, party_branch_id, count(*)
        FROM members_member WHERE is_active GROUP BY GROUPING SETS ((court_id), (department_id), (party_branch_id))
    """,
    "members by study group": """
        SELECT g.group_id, count(*) FROM members_studygroupmembership g
        JOIN members_member m ON m.id = g.member_id WHERE m.is_active GROUP BY g.group_id
    """,
}
