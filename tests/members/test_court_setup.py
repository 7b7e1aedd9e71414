"""The site admin sets courts up in the product: a city court, a basic court below it, its first organizer.

Nobody else has these pages (404). The first organizer logs in with the printed initial password,
chooses their own, and lands on 导入花名册.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from members.models import AuditEvent, Court, Member
from tests.access import ROLES
from tests.factories import make_court, make_member


@pytest.fixture
def site_admin(db):
    user = get_user_model().objects.create_superuser("root", email="root@court.example.cn", password="x")
    client = Client()
    client.force_login(user, backend="members.backends.MemberModelBackend")
    return client


def test_site_admin_sets_up_a_city_court_a_basic_court_and_its_first_organizer(site_admin):
    # After login the site admin lands on the courts, not on Django admin (one link away).
    landing = site_admin.get(reverse("home"))
    assert landing.url == reverse("members:setup_courts")
    page = site_admin.get(landing.url).content.decode()
    assert "还没有法院" in page and reverse("admin:index") in page

    response = site_admin.post(reverse("members:setup_court_new"), {"name": "松原市中级人民法院", "code": "SY"})
    city = Court.objects.get(code="sy")  # codes are lower case, like login names
    assert response.url == reverse("members:setup_court", args=[city.pk])
    response = site_admin.post(
        reverse("members:setup_court_new"), {"name": "前郭县人民法院", "code": "qg", "parent": city.pk}
    )
    court = Court.objects.get(code="qg")
    assert court.parent == city

    # The court has nobody yet: the site admin creates the political department's organizer.
    setup_url = reverse("members:setup_court", args=[court.pk])
    assert "本院还没有人员" in site_admin.get(setup_url).content.decode()
    response = site_admin.post(
        setup_url,
        {
            "action": "create",
            "create-name": "王  芳",
            "create-employee_number": "1002",
            "create-department": "政治部",
            "create-role": "organizer",
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # the initial password is shown once
    slip = response.content.decode()
    username = re.search(r"data-username>([^<]+)<", slip)[1]
    password = re.search(r"data-password>([^<]+)<", slip)[1]
    organizer = Member.objects.get(court=court, employee_number="1002")
    assert (organizer.name, organizer.role, organizer.department.name) == ("王芳", "organizer", "政治部")
    assert username == organizer.user.username == "qg-1002" and organizer.must_change_password
    assert not organizer.user.check_password("x") and password not in organizer.user.password

    # The tree shows the city with the basic court below it, and who organizes it.
    tree = site_admin.get(reverse("members:setup_courts")).context["rows"]
    assert [(row.court.code, row.level) for row in tree] == [("sy", 1), ("qg", 2)]
    assert [m.name for m in tree[1].organizers] == ["王芳"] and tree[1].members == 1
    assert {"court.created", "member.created"} <= set(AuditEvent.objects.values_list("action", flat=True))

    # The organizer logs in with the slip, chooses a password, and lands on 导入花名册.
    browser = Client()
    response = browser.post(reverse("login"), {"username": username, "password": password}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("password_change"))
    response = browser.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Qianguo-2026-court", "new_password2": "Qianguo-2026-court"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("members:roster_import")
    assert "导入花名册" in response.content.decode()


def test_site_admin_names_an_existing_member_leader_and_edits_the_court(site_admin):
    city = make_court("松原市中级人民法院", "sy")
    court = make_court("前郭县人民法院", "qg")
    president = make_member(court, "赵建国")
    response = site_admin.post(
        reverse("members:setup_court", args=[court.pk]),
        {"action": "pick", "pick-member": president.pk, "pick-role": "leader"},
    )
    assert response.status_code == 302
    president.refresh_from_db()
    assert president.role == Member.Role.LEADER
    response = site_admin.post(
        reverse("members:setup_court_edit", args=[court.pk]),
        {"name": "前郭县人民法院", "code": "qg", "parent": city.pk},
    )
    assert response.status_code == 302
    court.refresh_from_db()
    assert court.parent == city


@pytest.mark.parametrize(
    "data,field",
    [
        ({"name": "前郭县人民法院", "code": "qg"}, "name"),  # the name is taken
        ({"name": "另一个法院", "code": "QG"}, "code"),  # the code is taken, whatever its case
        ({"name": "另一个法院", "code": "前郭"}, "code"),  # not letters, digits and hyphens
        ({"name": "另一个法院", "code": "x" * 31}, "code"),
        ({"name": "", "code": "ok"}, "name"),
        ({"name": "另一个法院", "code": "ok", "parent": "999999"}, "parent"),
    ],
)
def test_a_bad_court_is_a_form_error_never_a_500(site_admin, data, field):
    make_court("前郭县人民法院", "qg")
    response = site_admin.post(reverse("members:setup_court_new"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Court.objects.count() == 1


def test_the_tree_stays_a_tree_three_levels_deep(site_admin):
    province = make_court("吉林省高级人民法院", "jl")
    city = make_court("松原市中级人民法院", "sy", parent=province)
    basic = make_court("前郭县人民法院", "qg", parent=city)
    edit = reverse("members:setup_court_edit", args=[province.pk])
    # The province under its own basic court: not offered, and refused if posted.
    response = site_admin.post(edit, {"name": province.name, "code": "jl", "parent": basic.pk})
    assert "parent" in response.context["form"].errors
    # A fourth level is refused.
    response = site_admin.post(
        reverse("members:setup_court_new"), {"name": "某法庭", "code": "fating", "parent": basic.pk}
    )
    assert "parent" in response.context["form"].errors
    # Moving the city (with a court below) under a city of the province would make four levels too.
    other_city = make_court("白城市中级人民法院", "bc", parent=province)
    response = site_admin.post(
        reverse("members:setup_court_edit", args=[city.pk]), {"name": city.name, "code": "sy", "parent": other_city.pk}
    )
    assert "parent" in response.context["form"].errors
    city.refresh_from_db()
    assert city.parent == province


def test_the_staff_forms_refuse_bad_input(site_admin):
    court = make_court("前郭县人民法院", "qg")
    other = make_court("辽源市龙山区人民法院", "ls")
    existing = make_member(court, "张明")
    outsider = make_member(other, "刘洋")
    url = reverse("members:setup_court", args=[court.pk])
    cases = [
        {"action": "create", "create-name": "李静", "create-employee_number": existing.employee_number,
         "create-role": "organizer"},  # the 工号 is someone's
        {"action": "create", "create-name": "李静", "create-employee_number": "2001", "create-role": "member"},
        {"action": "create", "create-name": "", "create-employee_number": "2001", "create-role": "leader"},
        {"action": "pick", "pick-member": outsider.pk, "pick-role": "organizer"},  # another court's
        {"action": "pick", "pick-member": "abc", "pick-role": "organizer"},
    ]  # fmt: skip
    for data in cases:
        response = site_admin.post(url, data)
        assert response.status_code == 200, data
    assert Member.objects.filter(court=court).count() == 1
    assert not Member.objects.filter(role__in=["organizer", "leader"]).exists()


SETUP_URLS = [
    ("members:setup_courts", False),
    ("members:setup_court_new", False),
    ("members:setup_court", True),
    ("members:setup_court_edit", True),
]


@pytest.mark.parametrize("name,with_court", SETUP_URLS)
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anon"])
def test_nobody_but_a_site_admin_has_the_setup_pages(cast, name, with_court, role):
    url = reverse(name, args=[cast.court.pk] if with_court else [])
    client = cast.client_for(role)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x", "code": "x", "action": "create"}).status_code == 404
    assert Court.objects.count() == 3


def test_a_staff_user_who_is_not_superuser_gets_404_too(cast):
    user = get_user_model().objects.create_user("staff", password="x", is_staff=True)
    client = Client()
    client.force_login(user, backend="members.backends.MemberModelBackend")
    assert client.get(reverse("members:setup_courts")).status_code == 404


def _courts(n: int, start: int) -> None:
    city = make_court(f"第{start}市中级人民法院", f"c{start}")
    for i in range(n):
        court = make_court(f"第{start}-{i}基层法院", f"b{start}-{i}", parent=city)
        make_member(court, f"组织者{i}", role=Member.Role.ORGANIZER)
        make_member(court, f"院长{i}", role=Member.Role.LEADER)


def test_the_court_tree_reads_a_fixed_number_of_queries(site_admin, django_assert_max_num_queries):
    _courts(2, 1)
    site_admin.get(reverse("members:setup_courts"))
    with django_assert_max_num_queries(6):
        site_admin.get(reverse("members:setup_courts"))
    _courts(12, 2)
    with django_assert_max_num_queries(6):
        response = site_admin.get(reverse("members:setup_courts"))
    assert len(response.context["rows"]) == 2 + 1 + 12 + 1
