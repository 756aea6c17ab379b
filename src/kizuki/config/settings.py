"""Django settings, all driven by the typed KizukiSettings object."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from kizuki.config.env import KizukiSettings, database_from_url, email_from_url

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
    "django_tasks",
    "django_tasks_db",
    "kizuki.core",
    "kizuki.accounts",
    "kizuki.notify",
    "kizuki.oncall",
    "kizuki.catalog",
    "kizuki.incidents",
    "kizuki.stakeholders",
    "kizuki.alerts",
    "kizuki.chat",
    "kizuki.mailin",
    "kizuki.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kizuki.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kizuki.core.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
            ],
        },
    },
]

DATABASES = {"default": database_from_url(ENV.database_url)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
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

STATIC_URL = "static/"
STATIC_ROOT = ENV.static_root
# Serve static files straight from the apps: no collectstatic step before `kizuki serve`.
WHITENOISE_USE_FINDERS = True

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

EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT = email_from_url(ENV.email_url)
DEFAULT_FROM_EMAIL = ENV.email_from

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
