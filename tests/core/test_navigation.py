"""The header menu's groups as each role gets them: every role finds Learning, On-call and
Readiness; only admins get the Admin group (paging settings and the Django admin) and only
responders and admins the automation rules. The link to the page shown, and its group, are
marked. (tests/browser/test_navigation.py opens the menus in a real browser.)"""

import re

import pytest
from django.test import Client

from kizuki.accounts.models import User

pytestmark = pytest.mark.django_db


def header(user: User, path: str = "/") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    html: str = response.content.decode()
    return html.split("<main>", maxsplit=1)[0]


def groups(html: str) -> list[str]:
    return re.findall(r"<summary>([^<]+)</summary>", html)


def test_a_viewer_gets_the_shared_groups_without_admin_links(viewer: User) -> None:
    html = header(viewer)
    assert groups(html) == ["Menu", "Learning", "On-call", "Readiness", "vera"]
    for path in ("/retrospectives/", "/reports/", "/schedules/", "/drills/", "/readiness/"):
        assert f'href="{path}"' in html
    for path in ("/settings/automation/", "/settings/paging/", "/admin/"):
        assert f'href="{path}"' not in html


def test_a_responder_also_gets_automation(responder: User) -> None:
    html = header(responder)
    assert "Admin" not in groups(html)
    assert 'href="/settings/automation/"' in html
    assert 'href="/settings/paging/"' not in html


def test_an_admin_gets_the_admin_group(admin: User) -> None:
    html = header(admin)
    assert groups(html)[-2:] == ["Admin", admin.username]
    assert 'href="/settings/paging/"' in html
    assert 'href="/admin/"' in html


def test_the_page_shown_and_its_group_are_marked(responder: User) -> None:
    html = header(responder, "/drills/")
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', html) == ["/drills/"]
    assert re.findall(r'<details class="([^"]+)"', html).count("nav-group current") == 1
    current = html.split('class="nav-group current"')[1].split("</details>")[0]
    assert "<summary>Readiness</summary>" in current
    # The dashboard is marked on its own page only, not on every page under "/".
    assert 'href="/" aria-current' not in html
    assert 'href="/" aria-current="page"' in header(responder, "/")
