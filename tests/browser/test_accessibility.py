"""Every page each role can reach, checked with axe-core (axe-playwright-python): no serious
or critical violation of WCAG 2.2 AA. Public bodies must meet it (Public Sector Bodies
Accessibility Regulations 2018)."""

from urllib.parse import urljoin, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import USERS, sign_in

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SKIP = (".csv", ".ics", ".txt")
PAGES_PER_ROLE = 40


def serious(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(n['target'][0] for n in v['nodes'][:3])}"
        for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]


def crawl(page, start, origin):
    """Same-origin pages reachable by GET links from the start, breadth first."""
    seen, queue, found = set(), [start], []
    while queue and len(found) < PAGES_PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        if response is None or response.status >= 400:
            continue
        found.append(url)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            target = urljoin(url, href).split("#")[0]
            if urlparse(target).netloc == urlparse(origin).netloc and not target.endswith(SKIP) and target not in seen:
                queue.append(target)
    return found


@pytest.fixture(scope="module")
def populated(server):
    """A case through its life, written by the CLI, so the crawl meets case pages, the
    timeline, the queue, looks and the record with rows."""
    def ok(*arguments, user=None):
        result = server.ripa(*arguments, user=user)
        assert result.returncode in (0, 2), result.stdout + result.stderr
        return result.stdout
    for operation in ("Mill Lane", "Canal Street"):
        ok("apply", "--type", "directed-surveillance", "--operation", operation, "--purpose", "fly-tipping",
           "--subject", "Jo Bloggs", "--online-identity", "https://www.facebook.com/jo.bloggs", "--offence", "epa-1990-s33",
           "--necessity", "n", "--proportionality", "p", "--collateral-intrusion", "c", user="ivan")
    ok("grant", "DS-" + __import__("datetime").date.today().strftime("%Y") + "-0001", "--reasons", "necessary", user="mo")
    ok("view", "https://www.facebook.com/jo.bloggs", "--case", "Mill Lane", "--purpose", "first look", user="ivan")
    ok("view", "https://www.facebook.com/jo.bloggs", "--case", "Mill Lane", "--purpose", "repeat", user="ivan")
    return server


@pytest.fixture
def axe_page(browser, populated):
    # axe runs as a script in the page: this context allows scripts (the pages have none)
    # and lets axe in past the Content-Security-Policy.
    context = browser.new_context(java_script_enabled=True, bypass_csp=True, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def test_the_sign_in_and_invitation_pages(axe_page, server):
    problems = {}
    for path in ("/sign-in", "/invitation"):
        axe_page.goto(server.url + path)
        if found := serious(axe_page):
            problems[path] = found
    assert not problems, problems


@pytest.mark.parametrize("user", sorted(USERS))
def test_every_page_a_role_can_reach(axe_page, server, user):
    sign_in(axe_page, server, user)
    pages = crawl(axe_page, server.url + "/", server.url)
    assert len(pages) >= 3, pages
    problems = {}
    for url in pages:
        axe_page.goto(url)
        if found := serious(axe_page):
            problems[url] = found
    assert not problems, problems


def test_an_error_summary_page(axe_page, server):
    axe_page.goto(server.url + "/sign-in")
    axe_page.fill("#user_id", "ada")
    axe_page.click("button[type=submit]")
    assert axe_page.locator(".error-summary").is_visible()
    assert not serious(axe_page)
