"""Wrong passwords through the real login forms: locked after the limit, free after the cool-off.

Failures count per username and client address (docs/deployment.md): a guesser is stopped,
the same person elsewhere can still log in."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from kizuki.accounts.models import User
from tests.conftest import PASSWORD

GUESSER = "198.51.100.7"


def log_in(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=GUESSER, **extra
    )


def is_logged_in(client: Client) -> bool:
    return client.get("/", REMOTE_ADDR=GUESSER).status_code == 200


def test_fifty_wrong_passwords_are_cut_off_at_ten(responder: User) -> None:
    client = Client(headers={"accept-language": "en"})
    statuses = [log_in(client, "rei", f"guess-{n}").status_code for n in range(50)]

    assert statuses[:9] == [200] * 9  # the form again, "did not match"
    assert statuses[9:] == [429] * 41
    # Only the ten counted failures reached the password check; the rest were refused first.
    assert AccessAttempt.objects.get(username="rei").failures_since_start == 10

    locked = log_in(client, "rei", PASSWORD)
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    assert "Logins are paused for 15 minutes" in locked.content.decode()
    assert not is_logged_in(client)

    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        after = log_in(client, "rei", PASSWORD)
        assert after.status_code == 302
        assert is_logged_in(client)


def test_the_lockout_page_speaks_japanese(responder: User) -> None:
    client = Client(headers={"accept-language": "ja"})
    for n in range(10):
        response = log_in(client, "rei", f"guess-{n}")
    assert response.status_code == 429
    assert "ログインを一時停止しています" in response.content.decode()


def test_the_same_person_from_another_address_is_not_locked_out(responder: User) -> None:
    for n in range(10):
        log_in(Client(), "rei", f"guess-{n}")

    elsewhere = Client().post(
        "/login/", {"username": "rei", "password": PASSWORD}, REMOTE_ADDR="192.0.2.20"
    )
    assert elsewhere.status_code == 302


def test_a_successful_login_starts_the_count_again(responder: User) -> None:
    client = Client()
    for n in range(9):
        log_in(client, "rei", f"guess-{n}")
    assert log_in(client, "rei", PASSWORD).status_code == 302
    client.post("/logout/", REMOTE_ADDR=GUESSER)

    statuses = [log_in(client, "rei", f"again-{n}").status_code for n in range(9)]
    assert statuses == [200] * 9
    assert log_in(client, "rei", PASSWORD).status_code == 302


def test_the_admin_login_is_protected_too(admin: User) -> None:
    client = Client()
    statuses = [
        client.post(
            "/admin/login/", {"username": "aki", "password": f"guess-{n}"}, REMOTE_ADDR=GUESSER
        ).status_code
        for n in range(12)
    ]
    assert statuses[-1] == 429
    assert statuses.count(429) == 3


@pytest.mark.parametrize(
    ("guesser", "other", "locked"),
    [
        # Behind the proxy the last X-Forwarded-For entry is the client the proxy saw.
        ("10.0.0.2, 203.0.113.9", "203.0.113.9", True),
        # Whatever a client writes before it does not make it someone else.
        ("10.0.0.2, 203.0.113.9", "203.0.113.99, 203.0.113.9", True),
        ("10.0.0.2, 203.0.113.9", "203.0.113.10", False),
    ],
)
def test_behind_the_tls_proxy_the_forwarded_address_counts(
    responder: User, settings: Any, guesser: str, other: str, locked: bool
) -> None:
    settings.KIZUKI_HTTPS = True
    proxy: dict[str, Any] = {"REMOTE_ADDR": "10.0.0.1", "secure": True}
    for n in range(10):
        Client().post(
            "/login/",
            {"username": "rei", "password": f"guess-{n}"},
            headers={"x-forwarded-for": guesser},
            **proxy,
        )

    response = Client().post(
        "/login/",
        {"username": "rei", "password": PASSWORD},
        headers={"x-forwarded-for": other},
        **proxy,
    )
    assert response.status_code == (429 if locked else 302)
