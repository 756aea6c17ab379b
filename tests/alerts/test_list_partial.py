"""The alert list's filter, sent by htmx, gets back just the list it swaps in."""

import pytest
from django.test import Client

from kizuki.accounts.models import User

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_the_alert_filter_swaps_just_the_list(admin: User) -> None:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(admin)
    whole = client.get("/alerts/")
    assert 'hx-target="#alert-groups"' in whole.text
    listed = client.get("/alerts/", {"status": "firing"}, headers=HTMX)
    assert listed.text.lstrip().startswith('<div id="alert-groups">')
    assert "HX-Request" in listed["Vary"]
