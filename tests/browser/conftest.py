"""Fixtures for the browser tests: a test register made through the `ripa` binary, `ripa
serve` over it on a free loopback port, and Debian's Chromium driven by Playwright.

Each step of a walk saves a screenshot under $BROWSER_OUTPUT (default
tests/browser/output/)."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).parent
USERS = json.loads((HERE / "users.json").read_text())
OUTPUT = Path(os.environ.get("BROWSER_OUTPUT", HERE / "output"))


def ripa_bin() -> str:
    path = os.environ.get("RIPA_BIN")
    if not path or not Path(path).exists():
        pytest.exit("RIPA_BIN must name the built ripa binary (make test sets it)", returncode=2)
    return path


def _insecure():
    """The health check's TLS context: the tests' own self-signed certificate."""
    import ssl
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`ripa serve` on a register of its own."""

    def __init__(self, extra_arguments=(), scheme="http", prepare=None):
        self.dir = Path(tempfile.mkdtemp(prefix="ripa-browser-"))
        if prepare:
            extra_arguments = prepare(self.dir)
        self.db = self.dir / "register.db"
        self.env = {**os.environ, "RIPA_DB": str(self.db)}
        for name in ("RIPA_PASSPHRASE", "RIPA_NEW_PASSPHRASE", "RIPA_CLOCK"):
            self.env.pop(name, None)
        subprocess.run([str(HERE / "make_register.sh"), ripa_bin()], env=self.env, check=True, capture_output=True)
        self.port = free_port()
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.log = open(self.dir / "server.log", "w")
        self.process = subprocess.Popen(
            [ripa_bin(), "serve", "--listen", f"127.0.0.1:{self.port}", *extra_arguments], env=self.env, stdout=self.log,
            stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2, context=_insecure()) as response:
                    if response.status == 200:
                        return
            except Exception:
                if self.process.poll() is not None:
                    raise RuntimeError("ripa serve exited: " + (self.dir / "server.log").read_text())
                time.sleep(0.2)
        raise RuntimeError("ripa serve did not answer within 60 s")

    def ripa(self, *arguments, user=None):
        """Runs the CLI on the same register (to check that the web wrote what the CLI reads)."""
        env = dict(self.env)
        command = [ripa_bin(), *arguments]
        if user:
            env["RIPA_PASSPHRASE"] = USERS[user]["passphrase"]
            command += ["--as", user]
        return subprocess.run(command, env=env, capture_output=True, text=True)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    s.stop()


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.exit("Debian's chromium is not installed (make deps installs it)", returncode=2)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium, never a downloaded one.
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": ["--no-sandbox"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "java_script_enabled": False, "locale": "en-GB", "timezone_id": "Europe/London"}


class Steps:
    """Numbered screenshots of a walk."""

    def __init__(self, name):
        self.folder = OUTPUT / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def shot(self, page, label):
        self.count += 1
        page.screenshot(path=str(self.folder / f"{self.count:02d}-{label}.png"), full_page=True)


@pytest.fixture
def steps(request):
    return Steps(request.node.name)


def sign_in(page, server, user):
    page.goto(server.url + "/sign-in")
    page.fill("#user_id", user)
    page.fill("#passphrase", USERS[user]["passphrase"])
    page.click("button[type=submit]")


def sign_out(page):
    page.click("text=Sign out")
