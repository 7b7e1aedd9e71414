"""The political department imports a roster; a new member logs in with the printed password."""

from __future__ import annotations

from members.models import Department, Member
from tests.browser.conftest import login, shot
from tests.members.rosters import NEW_PEOPLE, xlsx_bytes


def csp_errors(page) -> list[str]:
    return [e for e in page.console_errors if "Content Security Policy" in e]


def test_organizer_imports_a_roster_and_a_new_member_starts_learning(
    live_server, cast, password, browser_page, phone_page, tmp_path
):
    rows = [
        *NEW_PEOPLE,
        ["郑凯", "3004", "知识产权庭", "审判", "员额法官", "中共党员", "第一党支部", "", "1988-07-15", ""],
    ]
    roster_file = tmp_path / "前郭法院花名册.xlsx"
    roster_file.write_bytes(xlsx_bytes(rows, title="前郭县人民法院干警花名册"))

    # The organizer uploads the roster from 管理.
    page = browser_page
    login(page, live_server, "organizer", password)
    page.wait_for_url(f"{live_server.url}/manage/")
    page.click("a[href='/members/roster/import/']")
    page.set_input_files("input[name=file]", str(roster_file))
    shot(page, "foundation-01-roster-upload")
    page.click("#roster-upload button[type=submit]")

    # The preview: the court's first roster, so the department it does not have yet (知识产权庭) is
    # ticked for creation from the start and all four rows are new; a misspelling could be unticked.
    page.wait_for_selector("#roster-rows")
    assert page.inner_text("#count-new") == "4" and page.inner_text("#count-error") == "0"
    assert page.locator("#roster-units input[value='department:知识产权庭']").is_checked()
    assert page.locator("#roster-import-rest").count() == 0
    assert not Department.objects.filter(name="知识产权庭").exists()  # nothing saved before confirming
    shot(page, "foundation-03-roster-preview")

    # Confirm, and the initial passwords are there to print.
    page.click("#roster-confirm button[type=submit]")
    page.wait_for_selector("#credentials")
    shot(page, "foundation-04-initial-passwords")
    row = page.locator("#credentials tbody tr", has_text="孙丽")
    username = row.locator("[data-username]").inner_text().strip()
    initial = row.locator("[data-password]").inner_text().strip()
    assert username == "qg-3001" and len(initial) == 10
    assert Member.objects.get(employee_number="3004").department.name == "知识产权庭"
    assert not csp_errors(page), page.console_errors

    # The new member logs in on a phone and must choose a password first.
    phone = phone_page
    login(phone, live_server, username, initial)
    phone.wait_for_url(f"{live_server.url}/accounts/password/?first=1")
    shot(phone, "foundation-05-first-login-password-change")
    phone.fill("input[name=old_password]", initial)
    phone.fill("input[name=new_password1]", "Qianguo-xuexi-2026")
    phone.fill("input[name=new_password2]", "Qianguo-xuexi-2026")
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/me/")
    assert "孙丽" in phone.content()
    shot(phone, "foundation-06-my-learning")
    assert not Member.objects.get(employee_number="3001").must_change_password
    assert not csp_errors(phone), phone.console_errors
