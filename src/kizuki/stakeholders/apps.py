from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kizuki.core import periodic


class StakeholdersConfig(AppConfig):
    name = "kizuki.stakeholders"
    label = "stakeholders"
    verbose_name = _("Stakeholder updates")

    def ready(self) -> None:
        # The tasks import models, which exist only once the app registry is ready: ready()
        # is Django's hook for exactly this, so this is the one import inside a function.
        from kizuki.stakeholders import actions, relay_actions, subscriptions  # noqa: PLC0415

        subscriptions.register()
        # Deliveries that failed for a while are tried again; unconfirmed requests expire.
        periodic.register(relay_actions.deliver_due)
        periodic.register(actions.expire_unconfirmed)
