from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _

from kizuki.notify import outbound


class NotifyConfig(AppConfig):
    name = "kizuki.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        checks.register(outbound.check_allow_setting)
