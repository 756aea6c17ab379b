"""The typed settings object: every KIZUKI_* environment variable, in one place."""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[3]


class KizukiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KIZUKI_")

    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'kizuki.sqlite3'}"
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


def database_from_url(url: str) -> dict[str, object]:
    """Turn `sqlite:///path` or `postgresql://user@host:port/name` into a Django DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        # `?timeout=5`: seconds to wait for a writer holding the file before giving up.
        timeout = float(parse_qs(parts.query).get("timeout", ["20"])[0])
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            # WAL and a busy timeout let the web server and the worker share the file.
            "OPTIONS": {
                "timeout": timeout,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "kizuki",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            # Check a kept connection before reuse: the first request after a database
            # restart reconnects instead of failing on the dead connection.
            "CONN_HEALTH_CHECKS": True,
        }
    msg = f"KIZUKI_DATABASE_URL must start with sqlite:/// or postgresql://, got {url!r}"
    raise ValueError(msg)


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
