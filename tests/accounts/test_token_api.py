"""API tokens can be listed, made to expire and revoked: through the API, the command line and
the settings page, each answering only its owner (and admins)."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import ApiToken, User
from kizuki.core import clock
from tests.conftest import Api, MovableClock, make_user


def english(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_token_made_through_the_api_is_answered_once_and_listed_without_its_secret(
    viewer_api: Api, frozen_clock: MovableClock
) -> None:
    made = viewer_api.post("/tokens", {"name": "cron job", "expires_in_days": 30})

    assert made.status_code == 201
    body = made.json()
    assert body["token"].startswith("kzk_")
    assert body["state"] == "active"
    assert body["expires_at"] == (clock.now() + timedelta(days=30)).isoformat().replace(
        "+00:00", "Z"
    )
    listed = viewer_api.get("/tokens").json()
    assert listed["count"] == 2  # the fixture's own token and the new one
    listed_new = next(item for item in listed["items"] if item["name"] == "cron job")
    assert listed_new["id"] == body["id"]
    assert "token" not in listed_new
    assert body["token"] not in str(listed)
    assert Api(Client(), body["token"]).get("/incidents").status_code == 200


def test_an_expired_token_is_refused_with_a_reason(
    viewer: User, frozen_clock: MovableClock
) -> None:
    _token, secret = accounts.create_token(
        viewer, "short", expires_at=clock.now() + timedelta(days=1)
    )
    api = Api(english(Client()), secret)
    assert api.get("/incidents").status_code == 200

    frozen_clock.advance(days=1, seconds=1)

    refused = api.get("/incidents")
    assert refused.status_code == 401
    assert refused.json() == {"detail": "This API token has expired.", "code": "unauthenticated"}
    owner = Api(Client(), accounts.create_token(viewer, "new")[1])
    states = {item["name"]: item["state"] for item in owner.get("/tokens").json()["items"]}
    assert states["short"] == "expired"


def test_a_revoked_token_is_refused_with_a_reason(viewer_api: Api) -> None:
    made = viewer_api.post("/tokens", {"name": "old"}).json()
    doomed = Api(english(Client()), made["token"])

    revoked = viewer_api.delete(f"/tokens/{made['id']}")

    assert revoked.status_code == 200
    assert revoked.json()["state"] == "revoked"
    refused = doomed.get("/incidents")
    assert refused.status_code == 401
    assert refused.json()["detail"] == "This API token has been revoked."
    assert viewer_api.get("/incidents").status_code == 200


def test_a_token_may_revoke_itself(viewer_api: Api) -> None:
    own = viewer_api.get("/tokens").json()["items"][0]
    assert viewer_api.delete(f"/tokens/{own['id']}").status_code == 200
    assert viewer_api.get("/tokens").status_code == 401


def test_last_use_is_recorded(viewer_api: Api, frozen_clock: MovableClock) -> None:
    assert viewer_api.get("/tokens").json()["items"][0]["last_used_at"] is not None
    frozen_clock.advance(hours=2)
    viewer_api.get("/incidents")
    used = ApiToken.objects.get(user=viewer_api.user, name="tests").last_used_at
    assert used == clock.now()


def test_nobody_sees_or_revokes_someone_elses_tokens(
    viewer_api: Api, responder_api: Api, admin_api: Api
) -> None:
    theirs = responder_api.get("/tokens").json()["items"][0]

    assert viewer_api.delete(f"/tokens/{theirs['id']}").status_code == 404
    assert viewer_api.get("/tokens", user="rei").status_code == 403
    assert viewer_api.post("/tokens", {"user": "rei"}).status_code == 403
    assert responder_api.get("/incidents").status_code == 200

    # An admin may list, make and revoke anyone's (e.g. when someone leaves).
    listed = admin_api.get("/tokens", user="rei").json()
    assert [item["id"] for item in listed["items"]] == [theirs["id"]]
    made = admin_api.post("/tokens", {"user": "rei", "name": "for rei"})
    assert made.json()["user"] == "rei"
    assert admin_api.delete(f"/tokens/{theirs['id']}").status_code == 200
    assert responder_api.get("/incidents").status_code == 401


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"expires_in_days": 0}, 422),
        ({"expires_in_days": 100000}, 422),
        ({"expires_at": "2000-01-01T00:00:00Z"}, 400),
        ({"expires_at": "2999-01-01T00:00:00"}, 400),
        ({"expires_in_days": 3, "expires_at": "2999-01-01T00:00:00Z"}, 400),
        ({"name": "x" * 101}, 422),
        ({"user": "nobody-here"}, 403),
    ],
)
def test_bad_token_requests_are_4xx_with_a_detail(
    viewer_api: Api, body: dict[str, Any], status: int
) -> None:
    response = viewer_api.post("/tokens", body)
    assert response.status_code == status
    assert response.json()["detail"]


def test_unknown_tokens_and_anonymous_callers(admin_api: Api, anonymous_api: Api) -> None:
    assert admin_api.delete("/tokens/999999").status_code == 404
    assert admin_api.delete("/tokens/99999999999999999999999").status_code in {404, 422}
    assert admin_api.get("/tokens", user="nobody-here").status_code == 400
    assert anonymous_api.get("/tokens").status_code == 401
    assert anonymous_api.post("/tokens", {}).status_code == 401


def test_the_command_line_lists_makes_and_revokes_tokens(
    viewer: User, frozen_clock: MovableClock
) -> None:
    out = StringIO()
    call_command(
        "token", "create", "vera", "--name", "backup", "--expires-in-days", "7", stdout=out
    )
    secret = out.getvalue().strip()
    assert Api(Client(), secret).get("/incidents").status_code == 200

    listing = StringIO()
    call_command("token", "list", "vera", stdout=listing)
    row = listing.getvalue().splitlines()[1].split("\t")
    assert row[1:5] == ["vera", secret[:10], "backup", "active"]
    assert row[7].startswith((clock.now() + timedelta(days=7)).date().isoformat())

    call_command("token", "revoke", row[0], stdout=StringIO())
    assert Api(Client(), secret).get("/incidents").status_code == 401
    everyone = StringIO()
    call_command("token", "list", "--json", stdout=everyone)
    assert '"state": "revoked"' in everyone.getvalue()

    with translation.override("en"), pytest.raises(CommandError, match="Unknown user"):
        call_command("token", "list", "nobody-here")
    with translation.override("en"), pytest.raises(CommandError, match="No API token"):
        call_command("token", "revoke", "999999")
    with pytest.raises(CommandError, match="must be 1 or more"):
        call_command("token", "create", "vera", "--expires-in-days", "0")


def test_the_tokens_page_shows_a_new_token_once_and_revokes(viewer: User) -> None:
    browser = english(Client())
    browser.force_login(viewer)
    other = make_user("otto", "viewer")
    _, other_secret = accounts.create_token(other, "otto's")

    made = browser.post("/account/tokens/", {"name": "laptop", "expires_in_days": "30"})

    page = made.content.decode()
    secret = made.context["secret"]
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    assert secret in page
    assert "This is the only time it is shown." in page
    again = browser.get("/account/tokens/").content.decode()
    assert secret not in again
    assert secret[:10] in again
    assert "laptop" in again
    assert "otto's" not in again

    token = ApiToken.objects.get(name="laptop")
    assert browser.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert "Revoked" in browser.get("/account/tokens/").content.decode()
    assert Api(Client(), secret).get("/incidents").status_code == 401

    others = ApiToken.objects.get(user=other)
    assert browser.post(f"/account/tokens/{others.pk}/revoke/").status_code == 404
    assert Api(Client(), other_secret).get("/incidents").status_code == 200


def test_the_tokens_page_refuses_bad_input_beside_the_form(viewer: User) -> None:
    browser = english(Client())
    browser.force_login(viewer)
    response = browser.post("/account/tokens/", {"name": "x", "expires_in_days": "0"})
    assert response.status_code == 200
    assert response.context["secret"] == ""
    assert "greater than or equal to 1" in response.content.decode()
    assert not ApiToken.objects.filter(name="x").exists()
