from tests.browser.conftest import axe_violations


def test_the_sign_in_page_loads_in_chromium(page, live_server):
    page.goto(f"{live_server.url}/sign-in/")
    assert page.title()
    print(axe_violations(page))
