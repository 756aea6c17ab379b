"""Shared fixtures: real users with real API tokens, an API client, and the movable clock."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.catalog import actions as catalog
from kizuki.catalog.models import Service
from kizuki.core import clock

PASSWORD = "correct-horse-battery-staple"


@dataclass
class Api:
    """Talks to /api/v1 as one user, with that user's bearer token."""

    client: Client
    token: str
    user: User | None = None

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get("/api/v1" + path, params, headers=self._headers())

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(
            "/api/v1" + path, json.dumps(body or {}), "application/json", headers=self._headers()
        )

    def patch(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.patch(
            "/api/v1" + path, json.dumps(body), "application/json", headers=self._headers()
        )

    def delete(self, path: str) -> Any:
        return self.client.delete("/api/v1" + path, headers=self._headers())


def make_user(username: str, role: str) -> User:
    return accounts.create_user(username, role, password=PASSWORD, email=f"{username}@example.test")


def api_for(user: User) -> Api:
    _, secret = accounts.create_token(user, "tests")
    return Api(Client(), secret, user)


@pytest.fixture
def viewer(db: None) -> User:
    return make_user("vera", "viewer")


@pytest.fixture
def responder(db: None) -> User:
    return make_user("rei", "responder")


@pytest.fixture
def admin(db: None) -> User:
    return make_user("aki", "admin")


@pytest.fixture
def viewer_api(viewer: User) -> Api:
    return api_for(viewer)


@pytest.fixture
def responder_api(responder: User) -> Api:
    return api_for(responder)


@pytest.fixture
def admin_api(admin: User) -> Api:
    return api_for(admin)


@pytest.fixture
def anonymous_api(db: None) -> Api:
    return Api(Client(), "")


@pytest.fixture
def service(db: None) -> Service:
    team = accounts.create_team("payments", "Payments")
    return catalog.create_service("checkout", "Checkout", team)


class MovableClock:
    """Pins kizuki.core.clock.now(); tests step it forward instead of sleeping."""

    def __init__(self, start: datetime) -> None:
        self.now = start
        clock.set_now(start)

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        clock.set_now(self.now)
        return self.now


@pytest.fixture
def frozen_clock() -> Iterator[MovableClock]:
    movable = MovableClock(datetime(2026, 11, 25, 1, 0, tzinfo=UTC))
    yield movable
    clock.set_now(None)


@pytest.fixture
def loopback_allowed(settings: Any) -> None:
    """Lets Apprise URLs reach 127.0.0.1, where the tests' receivers listen (Kizuki refuses
    loopback addresses unless KIZUKI_OUTBOUND_ALLOW names them)."""
    settings.KIZUKI_OUTBOUND_ALLOW = "127.0.0.1"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # Tests create many users; the production hasher's deliberate slowness buys nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
