"""A real browser completes the dev server's sign-in: headless Chromium on the consent page.

The dev server runs with --port 0 and --port-file; a one-shot loopback listener plays the
relay's redirect target. Chromium is driven through chromedriver from the system packages, so
nothing is downloaded.
"""

import base64
import hashlib
import http.server
import os
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
DEV_SERVER = Path(os.environ.get("DEV_SERVER_BIN", ROOT / ".build/debug/oauth-relay-dev-server"))
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture
def dev_server():
    if not DEV_SERVER.exists():
        pytest.fail(f"{DEV_SERVER} is missing; run `swift build` first")
    with tempfile.TemporaryDirectory() as directory:
        port_file = Path(directory) / "port"
        process = subprocess.Popen(
            [str(DEV_SERVER), "--port", "0", "--port-file", str(port_file), "--test-controls", "--quiet"],
            stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while not (port_file.exists() and port_file.read_text().strip()):
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "the dev server did not start"
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port_file.read_text().strip()}"
        process.terminate()
        assert process.wait(timeout=10) == 0


@pytest.fixture
def callback():
    """A loopback listener that records the redirect's query and answers with a small page."""
    received = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            received.update(urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query))
            body = b"<!doctype html><title>done</title><p id='done'>You can close this window.</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/callback", received
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None or not Path(CHROMEDRIVER).exists():
        pytest.fail("chromium and chromedriver are required (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-proxy-server"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


def pkce():
    verifier = secrets.token_urlsafe(32)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_url(base, redirect_uri, challenge, state):
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": "oauth-relay", "redirect_uri": redirect_uri,
        "code_challenge": challenge, "code_challenge_method": "S256", "state": state,
        "scope": "notes:read notes:write",
    })
    return f"{base}/authorize?{query}"


def sign_in_page(browser, base, redirect_uri, challenge, state):
    browser.get(authorize_url(base, redirect_uri, challenge, state))
    assert browser.find_element(By.CSS_SELECTOR, "form[action='/authorize']")
    username = browser.find_element(By.NAME, "username")
    assert username.get_attribute("value") == "demo"
    return username


def wait_for_callback(browser, received):
    WebDriverWait(browser, 10).until(lambda _: received)


def post_json(url, data, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST")
    with NO_PROXY.open(request, timeout=10) as response:
        import json
        return json.load(response)


def test_approve_in_a_real_browser_yields_a_working_token(dev_server, callback, browser):
    redirect_uri, received = callback
    verifier, challenge = pkce()
    state = secrets.token_urlsafe(16)

    username = sign_in_page(browser, dev_server, redirect_uri, challenge, state)
    username.clear()
    username.send_keys("grace")
    browser.find_element(By.CSS_SELECTOR, "button[name='decision'][value='approve']").click()
    wait_for_callback(browser, received)

    assert received["state"] == [state]
    assert received["iss"] == [dev_server]
    tokens = post_json(f"{dev_server}/token", urllib.parse.urlencode({
        "grant_type": "authorization_code", "code": received["code"][0], "redirect_uri": redirect_uri,
        "code_verifier": verifier, "client_id": "oauth-relay",
    }).encode(), {"Content-Type": "application/x-www-form-urlencoded"})
    assert tokens["token_type"] == "Bearer"

    result = post_json(f"{dev_server}/mcp/tools/whoami", b'{"arguments":{}}', {
        "Authorization": f"Bearer {tokens['access_token']}", "Content-Type": "application/json",
    })
    assert "grace" in result["content"][0]["text"]


def test_deny_in_a_real_browser_returns_access_denied(dev_server, callback, browser):
    redirect_uri, received = callback
    _, challenge = pkce()
    state = secrets.token_urlsafe(16)

    sign_in_page(browser, dev_server, redirect_uri, challenge, state)
    browser.find_element(By.CSS_SELECTOR, "button[name='decision'][value='deny']").click()
    wait_for_callback(browser, received)

    assert received["error"] == ["access_denied"]
    assert received["state"] == [state]
    assert "code" not in received
