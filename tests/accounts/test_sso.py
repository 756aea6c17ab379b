"""Single sign-on against a local OpenID Connect provider: the whole code flow over loopback,
roles and teams from groups on every login, and every way a sign-in can fail ending on a page
that says so (never a 500)."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import Membership, User
from kizuki.accounts.oidc_provider import forget_discovery
from kizuki.core.models import AuditEntry
from tests.accounts.oidc_stub import CLIENT_ID, CLIENT_SECRET, OidcStub, running_oidc_stub
from tests.conftest import PASSWORD, Api, make_user

ALICE = {
    "sub": "alice-0001",
    "preferred_username": "alice",
    "email": "alice@example.test",
    "name": "Alice Example",
    "groups": ["sre", "everyone"],
}


@pytest.fixture
def stub() -> Iterator[OidcStub]:
    with running_oidc_stub() as running:
        yield running


@pytest.fixture
def sso(settings: Any, stub: OidcStub, db: None) -> Iterator[OidcStub]:
    settings.KIZUKI_SSO = True
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "kizuki.accounts.sso_backend.KizukiOIDCBackend",
    ]
    settings.KIZUKI_OIDC_ISSUER = stub.url
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.KIZUKI_OIDC_ROLE_MAP = {"kizuki-admins": "admin", "sre": "responder"}
    settings.KIZUKI_OIDC_TEAM_MAP = {"sre": "platform"}
    settings.KIZUKI_OIDC_DEFAULT_ROLE = "viewer"
    accounts.create_team("platform", "Platform")
    forget_discovery()
    yield stub
    forget_discovery()


def browser() -> Client:
    return Client(headers={"accept-language": "en"})


def start(client: Client, next_page: str = "/incidents/") -> str:
    """Click "Sign in with SSO": the URL the browser is sent to at the provider."""
    response = client.get("/sso/login/", {"next": next_page})
    assert response.status_code == 302
    return str(response["Location"])


def at_provider(url: str) -> str:
    """The provider signs the person in and sends the browser back: the callback path."""
    answer = requests.get(url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    assert back.netloc == "testserver"
    return f"{back.path}?{back.query}"


def sign_in(client: Client, stub: OidcStub, person: dict[str, Any]) -> Any:
    stub.person = person
    return client.get(at_provider(start(client)))


def signed_in_as(client: Client) -> str:
    page = client.get("/incidents/")
    assert page.status_code == 200
    return str(page.context["user"].username)


def test_sso_signs_a_new_person_in_with_the_role_and_team_of_their_groups(sso: OidcStub) -> None:
    client = browser()
    login_page = client.get("/login/")
    assert "Sign in with SSO" in login_page.content.decode()

    response = sign_in(client, sso, ALICE)

    assert response.status_code == 302
    assert response["Location"] == "/incidents/"
    assert signed_in_as(client) == "alice"
    alice = User.objects.get(username="alice")
    assert (alice.org_role, alice.email, alice.first_name) == (
        "responder",
        "alice@example.test",
        "Alice Example",
    )
    assert alice.oidc_subject == "alice-0001"
    assert not alice.has_usable_password()
    assert Membership.objects.filter(user=alice, team__slug="platform").exists()
    assert sso.paths() == [
        "/.well-known/openid-configuration",
        "/authorize",
        "/token",
        "/jwks",
        "/userinfo",
    ]
    authorize = sso.requests[1]["query"]
    assert authorize["client_id"] == CLIENT_ID
    assert authorize["code_challenge_method"] == "S256"
    assert authorize["nonce"]
    assert AuditEntry.objects.filter(action="user.sso_create", object_id=str(alice.pk)).exists()


def test_a_change_of_groups_changes_the_role_and_teams_at_the_next_login(sso: OidcStub) -> None:
    sign_in(browser(), sso, ALICE)

    promoted = sign_in(browser(), sso, {**ALICE, "groups": ["kizuki-admins", "sre"]})
    assert promoted.status_code == 302
    alice = User.objects.get(username="alice")
    assert alice.org_role == "admin"
    assert alice.is_staff

    moved = browser()
    sign_in(moved, sso, {**ALICE, "groups": ["everyone"], "email": "a.example@example.test"})
    alice.refresh_from_db()
    assert (alice.org_role, alice.is_staff, alice.email) == (
        "viewer",
        False,
        "a.example@example.test",
    )
    assert not Membership.objects.filter(user=alice, team__slug="platform").exists()
    assert User.objects.filter(oidc_subject="alice-0001").count() == 1
    assert signed_in_as(moved) == "alice"


def test_someone_in_no_mapped_group_is_a_viewer_by_default(sso: OidcStub) -> None:
    client = browser()
    sign_in(client, sso, {**ALICE, "groups": ["marketing"]})
    assert signed_in_as(client) == "alice"
    assert User.objects.get(username="alice").org_role == "viewer"


def test_someone_in_no_mapped_group_is_refused_when_the_default_role_is_none(
    sso: OidcStub, settings: Any
) -> None:
    settings.KIZUKI_OIDC_DEFAULT_ROLE = ""
    client = browser()

    response = sign_in(client, sso, {**ALICE, "groups": ["marketing"]})

    assert response.status_code == 403
    assert "in no group that may use Kizuki" in response.content.decode()
    assert not User.objects.filter(username="alice").exists()
    assert client.get("/incidents/").status_code == 302  # still not signed in


def test_a_callback_with_another_state_is_refused(sso: OidcStub) -> None:
    client = browser()
    sso.person = ALICE
    back = at_provider(start(client))
    forged = back.replace("state=", "state=x")

    response = client.get(forged)

    assert response.status_code == 400
    assert "could not be verified" in response.content.decode()
    assert not User.objects.filter(username="alice").exists()


def test_a_callback_cannot_be_replayed(sso: OidcStub) -> None:
    client = browser()
    sso.person = ALICE
    back = at_provider(start(client))
    assert client.get(back).status_code == 302

    again = client.get(back)

    assert again.status_code == 400
    assert sso.paths().count("/token") == 1


def test_an_id_token_with_another_nonce_is_refused(sso: OidcStub) -> None:
    sso.nonce_override = "not-the-one-we-sent"
    client = browser()

    response = sign_in(client, sso, ALICE)

    assert response.status_code == 400
    assert "could not be verified" in response.content.decode()
    assert not User.objects.filter(username="alice").exists()


def test_an_id_token_for_another_client_is_refused(sso: OidcStub) -> None:
    sso.audience = "some-other-app"
    response = sign_in(browser(), sso, ALICE)
    assert response.status_code == 400
    assert not User.objects.filter(username="alice").exists()


def test_the_provider_refusing_or_cancelled_sign_in_says_so(sso: OidcStub) -> None:
    client = browser()
    start(client)
    response = client.get("/sso/callback/", {"error": "access_denied", "state": "whatever"})
    assert response.status_code == 403
    assert "did not sign you in (access_denied)" in response.content.decode()


def test_a_provider_that_is_down_gives_a_clear_page(sso: OidcStub, settings: Any) -> None:
    client = browser()
    sso.person = ALICE
    back = at_provider(start(client))
    # The provider goes away between the redirect and the code exchange.
    settings.KIZUKI_OIDC_ISSUER = ""
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{sso.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"
    settings.OIDC_OP_USER_ENDPOINT = "http://127.0.0.1:9/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "http://127.0.0.1:9/jwks"

    response = client.get(back)

    assert response.status_code == 502
    assert "could not be reached" in response.content.decode()
    assert "Sign in with SSO again" in response.content.decode()


def test_discovery_failing_gives_a_clear_page(settings: Any, sso: OidcStub) -> None:
    settings.KIZUKI_OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens on the discard port
    response = browser().get("/sso/login/")
    assert response.status_code == 502
    assert "could not be reached" in response.content.decode()


def test_an_existing_local_account_is_linked_by_username(sso: OidcStub) -> None:
    local = make_user("alice", "viewer")
    client = browser()

    sign_in(client, sso, ALICE)

    local.refresh_from_db()
    assert local.oidc_subject == "alice-0001"
    assert local.org_role == "responder"
    assert User.objects.filter(username__startswith="alice").count() == 1


def test_another_persons_username_is_not_taken_over(sso: OidcStub) -> None:
    sign_in(browser(), sso, ALICE)
    other = {**ALICE, "sub": "alice-0002", "email": "alice2@example.test"}

    client = browser()
    sign_in(client, sso, other)

    assert signed_in_as(client) == "alice-2"
    assert User.objects.get(username="alice").oidc_subject == "alice-0001"


def test_a_deactivated_account_is_refused(sso: OidcStub) -> None:
    sign_in(browser(), sso, ALICE)
    User.objects.filter(username="alice").update(is_active=False)

    response = sign_in(browser(), sso, ALICE)

    assert response.status_code == 403
    assert "deactivated" in response.content.decode()


def test_an_api_token_keeps_working_for_an_sso_person(sso: OidcStub) -> None:
    client = browser()
    sign_in(client, sso, ALICE)
    page = client.post("/account/tokens/", {"name": "cron", "expires_in_days": "30"})
    secret = page.context["secret"]
    api = Api(Client(), secret)

    assert api.get("/incidents").status_code == 200
    assert api.get("/tokens").json()["items"][0]["user"] == "alice"
    # The token acts with the person's role of the moment, which the latest SSO login set.
    make_user("bob", "viewer")
    assert api.get("/tokens", user="bob").status_code == 403
    sign_in(browser(), sso, {**ALICE, "groups": ["kizuki-admins"]})
    assert api.get("/tokens", user="bob").status_code == 200
    sign_in(browser(), sso, {**ALICE, "groups": []})
    assert api.get("/tokens", user="bob").status_code == 403
    assert api.get("/incidents").status_code == 200


def test_password_login_can_be_switched_off(sso: OidcStub, settings: Any) -> None:
    make_user("bob", "admin")
    settings.KIZUKI_PASSWORD_LOGIN = False
    client = browser()

    page = client.get("/login/").content.decode()
    assert "Sign in with SSO" in page
    assert 'name="password"' not in page
    refused = client.post("/login/", {"username": "bob", "password": PASSWORD})
    assert refused.status_code == 200
    assert client.get("/incidents/").status_code == 302
    admin_login = {"username": "bob", "password": PASSWORD}
    assert client.post("/admin/login/", admin_login).status_code == 200
    assert client.get("/admin/").status_code == 302


def test_without_sso_nothing_changes(db: None) -> None:
    client = browser()
    page = client.get("/login/").content.decode()
    assert "Sign in with SSO" not in page
    assert 'name="password"' in page
    assert client.get("/sso/login/").status_code == 404
    assert client.get("/sso/callback/", {"code": "x", "state": "y"}).status_code == 404
    make_user("bob", "viewer")
    assert client.post("/login/", {"username": "bob", "password": PASSWORD}).status_code == 302


def test_logging_out_can_end_the_providers_session_too(sso: OidcStub, settings: Any) -> None:
    settings.KIZUKI_OIDC_PROVIDER_LOGOUT = True
    settings.OIDC_STORE_ID_TOKEN = True
    client = browser()
    sign_in(client, sso, ALICE)

    response = client.post("/logout/")

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{sso.url}/logout"
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/login/"]
    assert query["id_token_hint"][0].count(".") == 2
    assert client.get("/incidents/").status_code == 302


def test_logging_out_is_local_by_default(sso: OidcStub) -> None:
    client = browser()
    sign_in(client, sso, ALICE)
    response = client.post("/logout/")
    assert response["Location"] == "/login/"
    assert client.get("/incidents/").status_code == 302
