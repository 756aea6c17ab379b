"""Input the database or the decoder cannot take is refused with a 400 that names the field,
and nothing is stored: lone surrogates, NUL, NaN/Infinity, huge numbers, deep nesting."""

import json
from typing import Any

import pytest
from django.test import Client

from kizuki.alerts.models import Alert
from kizuki.catalog.models import Service
from kizuki.core.safe_json import MAX_DEPTH
from tests.alerts.support import integration
from tests.conftest import Api
from tests.incidents.support import assert_error, english, report, row_counts

SURROGATE = "broken \ud800 text"  # json.dumps sends it as the escape "\ud800"
NUL = "before\x00after"


@pytest.fixture
def api(responder_api: Api) -> Api:
    return english(responder_api)


def raw(api: Api, method: str, path: str, body: bytes | str) -> Any:
    """Send a body exactly as given, the way a hand-rolled client would."""
    send = getattr(api.client, method)
    return send("/api/v1" + path, body, "application/json", headers=api._headers())


def counts(*extra: type[Any]) -> dict[str, int]:
    found = row_counts()
    found.update({model.__name__: model.objects.count() for model in extra})
    return found


@pytest.mark.parametrize(("text", "fragment"), [(SURROGATE, "surrogate"), (NUL, "NUL")])
def test_bad_text_in_an_incident_is_refused(api: Api, text: str, fragment: str) -> None:
    before = counts()
    response = api.post("/incidents", {"title": "Checkout fails", "description": text})
    assert_error(response, 400, "invalid", '"description"', fragment)
    ref = report(api)["number"]
    before = counts()
    assert_error(api.patch(f"/incidents/{ref}", {"title": text}), 400, "invalid", '"title"')
    assert_error(api.post(f"/incidents/{ref}/timeline", {"text": text}), 400, "invalid", '"text"')
    assert_error(
        api.post(f"/incidents/{ref}/status-updates", {"text": "Fixing", "plain_text": text}),
        400,
        "invalid",
        '"plain_text"',
        fragment,
    )
    assert counts() == before
    assert api.get(f"/incidents/{ref}").json()["title"] == "Checkout fails"


def test_bad_text_in_a_service_is_refused(admin_api: Api, service: Service) -> None:
    api = english(admin_api)
    response = api.post("/services", {"name": "Points", "description": SURROGATE})
    assert_error(response, 400, "invalid", '"description"', "surrogate")
    response = api.patch(f"/services/{service.pk}", {"description": NUL})
    assert_error(response, 400, "invalid", '"description"', "NUL")
    assert Service.objects.count() == 1
    assert Service.objects.get().description == ""


def test_nested_fields_are_named_with_their_path(api: Api) -> None:
    response = api.post("/incidents", {"title": "Checkout", "services": ["ok", SURROGATE]})
    assert_error(response, 400, "invalid", '"services[1]"')


def test_a_surrogate_pair_and_a_byte_order_mark_are_fine(api: Api) -> None:
    body = '{"title": "Checkout \\ud83d\\udd25 fails"}'
    response = raw(api, "post", "/incidents", body)
    assert response.status_code == 201, response.json()
    assert response.json()["title"] == "Checkout 🔥 fails"
    with_bom = raw(api, "post", "/incidents", b'\xef\xbb\xbf{"title": "Login fails"}')
    assert with_bom.status_code == 201, with_bom.json()


def test_nul_in_alert_fields_is_stripped_so_senders_do_not_retry_forever(
    admin_api: Api, service: Service
) -> None:
    _, path = integration(admin_api, service.pk, "webhook")
    payload = {"summary": "Disk\u0000 full", "fingerprint": "disk", "details": {"mount": NUL}}
    response = Client().post("/api/v1" + path, json.dumps(payload), "application/json")
    assert response.status_code == 202, response.json()
    assert Alert.objects.get().title == "Disk full"


def test_a_surrogate_in_alert_fields_is_refused(admin_api: Api, service: Service) -> None:
    _, path = integration(admin_api, service.pk, "webhook")
    payload = {"summary": "Disk full", "fingerprint": "disk", "details": {"mount": SURROGATE}}
    response = Client(headers={"Accept-Language": "en"}).post(
        "/api/v1" + path, json.dumps(payload), "application/json"
    )
    assert_error(response, 400, "invalid", '"details.mount"', "surrogate")
    assert not Alert.objects.exists()


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("[" * 5000 + "]" * 5000, f"deeper than {MAX_DEPTH}"),
        ('{"title": "x", "a": ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "}", "deeper"),
        ('{"title": "x", "severity": ' + "9" * 5000 + "}", "4300 digits"),
        ('{"title": "x", "severity": NaN}', "NaN"),
        ('{"title": "x", "severity": Infinity}', "Infinity"),
        ('{"title": "x", "severity": -Infinity}', "-Infinity"),
        ('{"title": "x", "severity": 1e999}', "too large"),
        ('{"title": "x"', "not valid JSON"),
        (b'{"title": "\xed\xa0\x80"}', "UTF-8"),
    ],
)
def test_bodies_the_decoder_cannot_take_are_400(api: Api, body: str | bytes, fragment: str) -> None:
    before = counts()
    assert_error(raw(api, "post", "/incidents", body), 400, "invalid", fragment)
    assert counts() == before


@pytest.mark.parametrize(
    "path",
    [
        "/incidents?status=%00",
        "/incidents?q=a%00b",
        "/incidents/INC-1%00",
        "/services?page=%00",
        "/alert-groups?status=%00",
    ],
)
def test_nul_in_the_address_is_400(api: Api, path: str) -> None:
    assert_error(api.get(path), 400, "invalid", "NUL")


def test_nul_in_a_web_address_is_400(responder_api: Api, client: Client) -> None:
    assert client.get("/incidents/?status=%00").status_code == 400


def test_a_session_cookie_with_nul_is_ignored(anonymous_api: Api) -> None:
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ij"
    response = client.get("/api/v1/incidents", headers={"Accept-Language": "en"})
    assert_error(response, 401, "unauthenticated")


def test_too_many_query_parameters_is_a_json_400(api: Api) -> None:
    query = "&".join(f"f{number}=x" for number in range(1500))
    assert_error(api.get(f"/incidents?{query}"), 400, "invalid", "too many")
