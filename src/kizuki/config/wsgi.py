import os

from django.core.wsgi import get_wsgi_application

from kizuki.config.env import WEB_PROCESS_VARIABLE

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuki.config.settings")
# Before the settings load: web requests get the statement timeout, other commands do not.
os.environ[WEB_PROCESS_VARIABLE] = "1"
application = get_wsgi_application()
