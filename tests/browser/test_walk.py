"""The whole case in a real browser (Debian's Chromium, JavaScript off), as its three user
groups walk it: an application refused at the threshold, one granted, a JP decision recorded
with the order, a first look allowed and the profile opened (the platform learns nothing of
the register), the repeat refused, then allowed under the authorisation, a cancellation, and
the inspector filtering the central record, downloading the CSV and running verify. The CLI
then replays what the browser wrote."""

import csv
import io
import re
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest

from conftest import USERS, sign_in, sign_out


class Platform:
    """A stand-in social-media platform on loopback that notes what each visit tells it."""

    def __init__(self):
        visits = self.visits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                visits.append({"path": self.path, "referer": self.headers.get("Referer")})
                body = b"<!DOCTYPE html><html lang=en><title>Profile</title><h1>Jo Bloggs</h1></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


@pytest.fixture
def platform():
    p = Platform()
    yield p
    p.stop()


def apply(page, server, operation, offence, profile=None, subject="Jo Bloggs"):
    page.goto(server.url + "/applications/new")
    page.check("input[name=type][value=directed-surveillance]")
    page.fill("#operation", operation)
    page.fill("#purpose", "identify who is fly-tipping at Mill Lane")
    page.fill("#subject1_name", subject)
    if profile:
        page.fill("#subject1_identities", profile)
    page.check(f"input[name=offences][value={offence}]")
    page.fill("#necessity", "overt enquiries have failed")
    page.fill("#proportionality", "public posts only, for the shortest period")
    page.fill("#collateral_intrusion", "friends' comments are not recorded")
    page.check("input[name=confidential][value=no]")
    page.click("main button[type=submit]:has-text('Continue')")


def step_up_and_submit(page, user, button):
    page.fill("#passphrase", USERS[user]["passphrase"])
    page.click(f"main button[type=submit]:has-text('{button}')")


def test_the_whole_case(page, server, platform, steps, tmp_path):
    profile = platform.url + "/jo.bloggs"

    # An investigator applies for something fine-only: the check page explains the
    # threshold before submission, and the refusal is recorded.
    sign_in(page, server, "ivan")
    apply(page, server, "Clean Streets", "epa-1990-s87")
    assert "not met" in page.content().lower()
    steps.shot(page, "threshold-explained")
    page.click("main button[type=submit]:has-text('Submit application')")
    assert "refused" in page.content().lower()
    steps.shot(page, "refused-at-threshold")

    # Fly-tipping (5 years) passes: a URN.
    apply(page, server, "Mill Lane", "epa-1990-s33", profile=profile)
    assert "met" in page.content().lower()
    page.click("main button[type=submit]:has-text('Submit application')")
    urn = re.search(r"DS-\d{4}-\d{4}", page.url).group(0)
    assert urn in page.locator(".panel").inner_text()
    steps.shot(page, "accepted")
    sign_out(page)

    # The monitoring officer grants from the queue, with the passphrase again.
    sign_in(page, server, "mo")
    page.goto(server.url + "/decisions")
    assert urn in page.content()
    steps.shot(page, "queue")
    page.goto(f"{server.url}/cases/{urn}/grant")
    page.fill("#reasons", "necessary to identify the offender; proportionate: public posts only")
    page.click("main button[type=submit]:has-text('Continue')")
    steps.shot(page, "grant-check-answers")
    step_up_and_submit(page, "mo", "Grant")
    assert "awaiting" in page.content().lower()
    steps.shot(page, "granted")
    sign_out(page)

    # The investigator records the magistrate's approval with the order attached.
    sign_in(page, server, "ivan")
    page.goto(f"{server.url}/cases/{urn}/judicial")
    page.check("input[name=decision][value=approved]")
    page.fill("#court", "Leeds Magistrates' Court")
    page.fill("#magistrate", "Jane Smith JP")
    # The form takes the minute; the JP's decision may be neither before the grant nor in the
    # future, so wait for the minute after the grant's.
    time.sleep(61 - datetime.now().second)
    now = datetime.now(ZoneInfo("Europe/London"))
    for field, value in (("day", now.day), ("month", now.month), ("year", now.year), ("hour", now.hour), ("minute", now.minute)):
        page.fill(f"#decided_{field}", str(value))
    order = tmp_path / "order.txt"
    order.write_text("Order of Jane Smith JP, Leeds Magistrates' Court: approved.\n")
    page.set_input_files("#order", str(order))
    steps.shot(page, "judicial-form")
    step_up_and_submit(page, "ivan", "Record")
    assert "active" in page.content().lower(), page.locator("main").inner_text()
    steps.shot(page, "active")

    # A first look at a new profile: allowed, and the link opens it without telling the
    # platform where the visitor came from.
    other = platform.url + "/sam.subject"
    page.goto(server.url + "/looks/new")
    page.fill("#address", other)
    page.fill("#case_ref", "Mill Lane")
    page.fill("#purpose", "confirm the business page")
    page.click("main button[type=submit]")
    link = page.locator("a[rel='noopener noreferrer']")
    assert link.get_attribute("href") == other
    steps.shot(page, "first-look-allowed")
    with page.context.expect_page() as opened:
        link.click()
    opened.value.wait_for_load_state()
    # The browser may also fetch the platform's own favicon (with the profile as referrer):
    # what matters is the visit to the profile itself.
    visit = next(v for v in platform.visits if v["path"] == "/sam.subject")
    assert visit["referer"] is None, "the platform must not learn the register's address"
    opened.value.close()

    # The repeat look without an authorisation is refused; with it, allowed.
    for _ in range(2):
        page.goto(server.url + "/looks/new")
        page.fill("#address", other)
        page.fill("#case_ref", "Mill Lane")
        page.fill("#purpose", "check new posts")
        page.click("main button[type=submit]")
    assert page.locator("a[rel='noopener noreferrer']").count() == 0
    assert "refused" in page.content().lower() or "not allowed" in page.content().lower()
    steps.shot(page, "repeat-refused")
    page.goto(server.url + "/looks/new")
    page.fill("#address", profile)
    page.fill("#case_ref", "Mill Lane")
    page.fill("#purpose", "first look at the subject")
    page.click("main button[type=submit]")
    page.goto(server.url + "/looks/new")
    page.fill("#address", profile)
    page.fill("#case_ref", "Mill Lane")
    page.fill("#purpose", "check new posts")
    page.select_option("#urn", urn)
    page.click("main button[type=submit]")
    assert page.locator("a[rel='noopener noreferrer']").get_attribute("href") == profile
    steps.shot(page, "allowed-under-authorisation")
    sign_out(page)

    # The monitoring officer cancels.
    sign_in(page, server, "mo")
    page.goto(f"{server.url}/cases/{urn}/cancel")
    page.fill("#reason", "offender identified; interview arranged")
    page.fill("#value_obtained", "identity and vehicle of the offender")
    page.click("main button[type=submit]:has-text('Continue')")
    step_up_and_submit(page, "mo", "Cancel")
    assert "cancelled" in page.content().lower()
    steps.shot(page, "cancelled")
    sign_out(page)

    # The inspector filters the central record, downloads the CSV and verifies.
    sign_in(page, server, "ada")
    page.goto(server.url + "/record")
    assert urn in page.content()
    page.fill("#q", urn)
    page.click("main button[type=submit]:has-text('Search')")
    assert urn in page.content()
    steps.shot(page, "central-record-filtered")
    page.fill("#q", "no such operation anywhere")
    page.click("main button[type=submit]:has-text('Search')")
    assert urn not in page.locator("main").inner_text()
    page.goto(server.url + "/record")
    with page.expect_download() as download:
        page.click("a[href^='/record.csv']")
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert any(urn in row for row in rows[1:]), rows[:3]
    page.goto(server.url + "/verify")
    page.check("input[name=replay]")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=The register verified", timeout=120_000)
    assert "fail" not in page.locator("main").inner_text().lower()
    steps.shot(page, "verified")

    # Everything the browser wrote replays through the CLI too.
    replay = server.ripa("verify", "--replay")
    assert replay.returncode == 0, replay.stdout + replay.stderr
