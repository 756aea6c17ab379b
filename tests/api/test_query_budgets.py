"""No N+1 in the API's lists: each list answers 50 rows (page_size=50) with the same number of
queries for 2 rows of data as for 22, and no more than its budget. Budgets carry +2 of
headroom for visibility filtering (private incidents)."""

import pytest

from tests.conftest import Api, MovableClock
from tests.core.budget_support import FEW, MANY, History, count_queries

# list -> the most queries it may take, whatever the number of rows.
BUDGETS = {
    "/incidents": 8,
    "/alert-groups": 5,
    "/followups": 9,
    "/risks": 9,
    "/reviews": 4,
    "/retrospectives": 4,
    "/services": 5,
    "/schedules": 7,
    "/escalation-policies": 7,
    "/search?q=Checkout": 7,
    "/status": 7,
    "/readiness": 30,
}


def _page(path: str) -> str:
    return path + ("&" if "?" in path else "?") + "page_size=50"


@pytest.mark.django_db
def test_lists_cost_the_same_queries_with_few_and_many_rows(
    admin_api: Api, responder_api: Api, frozen_clock: MovableClock
) -> None:
    # An admin makes the data; a responder reads it, through the private-incident filter.
    history = History(admin_api)
    history.grow(FEW)
    few = {path: count_queries(responder_api.get, _page(path)) for path in BUDGETS}
    history.grow(MANY - FEW)
    many = {path: count_queries(responder_api.get, _page(path)) for path in BUDGETS}
    report = {path: (few[path], many[path], BUDGETS[path]) for path in BUDGETS}
    assert {path: n for path, n in few.items() if n != many[path]} == {}, str(report)
    assert {path: n for path, n in many.items() if n > BUDGETS[path]} == {}, str(report)
