"""A viewer on the incident may change only their own notes; responders change any."""

from kizuki.accounts.models import User
from tests.conftest import Api, api_for


def test_viewer_cannot_change_a_responders_note(viewer: User, responder_api: Api) -> None:
    incident = responder_api.post("/incidents", {"title": "遅い", "severity": 3}).json()
    ref = incident["number"]
    responder_api.post(f"/incidents/{ref}/roles", {"role": "scribe", "user": viewer.username})
    note = responder_api.post(f"/incidents/{ref}/timeline", {"text": "DB failover"}).json()
    viewer_api = api_for(viewer)

    assert (
        viewer_api.patch(f"/incidents/{ref}/timeline/{note['id']}", {"text": "x"}).status_code
        == 403
    )
    assert viewer_api.delete(f"/incidents/{ref}/timeline/{note['id']}").status_code == 403
    texts = [e["text"] for e in viewer_api.get(f"/incidents/{ref}/timeline").json()]
    assert "DB failover" in texts

    own = viewer_api.post(f"/incidents/{ref}/timeline", {"text": "顧客問い合わせ 3件"}).json()
    edited = viewer_api.patch(
        f"/incidents/{ref}/timeline/{own['id']}", {"text": "顧客問い合わせ 5件"}
    )
    assert edited.status_code == 200
    assert edited.json()["text"] == "顧客問い合わせ 5件"


def test_severity_change_on_a_move_is_on_the_timeline(responder_api: Api) -> None:
    ref = responder_api.post("/incidents", {"title": "遅い", "severity": 3}).json()["number"]
    moved = responder_api.post(f"/incidents/{ref}/transitions", {"to": "mitigated", "severity": 2})
    assert moved.json()["severity"] == 2
    events = [e["event"] for e in responder_api.get(f"/incidents/{ref}/timeline").json()]
    assert events[-2:] == ["severity", "transition"]
