"""Small things a new team notices: the browser's icon, one log line per job, readable mail
on the console, and an admin whose apps, models and audit actions read as words."""

import logging
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from kizuki.accounts.models import User
from kizuki.config.env import email_from_url
from tests.conftest import Api


def test_the_favicon_is_served_and_linked(client: Client, viewer: User) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon.streaming_content)  # type: ignore[attr-defined]
    client.force_login(viewer)
    assert '<link rel="icon" href="/static/kizuki/favicon.svg"' in client.get("/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_a_job_once(responder_api: Api, caplog: pytest.LogCaptureFixture) -> None:
    assert responder_api.post("/incidents", {"title": "Checkout is slow"}).status_code == 201
    with caplog.at_level(logging.INFO):
        call_command("worker", batch=True)
    jobs = [r.getMessage() for r in caplog.records if r.name == "django_tasks"]
    assert jobs
    assert all(line.endswith("state=SUCCESSFUL") for line in jobs), jobs
    ids = [line.split()[1] for line in jobs]
    assert len(ids) == len(set(ids))


def test_console_mail_shows_the_subject_and_body_decoded() -> None:
    backend, _host, _port = email_from_url("")
    stream = StringIO()
    connection = mail.get_connection(backend, stream=stream)
    message = mail.EmailMultiAlternatives(
        "【SEV1】決済が失敗しています",
        "お客さまが決済できません。\n対応をお願いします。",
        "Kizuki <kizuki@example.test>",
        ["田中 <tanaka@example.test>"],
        connection=connection,
    )
    message.attach_alternative("<p>お客さまが決済できません。</p>", "text/html")
    message.send()
    printed = stream.getvalue()
    assert "Subject: 【SEV1】決済が失敗しています" in printed
    assert "To: 田中 <tanaka@example.test>" in printed
    assert "お客さまが決済できません。\n対応をお願いします。" in printed
    assert "<p>お客さまが決済できません。</p>" in printed
    assert "=?utf-8?" not in printed
    assert "Content-Transfer-Encoding" not in printed


def admin_page(user: User, path: str) -> str:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_admin_names_apps_models_and_audit_actions(admin_api: Api, admin: User) -> None:
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    index = admin_page(admin, "/admin/")
    for name in ("System", "Alert groups", "Audit log"):
        assert f">{name}<" in index, name
    assert admin_api.post("/incidents", {"title": "Checkout is slow"}).status_code == 201
    log = admin_page(admin, "/admin/core/auditentry/")
    rows = log.split("<tbody>")[1].split("</tbody>")[0]
    assert '<td class="field-readable_action">Incident: reported</td>' in rows
    # The filter lists the actions by the same names.
    assert "Incident: reported</a>" in log.split("<tbody>")[1].split("</tbody>")[1]
