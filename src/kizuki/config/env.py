"""The typed settings object: every KIZUKI_* environment variable, in one place."""

import os
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[3]
# Set by config/wsgi.py before Django loads the settings: this process serves web requests,
# so its statements get KIZUKI_DATABASE_STATEMENT_TIMEOUT (the worker's and commands' do not).
WEB_PROCESS_VARIABLE = "KIZUKI_WEB_PROCESS"
# Seconds a thread keeps its SQLite connection for the next request.
SQLITE_CONN_MAX_AGE = 600


class KizukiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KIZUKI_")

    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'kizuki.sqlite3'}"
    # PostgreSQL only. Seconds a connection is kept for the next request (0: one per request).
    database_conn_max_age: int = 60
    # Seconds to wait for the server to accept a connection before the request fails (503).
    database_connect_timeout: int = 5
    # Seconds one statement of a web request may run before PostgreSQL cancels it (503).
    # The worker and commands such as migrate are not limited. 0: no limit.
    database_statement_timeout: float = 30
    secret_key: str = "dev-only-insecure-secret-key-change-me"  # noqa: S105 - replaced in production
    debug: bool = False
    time_zone: str = "Asia/Tokyo"
    language: str = "ja"
    allowed_hosts: str = "127.0.0.1,localhost,[::1]"
    base_url: str = "http://127.0.0.1:8000"
    status_page_public: bool = False
    email_url: str = ""
    email_from: str = "kizuki@localhost"
    mail_allowed_domains: str = ""
    # Hosts, CIDRs or host:port that user-chosen outbound URLs may reach despite being private.
    outbound_allow: str = ""
    static_root: str = str(PROJECT_ROOT / "var" / "static")
    # Behind a TLS-terminating reverse proxy: secure cookies, HSTS, redirect to https.
    https: bool = False
    # Login protection: wrong passwords allowed per username and address before a lockout.
    login_failure_limit: int = 10
    login_lockout_minutes: float = 15
    # Password checks one process runs at once; more logins at the same moment get a 429.
    login_concurrency: int = 2
    # Slack: everything is optional; without a bot token Kizuki does nothing in Slack.
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""
    slack_api_url: str = "https://slack.com/api"
    slack_channel_pattern: str = "incident_{YYYYMMDD}_{slug}"
    slack_announce_channel: str = ""
    slack_hotline_channel: str = ""
    slack_pin_reaction: str = "pushpin"
    slack_archive_after_hours: float = 24
    # Retrospectives: refuse Close until a required one is published; the days after the
    # owner's overdue reminder when the incident's team is reminded too.
    retro_blocks_close: bool = False
    retro_team_reminder_days: float = 3
    # AI drafting of retrospective sections: an OpenAI-compatible chat completions endpoint
    # (base URL ending in /v1). Empty: drafting is off and nothing is sent anywhere.
    llm_url: str = ""
    llm_model: str = ""
    llm_key: str = ""
    llm_timeout: float = 60
    # Performance Reviews: a Prometheus-compatible server (base URL, e.g. http://prometheus:9090)
    # whose query_range a finding may snapshot. Empty: snapshots are off and hidden.
    prometheus_url: str = ""
    # Prometheus /metrics: with a token, a scrape must send "Authorization: Bearer <token>".
    # Empty: /metrics is open (it holds aggregate numbers only).
    metrics_token: str = ""
    # Keys sealing stored secrets (core/sealing.py), newest first, comma-separated, each at
    # least 32 characters. Empty: one key derived from secret_key.
    encryption_keys: str = ""
    # Log lines as plain text, or as one JSON object per line with the request id ("json").
    log_format: Literal["plain", "json"] = "plain"
    # Single sign-on (docs/sso.md): on when a client id and an issuer (or the endpoints) are set.
    oidc_issuer: str = ""
    oidc_authorization_endpoint: str = ""
    oidc_token_endpoint: str = ""
    oidc_userinfo_endpoint: str = ""
    oidc_jwks_endpoint: str = ""
    oidc_end_session_endpoint: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scopes: str = "openid email profile"
    oidc_sign_algo: str = "RS256"
    oidc_groups_claim: str = "groups"
    # group=role,...; the highest role of a person's mapped groups is theirs, on every login.
    oidc_role_map: str = ""
    # group=team-slug,...: membership of these teams follows the groups.
    oidc_team_map: str = ""
    # The role of someone in no mapped group; `none` refuses them.
    oidc_default_role: str = "viewer"
    # Logging out also ends the session at the provider (its end_session_endpoint).
    oidc_provider_logout: bool = False
    # Off: only single sign-on logs people in (set it off only with SSO configured).
    password_login: bool = True

    @field_validator("encryption_keys")
    @classmethod
    def _keys_long_enough(cls, value: str) -> str:
        if any(len(part.strip()) < 32 for part in value.split(",")) and value.strip():
            msg = "each key in KIZUKI_ENCRYPTION_KEYS needs at least 32 characters"
            raise ValueError(msg)
        return value


def database_from_url(
    url: str,
    *,
    conn_max_age: int = 60,
    connect_timeout: int = 5,
    statement_timeout: float = 0,
) -> dict[str, object]:
    """Turn `sqlite:///path` or `postgresql://user@host:port/name` into a Django DATABASES entry.
    The keyword arguments apply to PostgreSQL (see KizukiSettings for what each means)."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        # `?timeout=5`: seconds to wait for a writer holding the file before giving up.
        timeout = float(parse_qs(parts.query).get("timeout", ["20"])[0])
        return {
            # Django's, with writers queued on a lock file instead of SQLite's busy wait.
            "ENGINE": "kizuki.core.sqlite_backend",
            "NAME": path,
            # Keep the file open between requests: opening it and running the PRAGMAs again
            # cost about half of a small request. A local file never goes stale; the limit
            # only bounds how long a thread holds it.
            "CONN_MAX_AGE": SQLITE_CONN_MAX_AGE,
            # WAL and a busy timeout let the web server and the worker share the file.
            "OPTIONS": {
                "timeout": timeout,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # Tests run on an in-memory database, as they would with Django's own backend
            # (which the test runner knows by name, and not this one).
            "TEST": {"NAME": ":memory:"},
        }
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "kizuki",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            # One kept connection per thread, no pool: see docs/production.md "Connections".
            "CONN_MAX_AGE": conn_max_age,
            # Check a kept connection before reuse: the first request after a database
            # restart reconnects instead of failing on the dead connection.
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": _postgresql_options(parts.query, connect_timeout, statement_timeout),
        }
    msg = f"KIZUKI_DATABASE_URL must start with sqlite:/// or postgresql://, got {url!r}"
    raise ValueError(msg)


def statement_timeout_here(settings: KizukiSettings) -> float:
    """The statement timeout for this process: the setting in a web process, else none."""
    return settings.database_statement_timeout if os.environ.get(WEB_PROCESS_VARIABLE) else 0


def _postgresql_options(
    query: str, connect_timeout: int, statement_timeout: float
) -> dict[str, object]:
    """libpq parameters: the URL's own (`?sslmode=require`, `?target_session_attrs=read-write`
    for a DSN listing several hosts) win over the settings."""
    options: dict[str, object] = {"connect_timeout": connect_timeout}
    if statement_timeout > 0:
        # Sent with the connection, so it costs no query; milliseconds, as PostgreSQL counts.
        options["options"] = f"-c statement_timeout={round(statement_timeout * 1000)}"
    options.update({key: values[-1] for key, values in parse_qs(query).items()})
    return options


def email_from_url(url: str) -> tuple[str, str, int]:
    """`smtp://host:port` sends through that server; empty prints mail to the console."""
    if not url:
        return "kizuki.core.mail.ConsoleEmailBackend", "localhost", 25
    parts = urlsplit(url)
    if parts.scheme != "smtp":
        msg = f"KIZUKI_EMAIL_URL must start with smtp://, got {url!r}"
        raise ValueError(msg)
    return (
        "django.core.mail.backends.smtp.EmailBackend",
        parts.hostname or "localhost",
        parts.port or 25,
    )
