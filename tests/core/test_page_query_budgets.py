"""No N+1 on list pages: each page costs the same queries with 2 rows as with 22, and no more
than its budget. Budgets carry +2 of headroom for visibility filtering (private incidents)."""

import pytest
from django.test import Client

from kizuki.accounts.models import User
from tests.conftest import Api, MovableClock
from tests.core.budget_support import FEW, MANY, History, count_queries

# page -> the most queries it may take, whatever the number of rows.
BUDGETS = {
    "/": 25,
    "/incidents/": 13,
    "/alerts/": 8,
    "/followups/": 10,
    "/risks/": 15,
    "/retrospectives/": 6,
    "/schedules/": 14,
    "/services/": 8,
    "/escalation-policies/": 8,
    "/search/?q=Checkout": 12,
    "/reports/": 35,
    "/readiness/": 40,
    "/status/": 11,
    "/reviews/": 10,
}


@pytest.mark.django_db
def test_list_pages_cost_the_same_queries_with_few_and_many_rows(
    admin_api: Api, responder: User, frozen_clock: MovableClock
) -> None:
    # An admin makes the data; a responder reads it, through the private-incident filter.
    browser = Client()
    browser.force_login(responder)
    history = History(admin_api)
    history.grow(FEW)
    few = {page: count_queries(browser.get, page) for page in BUDGETS}
    history.grow(MANY - FEW)
    many = {page: count_queries(browser.get, page) for page in BUDGETS}
    report = {page: (few[page], many[page], BUDGETS[page]) for page in BUDGETS}
    assert {page: f for page, f in few.items() if f != many[page]} == {}, str(report)
    assert {page: n for page, n in many.items() if n > BUDGETS[page]} == {}, str(report)
