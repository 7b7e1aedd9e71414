from . import Case

# Leaders read their court and the courts below; the court-wide organizer reads (and rebuilds)
# their own court; members and outsiders have no dashboard.
READERS = {"leader": 200, "city_leader": 200, "organizer": 200}


def own_court(cast) -> list:
    return [cast.court.pk]


def sibling_court(cast) -> list:
    return [cast.other_court.pk]


CASES = [
    Case("reports:dashboard", READERS),
    Case("reports:dashboard", {"leader": 404, "organizer": 404, "city_leader": 404}, query="?court=0"),
    Case(
        "reports:unit_detail",
        {**READERS, "member": 404, "colleague": 404, "outsider": 404},
        args=lambda cast: [cast.court.pk, "department", cast.department.pk],
        default=404,
    ),
    Case(
        "reports:unit_detail",
        {"city_leader": 200},
        args=lambda cast: [cast.other_court.pk, "department", cast.other_department.pk],
        default=404,
    ),
    Case(
        "reports:rebuild",
        {"organizer": 302, "leader": 403, "city_leader": 403},
        args=own_court,
        method="post",
        data=lambda cast: {"period": "2026-10"},
        default=404,
    ),
    Case("reports:build_status", READERS, args=own_court, query="?period=2026-10", default=404),
    Case("reports:export_xlsx", READERS, args=own_court, query="?period=2026-10", default=404),
    # The Word draft is written from the period's stored facts; the cast's period was never built,
    # so readers are sent to the preview, which says so (302). Outsiders still get 404.
    # A period never built is built first, so the file comes straight away.
    Case("reports:export_docx", READERS, args=own_court, query="?period=2026-Q3", default=404),
    Case("reports:export_docx", {"city_leader": 200}, args=sibling_court, default=404),
    Case("reports:summary_preview", READERS, args=own_court, query="?period=2026-Q3", default=404),
    Case("reports:summary_preview", {"city_leader": 200}, args=sibling_court, query="?scope=tree", default=404),
    Case("reports:template_edit", {"organizer": 200, "leader": 403, "city_leader": 403}, args=own_court, default=404),
    Case("reports:member_profile", {**READERS, "member": 200}, args=lambda cast: [cast.member.pk], default=404),
]

CASES.append(
    Case("reports:points_edit", {"organizer": 200, "leader": 403, "city_leader": 403}, args=own_court, default=404)
)
