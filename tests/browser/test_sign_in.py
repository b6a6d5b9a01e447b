"""Signing in and out in a real browser, JavaScript off; roles see only their pages."""

from conftest import USERS, sign_in, sign_out


def test_sign_in_shows_the_users_work_and_sign_out_ends_it(page, server, steps):
    page.goto(server.url + "/")
    assert page.url.startswith(server.url + "/sign-in")
    steps.shot(page, "sign-in")
    sign_in(page, server, "ivan")
    assert page.locator("h1").inner_text() == "Your work"
    assert "Ivan Inglis" in page.content()
    steps.shot(page, "signed-in")
    sign_out(page)
    page.goto(server.url + "/")
    assert page.url.startswith(server.url + "/sign-in")


def test_a_wrong_passphrase_shows_the_error_summary_linked_to_the_field(page, server, steps):
    page.goto(server.url + "/sign-in")
    page.fill("#user_id", "ada")
    page.fill("#passphrase", "not the passphrase at all")
    page.click("button[type=submit]")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.locator("a").get_attribute("href") == "#passphrase"
    assert page.input_value("#user_id") == "ada", "the typed id is kept"
    steps.shot(page, "error-summary")


def test_an_auditor_is_refused_an_administrators_page(page, server):
    sign_in(page, server, "ada")
    response = page.goto(server.url + "/people")
    assert response.status == 403
    assert "People" not in [a.inner_text() for a in page.locator("nav a").all()]
