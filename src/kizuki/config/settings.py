"""Django settings, all driven by the typed KizukiSettings object."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.sso_config import default_role, group_map, role_map
from kizuki.config.env import (
    KizukiSettings,
    database_from_url,
    email_from_url,
    statement_timeout_here,
)

ENV = KizukiSettings()
BASE_DIR = Path(__file__).resolve().parents[1]

SECRET_KEY = ENV.secret_key
DEBUG = ENV.debug
ALLOWED_HOSTS = [host.strip() for host in ENV.allowed_hosts.split(",") if host.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    # Listed so the API docs page serves Swagger UI from our own static files, not a CDN.
    "ninja",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "kizuki.core",
    "kizuki.accounts",
    "kizuki.notify",
    "kizuki.schedules",
    "kizuki.oncall",
    "kizuki.catalog",
    "kizuki.incidents",
    "kizuki.areas",
    "kizuki.formations",
    "kizuki.knowledge",
    "kizuki.stakeholders",
    "kizuki.alerts",
    "kizuki.chat",
    "kizuki.mailin",
    "kizuki.retros",
    "kizuki.followups",
    "kizuki.risks",
    "kizuki.reports",
    "kizuki.drills",
    "kizuki.readiness",
    "kizuki.automation",
    "kizuki.demo",
]

MIDDLEWARE = [
    # First: every response (refusals included) carries its request id and is timed.
    "kizuki.core.request_log.RequestIdMiddleware",
    "kizuki.core.metrics.RequestLatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Near the top: a database error anywhere below becomes 503 + Retry-After, not a 500.
    "kizuki.core.outage.DatabaseOutageMiddleware",
    "kizuki.core.request_limits.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kizuki.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sets request.htmx, so a view can answer a live refresh with just the partial.
    "django_htmx.middleware.HtmxMiddleware",
    "kizuki.core.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as axes asks: it turns a lockout flagged during the view into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Request bodies over 1 MB are refused (413 on the API); no alert or incident needs more.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

ROOT_URLCONF = "kizuki.config.urls"
WSGI_APPLICATION = "kizuki.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kizuki.oncall.context_processors.paging_banner",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        ENV.database_url,
        conn_max_age=ENV.database_conn_max_age,
        connect_timeout=ENV.database_connect_timeout,
        statement_timeout=statement_timeout_here(ENV),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes refuses locked-out logins before any password is hashed; then one capped hasher.
AUTHENTICATION_BACKENDS = [
    "kizuki.accounts.backends.LockoutBackend",
    "kizuki.accounts.backends.CappedModelBackend",
]
# Single sign-on (docs/sso.md, accounts/sso_*.py): OpenID Connect through mozilla-django-oidc.
KIZUKI_SSO = bool(
    ENV.oidc_client_id
    and (ENV.oidc_issuer or (ENV.oidc_authorization_endpoint and ENV.oidc_token_endpoint))
)
if KIZUKI_SSO:
    AUTHENTICATION_BACKENDS.append("kizuki.accounts.sso_backend.KizukiOIDCBackend")
KIZUKI_PASSWORD_LOGIN = ENV.password_login or not KIZUKI_SSO
KIZUKI_OIDC_ISSUER = ENV.oidc_issuer
OIDC_OP_AUTHORIZATION_ENDPOINT = ENV.oidc_authorization_endpoint
OIDC_OP_TOKEN_ENDPOINT = ENV.oidc_token_endpoint
OIDC_OP_USER_ENDPOINT = ENV.oidc_userinfo_endpoint
OIDC_OP_JWKS_ENDPOINT = ENV.oidc_jwks_endpoint
KIZUKI_OIDC_END_SESSION_ENDPOINT = ENV.oidc_end_session_endpoint
KIZUKI_OIDC_PROVIDER_LOGOUT = ENV.oidc_provider_logout
OIDC_RP_CLIENT_ID = ENV.oidc_client_id
OIDC_RP_CLIENT_SECRET = ENV.oidc_client_secret
OIDC_RP_SCOPES = ENV.oidc_scopes
OIDC_RP_SIGN_ALGO = ENV.oidc_sign_algo
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_STORE_ID_TOKEN = ENV.oidc_provider_logout  # the end-session request names the session
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"
KIZUKI_OIDC_GROUPS_CLAIM = ENV.oidc_groups_claim
KIZUKI_OIDC_ROLE_MAP = role_map(ENV.oidc_role_map)
KIZUKI_OIDC_TEAM_MAP = group_map(ENV.oidc_team_map, "KIZUKI_OIDC_TEAM_MAP")
KIZUKI_OIDC_DEFAULT_ROLE = default_role(ENV.oidc_default_role)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = ENV.language
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = ENV.time_zone
# Absolute links in notifications (acknowledge buttons, incident pages) start with this.
KIZUKI_BASE_URL = ENV.base_url.rstrip("/")
# True: anyone who can reach the server may read /status (and subscribe to it by e-mail).
KIZUKI_STATUS_PAGE_PUBLIC = ENV.status_page_public
# Mail from these domains may file reports by e-mail even when the sender has no account.
KIZUKI_MAIL_ALLOWED_DOMAINS = frozenset(
    domain.strip().lstrip("@").lower()
    for domain in ENV.mail_allowed_domains.split(",")
    if domain.strip()
)
# Loopback, link-local and private networks that user-chosen URLs (Apprise) may still reach:
# comma-separated hosts, CIDRs or host:port (see notify/outbound.py).
KIZUKI_OUTBOUND_ALLOW = ENV.outbound_allow

STATIC_URL = "static/"
STATIC_ROOT = ENV.static_root
# Serve static files straight from the apps: no collectstatic step before `kizuki serve`.
WHITENOISE_USE_FINDERS = True

# Login protection (docs/deployment.md): axes counts wrong passwords per username and client
# address, so a guesser is stopped without locking the real person out from their own device.
AXES_FAILURE_LIMIT = ENV.login_failure_limit
AXES_COOLOFF_TIME = timedelta(minutes=ENV.login_lockout_minutes)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Refused tries during a lockout write nothing and do not extend it: cheap under a flood.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "kizuki.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "kizuki.core.client.client_address"
# Failures are recorded; successful logins are not (Django keeps each user's last_login).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no banner on every start of a `kizuki` command
KIZUKI_LOGIN_CONCURRENCY = ENV.login_concurrency

# Running behind a TLS-terminating reverse proxy (docs/deployment.md): one switch.
KIZUKI_HTTPS = ENV.https
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if KIZUKI_HTTPS else None
SECURE_SSL_REDIRECT = KIZUKI_HTTPS
# Load balancers probe health over plain HTTP and do not follow redirects.
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health(/live|/ready)?$"]
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if KIZUKI_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = KIZUKI_HTTPS
SESSION_COOKIE_SECURE = KIZUKI_HTTPS
CSRF_COOKIE_SECURE = KIZUKI_HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Forms posted through a proxy carry the public origin, which may differ from the Host header.
CSRF_TRUSTED_ORIGINS = [
    f"{parts.scheme}://{parts.netloc}" for parts in [urlsplit(ENV.base_url)] if parts.netloc
]
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a promise only the owner of the parent domain can make; see the docs.
    "security.W021",
]
# Only our own files run or style a page: no inline script, style or event handler.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Slack (see README "Slack"). With no bot token nothing Slack happens and nothing fails.
KIZUKI_SLACK_BOT_TOKEN = ENV.slack_bot_token
KIZUKI_SLACK_SIGNING_SECRET = ENV.slack_signing_secret
KIZUKI_SLACK_APP_TOKEN = ENV.slack_app_token
KIZUKI_SLACK_API_URL = ENV.slack_api_url.rstrip("/")
# Placeholders: {YYYYMMDD} {YYYY} {MM} {DD} (declaration date in TIME_ZONE), {slug}, {number}.
KIZUKI_SLACK_CHANNEL_PATTERN = ENV.slack_channel_pattern
KIZUKI_SLACK_ANNOUNCE_CHANNEL = ENV.slack_announce_channel
KIZUKI_SLACK_HOTLINE_CHANNEL = ENV.slack_hotline_channel
KIZUKI_SLACK_PIN_REACTION = ENV.slack_pin_reaction
KIZUKI_SLACK_ARCHIVE_AFTER_HOURS = ENV.slack_archive_after_hours

# Retrospectives (retros app).
KIZUKI_RETRO_BLOCKS_CLOSE = ENV.retro_blocks_close
KIZUKI_RETRO_TEAM_REMINDER_DAYS = ENV.retro_team_reminder_days

# AI drafting of retrospective sections (retros/drafting.py). Without a URL nothing is sent.
KIZUKI_LLM_URL = ENV.llm_url
KIZUKI_LLM_MODEL = ENV.llm_model
KIZUKI_LLM_KEY = ENV.llm_key
KIZUKI_LLM_TIMEOUT = ENV.llm_timeout

# Prometheus snapshots of Performance Review findings (risks/prometheus.py). Empty: off.
KIZUKI_PROMETHEUS_URL = ENV.prometheus_url

# Prometheus /metrics (core/metrics.py): with a token, scrapes must send it as a bearer token.
KIZUKI_METRICS_TOKEN = ENV.metrics_token
# Keys sealing the secrets stored in the database (core/sealing.py), newest first.
KIZUKI_ENCRYPTION_KEYS = ENV.encryption_keys

EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT = email_from_url(ENV.email_url)
DEFAULT_FROM_EMAIL = ENV.email_from

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "kizuki.core.request_log.JsonFormatter"},
    },
    # Integration tokens travel in URL paths; keep them out of every log line.
    "filters": {
        "redact_tokens": {"()": "kizuki.config.redaction.RedactTokensFilter"},
        "request_id": {"()": "kizuki.core.request_log.RequestIdFilter"},
        "one_line_per_job": {"()": "kizuki.config.log_filters.OneLinePerJob"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # KIZUKI_LOG_FORMAT=json: one JSON object per line, with the request id.
            "formatter": ENV.log_format,
            "filters": ["redact_tokens", "request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    # axes logs every successful login at INFO; its failures and lockouts are WARNING.
    # WeasyPrint (PDF export) and its font library log every step at INFO.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # A job logs one line, when it ends (django-tasks also logs its start at INFO).
        "django_tasks": {"filters": ["one_line_per_job"]},
    },
}
