"""Every page carries a Content-Security-Policy that allows only Kizuki's own files."""

from typing import Any

from django.test import Client

from kizuki.accounts.models import User


def policy(response: Any) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_pages_forbid_inline_script_framing_and_foreign_hosts(responder: User) -> None:
    client = Client()
    client.force_login(responder)
    for path in ["/login/", "/", "/incidents/", "/api/v1/docs"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert policy(response) == {
            "default-src": "'self'",
            "script-src": "'self'",
            "style-src": "'self'",
            "img-src": "'self' data:",
            "frame-ancestors": "'none'",
            "form-action": "'self'",
            "base-uri": "'self'",
            "object-src": "'none'",
        }, path
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_api_docs_load_swagger_from_kizuki_itself(responder: User) -> None:
    client = Client()
    client.force_login(responder)
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
