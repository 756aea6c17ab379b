"""A refused escalation policy form says why once, beside the form.

It used to say it twice: the template rendered `form.non_field_errors` and then `form.as_div`,
which renders the form-wide errors again. The form is now laid out field by field, so each
error has one place."""

import pytest
from django.test import Client

from kizuki.accounts.models import User

pytestmark = pytest.mark.django_db


def test_a_refusal_is_shown_once(admin: User, responder: User) -> None:
    web = Client(headers={"Accept-Language": "en"})
    web.force_login(admin)
    form = {
        "name": "Checkout",
        "repeat": "0",
        "step-0-target-0-kind": "user",
        "step-0-target-0-id": "user:rei",
    }
    assert web.post("/escalation-policies/new/", form).status_code == 302
    again = web.post("/escalation-policies/new/", form)
    assert again.status_code == 200
    html = again.content.decode()
    assert html.count('class="errorlist nonfield"') == 1
    message = html.split('class="errorlist nonfield"><li>')[1].split("</li>")[0]
    assert "Checkout" in message
    assert html.count(message) == 1
    assert 'class="message' not in html.split("<main>")[1].split("</h1>")[1]  # no flash as well


def test_a_field_error_is_shown_once(admin: User) -> None:
    web = Client(headers={"Accept-Language": "en"})
    web.force_login(admin)
    page = web.post("/escalation-policies/new/", {"name": "", "repeat": "99"})
    html = page.content.decode()
    assert html.count("This field is required.") == 1
    assert html.count("Ensure this value is less than or equal to 10.") == 1
