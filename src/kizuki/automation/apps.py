from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kizuki.core import periodic


class AutomationConfig(AppConfig):
    name = "kizuki.automation"
    label = "automation"
    verbose_name = _("Automation")

    def ready(self) -> None:
        # The runner imports models, which exist only once the app registry is ready: ready()
        # is Django's hook for exactly this, so these are the imports inside a function.
        from kizuki.automation import running, subscriptions, wording  # noqa: PLC0415
        from kizuki.incidents.timeline_text import register_text  # noqa: PLC0415

        subscriptions.register()
        register_text(wording.RUN_ENTRY, wording.run_entry)
        register_text(wording.ACTION_ENTRY, wording.action_entry)
        periodic.register(running.retry_due)
