"""API tokens are stored hashed and can be revoked; the session cookie works for reading."""

from django.test import Client

from kizuki.accounts import actions as accounts
from kizuki.accounts.models import ApiToken, User
from kizuki.core.models import AuditEntry
from tests.conftest import Api, api_for


def test_the_secret_is_not_stored_only_its_digest(viewer: User) -> None:
    token, secret = accounts.create_token(viewer, "laptop")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()

    assert secret.startswith("kzk_")
    assert len(secret) > 40
    assert all(secret not in str(value) for value in stored.values())
    assert secret.startswith(stored["prefix"])  # the prefix only helps tell tokens apart
    assert len(stored["digest"]) == 64
    assert api_for(viewer).get("/incidents").status_code == 200


def test_a_revoked_token_is_refused_and_others_keep_working(viewer: User) -> None:
    kept = api_for(viewer)
    token, secret = accounts.create_token(viewer, "old laptop")
    revoked = Api(Client(), secret, viewer)
    assert revoked.get("/incidents").status_code == 200

    accounts.revoke_token(token, actor=viewer)

    response = revoked.get("/incidents")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert kept.get("/incidents").status_code == 200
    assert AuditEntry.objects.filter(action="token.revoke", object_id=str(token.pk)).count() == 1


def test_a_deactivated_users_token_is_refused(viewer_api: Api, viewer: User) -> None:
    viewer.is_active = False
    viewer.save()
    assert viewer_api.get("/incidents").status_code == 401


def test_a_token_must_be_sent_as_a_bearer_token(viewer_api: Api) -> None:
    headers = {"Authorization": f"Token {viewer_api.token}"}
    assert viewer_api.client.get("/api/v1/incidents", headers=headers).status_code == 401
    assert viewer_api.client.get("/api/v1/incidents").status_code == 401


def test_a_logged_in_browser_session_may_read(viewer: User) -> None:
    browser = Client()
    assert browser.get("/api/v1/incidents").status_code == 401
    browser.force_login(viewer)
    response = browser.get("/api/v1/incidents")
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert browser.get("/api/v1/severities").status_code == 200
