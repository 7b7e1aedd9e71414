"""The site admin sets a court up in the product; its first organizer logs in and lands on 导入花名册."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from members.models import Court, Member
from tests.browser.conftest import login, shot


def csp_errors(page) -> list[str]:
    return [e for e in page.console_errors if "Content Security Policy" in e]


def test_site_admin_creates_a_court_its_parent_and_its_first_organizer(live_server, password, browser_page, phone_page):
    get_user_model().objects.create_superuser("siteadmin", email="admin@court.example.cn", password=password)
    page = browser_page
    login(page, live_server, "siteadmin", password)
    page.wait_for_url(f"{live_server.url}/members/setup/")  # the set-up, not Django admin
    assert page.locator("#no-courts").is_visible()
    shot(page, "setup-01-no-courts")

    # The basic court first.
    page.click("#setup-nav a[href='/members/setup/courts/new/']")
    page.fill("input[name=name]", "前郭县人民法院")
    page.fill("input[name=code]", "qg")
    shot(page, "setup-02-new-court")
    page.click("#court-form button[type=submit]")
    page.wait_for_selector("#court-state")
    qianguo = Court.objects.get(code="qg")

    # Then its parent, the city's intermediate court, and the basic court moved under it.
    page.click("#setup-nav a[href='/members/setup/courts/new/']")
    page.fill("input[name=name]", "松原市中级人民法院")
    page.fill("input[name=code]", "sy")
    page.click("#court-form button[type=submit]")
    page.wait_for_selector("#court-state")
    page.goto(f"{live_server.url}/members/setup/courts/{qianguo.pk}/edit/")
    page.select_option("select[name=parent]", label="松原市中级人民法院")
    page.click("#court-form button[type=submit]")
    page.wait_for_selector("#court-state")
    assert "松原市中级人民法院" in page.inner_text("main")
    assert Court.objects.get(code="qg").parent.code == "sy"

    # The court has nobody yet: the political department's organizer is created here.
    assert page.locator("#no-members").is_visible()
    shot(page, "setup-03-court-without-organizer")
    page.fill("input[name=create-name]", "王芳")
    page.fill("input[name=create-employee_number]", "1002")
    page.fill("input[name=create-department]", "政治部")
    page.check("input[name=create-role][value=organizer]")
    page.click("#staff-create button[type=submit]")
    page.wait_for_selector("#credential")
    shot(page, "setup-04-initial-password")
    username = page.inner_text("[data-username]").strip()
    initial = page.inner_text("[data-password]").strip()
    assert username == "qg-1002" and len(initial) == 10

    # The tree: the city court with 前郭 below it, organized by 王芳.
    page.click("#back-to-court")
    page.click("#setup-nav a[href='/members/setup/']")
    page.wait_for_selector("#court-tree")
    rows = page.locator("#court-tree tbody tr")
    assert rows.nth(0).get_attribute("data-court") == "sy" and rows.nth(1).get_attribute("data-court") == "qg"
    assert "王芳" in rows.nth(1).inner_text()
    shot(page, "setup-05-court-tree")

    # Django admin is one link away, in Chinese, and its 查看站点 leads back to the product.
    page.click("#to-admin")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert "登录保护" in page.inner_text("#content-main") and "Access attempts" not in page.content()
    shot(page, "setup-06-django-admin")
    page.click("#user-tools a:has-text('查看站点')")
    page.wait_for_url(f"{live_server.url}/members/setup/")
    assert not csp_errors(page), page.console_errors

    # The organizer logs in on a phone, chooses a password, and lands on 导入花名册.
    phone = phone_page
    login(phone, live_server, username, initial)
    phone.wait_for_url(f"{live_server.url}/accounts/password/?first=1")
    phone.fill("input[name=old_password]", initial)
    phone.fill("input[name=new_password1]", "Qianguo-xuexi-2026")
    phone.fill("input[name=new_password2]", "Qianguo-xuexi-2026")
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/members/roster/import/")
    shot(phone, "setup-07-organizer-lands-on-roster-import")
    assert not Member.objects.get(employee_number="1002").must_change_password

    # The organizer keeps the court's own holidays over the national arrangement.
    phone.goto(f"{live_server.url}/activities/courts/{qianguo.pk}/holidays/?year=2026")
    phone.fill("input[name=date]", "2026-10-05")
    phone.check("input[name=kind][value=workday]")
    phone.fill("input[name=name]", "审判周")
    phone.click("#holiday-form button[type=submit]")
    phone.wait_for_selector("#holidays tr[data-date='2026-10-05'][data-kind='workday']")
    shot(phone, "setup-08-court-holidays")
    assert not csp_errors(phone), phone.console_errors
