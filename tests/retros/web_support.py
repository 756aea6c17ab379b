"""Helpers for the retrospective page tests: a browser-like client, reading pages back."""

import re
from typing import Any

from django.test import Client

from kizuki.accounts.models import User


def browser(user: User | None = None, language: str = "en") -> Client:
    """A browser asking for `language`, logged in as `user`."""
    client = Client(headers={"Accept-Language": language})
    if user is not None:
        client.force_login(user)
    return client


def page(client: Client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.content.decode()


def post(client: Client, path: str, data: dict[str, Any], **headers: str) -> Any:
    """A form POST; follows the redirect to the page a person lands on."""
    return client.post(path, data, follow=True, headers=headers)


def text_of(html: str) -> str:
    """The page's words without tags, spaces squeezed (what a reader sees)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def messages_on(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]
