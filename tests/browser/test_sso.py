"""Single sign-on in a real browser: the login page offers SSO, the provider (a local stub)
sends the person back signed in with the role of their groups, and they make and revoke an
API token on their settings page. Screenshots in both languages."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import User
from kizuki.accounts.oidc_provider import forget_discovery
from tests.accounts.oidc_stub import CLIENT_ID, CLIENT_SECRET, OidcStub, running_oidc_stub
from tests.browser.conftest import in_, menu_link, shoot

SHOTS = Path("/tmp/shots/sso")  # noqa: S108 - screenshots to look at, not data


@pytest.fixture
def provider(settings: Any) -> Iterator[OidcStub]:
    with running_oidc_stub() as stub:
        settings.KIZUKI_SSO = True
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "kizuki.accounts.sso_backend.KizukiOIDCBackend",
        ]
        settings.KIZUKI_OIDC_ISSUER = stub.url
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.KIZUKI_OIDC_ROLE_MAP = {"sre": "responder"}
        stub.person = {
            "sub": "hana-1",
            "preferred_username": "hana",
            "email": "hana@example.test",
            "name": "Hana Sato",
            "groups": ["sre"],
        }
        forget_discovery()
        yield stub
        forget_discovery()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_sign_in_with_sso_and_manage_tokens(
    page: Page, provider: OidcStub, live_server: Any, language: str
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    say = in_(language)
    # Before login the page follows the browser; Django's language cookie stands in for it.
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": str(live_server)}]
    )
    # Signing in is a chain of loopback requests (provider, token, keys, userinfo) and the
    # first page of a run loads every app's views: allow for a busy machine.
    page.set_default_timeout(60_000)
    page.goto("/login/")
    shoot(page, SHOTS, f"login-{language}")

    page.get_by_role("link", name=say("Sign in with SSO")).click()
    page.wait_for_url("/")
    hana = User.objects.get(username="hana")
    assert hana.org_role == "responder"
    accounts.set_language(hana, language)

    menu_link(page, say("My API tokens")).click()
    page.wait_for_url("/account/tokens/")
    page.get_by_label(say("Name")).fill("deploy bot")
    page.get_by_role("button", name=say("Create"), exact=True).click()
    secret = page.get_by_test_id("new-token").inner_text()
    assert secret.startswith("kzk_")
    expect(page.get_by_test_id("token-row")).to_have_count(1)
    shoot(page, SHOTS, f"tokens-{language}")

    page.goto("/account/tokens/")
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    page.get_by_role("button", name=say("Revoke")).click()
    revoked = say("Revoked %(when)s").replace("%(when)s", "").strip()
    expect(page.get_by_test_id("token-row")).to_contain_text(revoked)
    expect(page.get_by_role("button", name=say("Revoke"))).to_have_count(0)
    shoot(page, SHOTS, f"tokens-revoked-{language}")
