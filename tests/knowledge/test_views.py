"""The search page and the header's search box, as plain HTML (the browser tests drive them
in Chromium)."""

import pytest
from django.test import Client

from kizuki.accounts.models import User
from tests.conftest import PASSWORD, Api
from tests.knowledge.support import filed

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(viewer: User) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    assert client.login(username=viewer.username, password=PASSWORD)
    return client


def test_every_page_has_the_search_box(browser: Client) -> None:
    for path in ("/", "/incidents/", "/report/"):
        page = browser.get(path).content.decode()
        assert '<form class="search-box" role="search" method="get" action="/search/">' in page


def test_the_results_page_marks_the_matches(browser: Client, responder_api: Api) -> None:
    filed(responder_api, "決済APIで障害", 'カード<img src=x onerror="alert(1)">決済が失敗')
    page = browser.get("/search/", {"q": "決済"}).content.decode()
    assert "1 result" in page
    assert '<a href="/incidents/INC-1/">INC-1 <mark>決済</mark>APIで障害</a>' in page
    assert "カード&lt;img src=x onerror=&quot;alert(1)&quot;&gt;<mark>決済</mark>が失敗" in page
    assert "<img" not in page
    # The header's box keeps the words.
    assert 'name="q" maxlength="200"' in page
    assert 'value="決済"' in page


def test_filters_and_pages(browser: Client, responder_api: Api) -> None:
    for n in range(25):
        filed(responder_api, f"Disk full {n}", severity=3 if n % 2 else 4)
    page = browser.get("/search/", {"q": "disk"}).content.decode()
    assert "25 results" in page
    assert "Page 1 of 2" in page
    assert 'href="?q=disk&amp;page=2"' in page
    second = browser.get("/search/", {"q": "disk", "page": "2"}).content.decode()
    assert second.count('data-testid="search-hit"') == 5
    narrowed = browser.get("/search/", {"q": "disk", "severity": "3"}).content.decode()
    assert "12 results" in narrowed


def test_bad_input_is_shown_on_the_page(browser: Client) -> None:
    page = browser.get("/search/", {"q": "???"}).content.decode()
    assert "The search has no words to look for." in page
    reversed_period = {"q": "障害", "since": "2026-11-02", "until": "2026-11-01"}
    page = browser.get("/search/", reversed_period).content.decode()
    assert "The period&#x27;s start is after its end." in page
    page = browser.get("/search/", {"q": "x" * 300}).content.decode()
    assert "Ensure this value has at most 200 characters" in page
    empty = browser.get("/search/").content.decode()
    assert "An incident number such as INC-7 finds that incident." in empty


def test_htmx_gets_only_the_results(browser: Client, responder_api: Api) -> None:
    filed(responder_api, "Disk full")
    response = browser.get("/search/", {"q": "disk"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="search-results"')
    assert "<header" not in body
    assert "HX-Request" in response["Vary"]


def test_logged_out_readers_are_sent_to_log_in(db: None) -> None:
    response = Client().get("/search/", {"q": "障害"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
