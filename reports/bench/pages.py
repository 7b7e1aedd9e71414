"""The main pages the benchmark measures: (name, who, url)."""

from __future__ import annotations

from members.models import Court, Member


def people(province: Court, basic: Court) -> dict[str, Member]:
    members = Member.objects.filter(court=basic).order_by("employee_number")
    return {
        "member": members.filter(role=Member.Role.MEMBER).first(),
        "organizer": members.filter(role=Member.Role.ORGANIZER).first(),
        "court_leader": members.filter(role=Member.Role.LEADER).first(),
        "province_leader": Member.objects.filter(court=province, role=Member.Role.LEADER).first(),
    }


def pages(province: Court, basic: Court) -> list[tuple[str, Member, str]]:
    who = people(province, basic)
    return [
        ("my_learning", who["member"], "/me/"),
        ("member_list", who["organizer"], "/members/people/"),
        ("dashboard_court_leader", who["court_leader"], "/reports/dashboard/?period=2026-10"),
        ("dashboard_province_leader", who["province_leader"], "/reports/dashboard/?period=2026-10"),
        ("dashboard_province_tree", who["province_leader"], "/reports/dashboard/?period=2026-10&scope=tree"),
    ]
