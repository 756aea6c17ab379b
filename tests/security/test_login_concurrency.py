"""A burst of logins cannot take the server: password checks beyond the cap are refused at once.

The live server runs in threads of this process. The hasher holds each password check until
the test lets it go, standing in for PBKDF2 at a million iterations without measuring time."""

import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from kizuki.accounts import actions as accounts
from tests.conftest import PASSWORD
from tests.security.hashers import GatedHasher

CAP = 2


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None  # show the 302 itself, as the login answers it


# No proxy from the environment: the live server is on loopback.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _Stay)


class Browser:
    """Plain HTTP to the live server with one CSRF cookie and token, as a login form has."""

    def __init__(self, base: str) -> None:
        self.base = base
        page = self.fetch("GET", "/login/")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page[1])
        assert found is not None
        self.token = found.group(1)
        self.cookie = page[2]

    def fetch(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str, dict[str, str]]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)  # noqa: S310 - loopback live server
        request.add_header("Accept-Language", "en")
        if getattr(self, "cookie", ""):
            request.add_header("Cookie", self.cookie)
        try:
            with OPENER.open(request, timeout=30) as response:
                status, body, headers = response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            status, body, headers = error.code, error.read().decode(), error.headers
        cookie = (headers.get("Set-Cookie") or "").split(";", 1)[0]
        return status, body, cookie, dict(headers)

    def log_in(self, password: str) -> tuple[int, str, str, dict[str, str]]:
        form = {"username": "rei", "password": password, "csrfmiddlewaretoken": self.token}
        return self.fetch("POST", "/login/", form)


@pytest.fixture
def gated(settings: Any, transactional_db: None) -> Iterator[None]:
    settings.PASSWORD_HASHERS = ["tests.security.hashers.GatedHasher"]
    settings.KIZUKI_LOGIN_CONCURRENCY = CAP
    GatedHasher.reset()
    accounts.create_user("rei", "responder", password=PASSWORD)
    yield
    for _ in range(10):  # never leave a server thread waiting, even if the test failed
        GatedHasher.gate.release()


def wait_until(condition: Any) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_logins_beyond_the_cap_get_429_without_hashing(gated: None, live_server: Any) -> None:
    browser = Browser(str(live_server))
    held: list[int] = []

    def slow_login() -> None:
        held.append(browser.log_in("a-wrong-guess")[0])

    threads = [threading.Thread(target=slow_login) for _ in range(CAP)]
    for thread in threads:
        thread.start()
    wait_until(lambda: GatedHasher.started == CAP)

    # Every slot is hashing: more logins are refused at once, and nothing else waits.
    refused = [browser.log_in(PASSWORD) for _ in range(5)]
    assert [status for status, *_ in refused] == [429] * 5
    assert all(headers["Retry-After"] == "5" for *_, headers in refused)
    assert "Too many logins at this moment" in refused[0][1]
    # Health answers at once (503 only says no worker runs in this test), and pages load.
    health = browser.fetch("GET", "/api/v1/health")
    assert json.loads(health[1])["database"] in {"sqlite", "postgresql"}
    assert browser.fetch("GET", "/login/")[0] == 200
    assert GatedHasher.started == CAP

    # Let the held checks finish one by one; both were wrong guesses and say so.
    for done in range(1, CAP + 1):
        GatedHasher.gate.release()
        wait_until(lambda done=done: len(held) == done)
    for thread in threads:
        thread.join(timeout=10)
    assert held == [200] * CAP

    # With the slots free again the right password gets in.
    GatedHasher.gate.release()
    status, _, _, headers = browser.log_in(PASSWORD)
    assert status == 302
    assert headers["Location"] == "/"
