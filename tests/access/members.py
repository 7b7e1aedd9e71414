from . import Case, everyone

CASES = [
    Case("home", everyone(302)),
    Case("my_learning", everyone()),
    Case("manage", {"organizer": 200}),
    Case("healthz", everyone(), anon=200),
    Case("login", everyone(302), anon=200),
    Case("logout", everyone(302), method="post", anon=302),
    Case("password_change", everyone()),
    Case("set_language", everyone(302), method="post", anon=302, data=lambda cast: {"language": "en"}),
    Case("members:notification_list", everyone()),
    Case("members:notification_read_all", everyone(302), method="post"),
    Case(
        "members:notification_read",
        # A notification of the member's: only they can open it; for anyone else it does not exist.
        everyone(404, member=302),
        args=lambda cast: [cast.member.notifications.create(kind="test", text="hi").pk],
        method="post",
    ),
    Case("members:my_court", everyone(302)),
    Case("members:court_detail", everyone(200, outsider=404), args=lambda cast: [cast.court.pk]),
    Case(
        "members:court_detail",
        everyone(404, outsider=200, city_leader=200),
        args=lambda cast: [cast.other_court.pk],
    ),
    Case("members:member_list", everyone()),
    Case("members:member_detail", everyone(200, outsider=404), args=lambda cast: [cast.member.pk]),
]
