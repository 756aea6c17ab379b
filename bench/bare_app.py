"""The yardstick for bench/ingest.py: a bare Django project of one view that inserts the
request body into one table, on the database Kizuki uses, configured as Kizuki configures
it. gunicorn serves it with Kizuki's worker and thread counts; it is never part of Kizuki.

    python bare_app.py        creates its table (KIZUKI_DATABASE_URL names the database)
    gunicorn bare_app:application --chdir bench ...   serves POST /insert
"""

import os
import sys

import django
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from kizuki.config.env import KizukiSettings, database_from_url, statement_timeout_here

TABLE = "bench_bare_insert"
ENV = KizukiSettings()

# Settings: this module is the settings module, the URL conf and the WSGI entry point.
SECRET_KEY = "bench-only"  # noqa: S105 - a loopback benchmark, never deployed
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = __name__
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
USE_TZ = True
DATABASES = {
    "default": database_from_url(
        ENV.database_url,
        conn_max_age=ENV.database_conn_max_age,
        connect_timeout=ENV.database_connect_timeout,
        statement_timeout=statement_timeout_here(ENV),
    )
}


@csrf_exempt
def insert(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (body) VALUES (%s)", [request.body.decode()])
    return HttpResponse(status=202)


urlpatterns = [path("insert", insert)]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", __name__)
django.setup(set_prefix=False)
application = WSGIHandler()


def create_table() -> None:
    key = "BIGSERIAL" if connection.vendor == "postgresql" else "INTEGER"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id {key} PRIMARY KEY, body TEXT)")


if __name__ == "__main__":
    create_table()
    sys.exit(0)
