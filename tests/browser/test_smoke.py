"""The login page renders in Chinese, with its assets and no CSP violations."""

from tests.browser.conftest import login, shot


def test_member_logs_in_and_sees_my_learning(live_server, cast, password, phone_page):
    phone_page.goto(f"{live_server.url}/accounts/login/")
    assert "登录" in phone_page.content() or "Log in" in phone_page.content()
    login(phone_page, live_server, "member", password)
    phone_page.wait_for_url(f"{live_server.url}/me/")
    shot(phone_page, "smoke-my-learning")
    assert not [e for e in phone_page.console_errors if "Content Security Policy" in e], phone_page.console_errors
