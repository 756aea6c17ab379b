"""Listing incidents: filters, pagination, and finding one by `INC-3` or `3`."""

import pytest

from kizuki.accounts import actions as accounts
from kizuki.catalog import actions as catalog
from kizuki.catalog.models import Service
from tests.conftest import Api
from tests.incidents.support import incident_in, move, report


@pytest.fixture
def incidents(responder_api: Api, service: Service) -> None:
    """INC-1 checkout SEV2 declared; INC-2 login SEV3 resolved; INC-3 a bare report."""
    identity = accounts.create_team("identity", "Identity")
    catalog.create_service("login", "Login", identity)
    report(responder_api, "Checkout times out", severity=2, services=["checkout"])
    login = report(
        responder_api,
        "Sign-in is slow",
        description="Checkout users affected",
        severity=3,
        services=["login"],
    )
    move(responder_api, login["number"], "resolved")
    report(responder_api, "Odd graph on the dashboard")


def numbers(api: Api, **filters: object) -> list[str]:
    response = api.get("/incidents", **filters)
    assert response.status_code == 200, response.json()
    return [incident["number"] for incident in response.json()["items"]]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["INC-3", "INC-2", "INC-1"]),
        ({"status": "declared"}, ["INC-1"]),
        ({"status": "resolved"}, ["INC-2"]),
        ({"status": "reported"}, ["INC-3"]),
        ({"status": "closed"}, []),
        ({"severity": 2}, ["INC-1"]),
        ({"severity": 3}, ["INC-2"]),
        ({"severity": 5}, []),
        ({"team": "payments"}, ["INC-1"]),
        ({"team": "identity"}, ["INC-2"]),
        ({"team": "nobody"}, []),
        ({"service": "checkout"}, ["INC-1"]),
        ({"service": "login"}, ["INC-2"]),
        ({"text": "checkout"}, ["INC-2", "INC-1"]),  # title or description, any case
        ({"text": "DASHBOARD"}, ["INC-3"]),
        ({"text": "checkout", "status": "resolved"}, ["INC-2"]),
        ({"team": "payments", "severity": 3}, []),
    ],
)
def test_filters(
    viewer_api: Api, incidents: None, filters: dict[str, object], expected: list[str]
) -> None:
    assert numbers(viewer_api, **filters) == expected


def page(api: Api, **params: object) -> tuple[int, int, int, list[str]]:
    """count, page, pages and the numbers on the page."""
    body = api.get("/incidents", **params).json()
    return body["count"], body["page"], body["pages"], [i["number"] for i in body["items"]]


def test_the_page_reports_its_count_and_number_of_pages(responder_api: Api) -> None:
    for _ in range(5):
        incident_in(responder_api, "reported")

    assert page(responder_api, page_size=2) == (5, 1, 3, ["INC-5", "INC-4"])
    assert page(responder_api, page_size=2, page=2) == (5, 2, 3, ["INC-3", "INC-2"])
    assert page(responder_api, page_size=2, page=3) == (5, 3, 3, ["INC-1"])
    assert page(responder_api, page_size=2, page=4) == (5, 4, 3, [])
    assert page(responder_api, page_size=2, page=10**19) == (5, 10**19, 3, [])
    assert page(responder_api, page_size=0)[2] == 5  # at least one per page
    assert page(responder_api, page=0)[1] == 1
    assert page(responder_api) == (5, 1, 1, ["INC-5", "INC-4", "INC-3", "INC-2", "INC-1"])


def test_an_empty_list_has_no_pages(viewer_api: Api) -> None:
    assert viewer_api.get("/incidents").json() == {"items": [], "count": 0, "page": 1, "pages": 0}


@pytest.mark.parametrize("ref", ["INC-3", "3", "inc-3", " INC-3 "])
def test_an_incident_is_found_by_its_number_with_or_without_prefix(
    viewer_api: Api, incidents: None, ref: str
) -> None:
    response = viewer_api.get(f"/incidents/{ref}")
    assert response.status_code == 200, response.json()
    assert response.json()["number"] == "INC-3"
    assert response.json()["title"] == "Odd graph on the dashboard"
