"""`ripa serve --tls-cert --tls-key`: HTTPS itself, with the session cookie marked Secure."""

import subprocess

import pytest

from conftest import Server, sign_in


def self_signed(folder):
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True)
    return ["--tls-cert", str(cert), "--tls-key", str(key)]


@pytest.fixture(scope="module")
def tls_server():
    s = Server(scheme="https", prepare=self_signed)
    yield s
    s.stop()


def test_https_and_a_secure_session_cookie(browser, tls_server, steps):
    context = browser.new_context(ignore_https_errors=True, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, tls_server, "ada")
    assert page.url.startswith("https://")
    assert page.locator("h1").inner_text() == "Your work"
    session = next(c for c in context.cookies() if c["name"] == "ripa_session")
    assert session["secure"] and session["httpOnly"] and session["sameSite"] == "Strict"
    steps.shot(page, "https")
    context.close()


def test_a_listen_address_that_is_not_host_and_port_is_refused(server):
    result = subprocess.run([__import__("conftest").ripa_bin(), "serve", "--listen", "8080"], capture_output=True, text=True, env=server.env)
    assert result.returncode != 0
    assert "HOST:PORT" in result.stderr
