from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kizuki.core import metrics, periodic


class OncallConfig(AppConfig):
    name = "kizuki.oncall"
    label = "oncall"
    verbose_name = _("On-call")

    def ready(self) -> None:
        # The engine imports models, which exist only once the app registry is ready: ready()
        # is Django's hook for exactly this, so this is the one import inside a function.
        from kizuki.oncall import engine, gauges  # noqa: PLC0415

        periodic.register(engine.run_due_escalations)
        periodic.register(engine.deliver_due_pages)
        metrics.register(gauges.PagingSeries())
