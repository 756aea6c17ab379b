"""Helpers the knowledge tests share: filing incidents through the API and letting the worker
index them, then searching as a reader would."""

from typing import Any

from tests.conftest import Api
from tests.jobs import run_queued_jobs


def filed(api: Api, title: str, description: str = "", **fields: Any) -> dict[str, Any]:
    """Report an incident through the API and run the worker's jobs (which index it)."""
    response = api.post("/incidents", {"title": title, "description": description, **fields})
    assert response.status_code == 201, response.json()
    run_queued_jobs()
    body: dict[str, Any] = response.json()
    return body


def search(api: Api, q: str, **params: Any) -> dict[str, Any]:
    response = api.get("/search", q=q, **params)
    assert response.status_code == 200, response.json()
    body: dict[str, Any] = response.json()
    return body


def titles(api: Api, q: str, **params: Any) -> list[str]:
    """The titles found for `q`, best first."""
    return [item["title"] for item in search(api, q, page_size=100, **params)["items"]]


def refs(api: Api, q: str, **params: Any) -> set[str]:
    """The incidents whose own document (not a note or update) is found for `q`."""
    return {
        item["incident"]["ref"]
        for item in search(api, q, kind="incident", page_size=100, **params)["items"]
    }
