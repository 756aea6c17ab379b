"""KIZUKI_HTTPS=true: Django's deployment check passes and plain HTTP is turned into HTTPS.

Settings are read once at start, so each case runs Kizuki in a fresh process with the
environment an operator would set."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "kizuki.example.test"


def production_env(tmp_path: Path) -> dict[str, str]:
    # Nothing from the test process's own configuration (the browser tests relax async
    # safety in os.environ, which the deployment check rightly refuses).
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("KIZUKI_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kizuki.config.settings",
        KIZUKI_HTTPS="true",
        KIZUKI_DEBUG="false",
        KIZUKI_SECRET_KEY=secrets.token_urlsafe(64),
        KIZUKI_ALLOWED_HOSTS=PUBLIC,
        KIZUKI_BASE_URL=f"https://{PUBLIC}",
        KIZUKI_DATABASE_URL=f"sqlite:///{tmp_path / 'kizuki.sqlite3'}",
    )
    return env


def test_check_deploy_is_clean(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output


# Requests made inside the production process with Django's test client (no network).
PROBE = f"""
import json
import django
django.setup()
from django.test import Client

def seen(response):
    return {{
        "status": response.status_code,
        "location": response.get("Location", ""),
        "hsts": response.get("Strict-Transport-Security", ""),
        "cookies": {{name: dict(morsel) for name, morsel in response.cookies.items()}},
    }}

client = Client(enforce_csrf_checks=True, HTTP_HOST="{PUBLIC}")
proxied = {{"HTTP_X_FORWARDED_PROTO": "https"}}
print(json.dumps({{
    "plain": seen(client.get("/login/")),
    "proxied": seen(client.get("/login/", **proxied)),
    "health": seen(client.get("/api/v1/health")),
    "csrf": seen(client.post("/login/", {{"username": "x", "password": "y"}}, **proxied)),
}}))
"""


def probe(tmp_path: Path) -> Any:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_https_switch_redirects_and_secures_cookies(tmp_path: Path) -> None:
    seen = probe(tmp_path)

    assert seen["plain"]["status"] == 301
    assert seen["plain"]["location"] == f"https://{PUBLIC}/login/"

    # Through the proxy (X-Forwarded-Proto: https) the page is served, HSTS on, cookie secure.
    proxied = seen["proxied"]
    assert proxied["status"] == 200
    assert proxied["hsts"] == "max-age=31536000; includeSubDomains"
    assert proxied["cookies"]["csrftoken"]["secure"] is True

    # A load balancer's plain-HTTP health probe is answered, not redirected.
    assert seen["health"]["status"] != 301
    assert seen["health"]["location"] == ""

    # Forms are still checked for CSRF behind the proxy (no token: refused, not a 500).
    assert seen["csrf"]["status"] == 403
