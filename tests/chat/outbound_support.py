"""Helpers the Slack outbound tests share: people known to both Kizuki and the Slack stub,
declaring through the API, and running the worker as `kizuki worker --batch` does."""

import signal
from typing import Any

from django.core.management import call_command

from kizuki.accounts.models import User
from kizuki.chat.models import IncidentChannel
from tests.chat.stub import SlackStub
from tests.conftest import Api, make_user

# Slack ids the stub gives the people of these tests (Kizuki users with the same e-mail).
SLACK_IDS = {"rei": "U0REI", "sato": "U0SATO", "ken": "U0KEN", "aki": "U0AKI"}


def in_slack(stub: SlackStub, *names: str) -> None:
    """Make the people Slack users with their Kizuki e-mail address."""
    for name in names:
        stub.add_user(SLACK_IDS[name], f"{name}@example.test", name)


def person(name: str, role: str = "responder") -> User:
    return make_user(name, role)


def run_worker_command() -> None:
    """`kizuki worker --batch` itself; it installs signal handlers, put back afterwards."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {number: signal.getsignal(number) for number in signals}
    try:
        call_command("worker", batch=True, verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def declare(api: Api, title: str = "Checkout fails", severity: int = 2, **fields: Any) -> str:
    """Report an incident already declared at `severity`; returns its reference (INC-n)."""
    response = api.post("/incidents", {"title": title, "severity": severity, **fields})
    assert response.status_code == 201, response.json()
    return str(response.json()["number"])


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.json()
    return response.json()


def channel(ref: str) -> IncidentChannel:
    return IncidentChannel.objects.select_related("incident").get(
        incident__number=int(ref.removeprefix("INC-"))
    )
