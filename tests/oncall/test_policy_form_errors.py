"""A refused escalation policy form says why once, beside the form."""

import pytest
from django.test import Client

from kizuki.accounts.models import User

pytestmark = pytest.mark.django_db


def test_a_refusal_is_shown_once(admin: User, responder: User) -> None:
    web = Client(headers={"Accept-Language": "en"})
    web.force_login(admin)
    form = {"name": "Checkout", "repeat": "0", "steps": "user:rei"}
    assert web.post("/escalation-policies/new/", form).status_code == 302
    again = web.post("/escalation-policies/new/", form)
    assert again.status_code == 200
    html = again.content.decode()
    assert html.count('class="errorlist nonfield"') == 1
    message = html.split('class="errorlist nonfield"><li>')[1].split("</li>")[0]
    assert "Checkout" in message
    assert html.count(message) == 1
