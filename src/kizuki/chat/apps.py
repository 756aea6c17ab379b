from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kizuki.core import periodic


class ChatConfig(AppConfig):
    name = "kizuki.chat"
    label = "chat"
    verbose_name = _("Slack")

    def ready(self) -> None:
        # The tasks import models, which exist only once the app registry is ready: ready()
        # is Django's hook for exactly this, so these are the imports inside a function.
        from kizuki.chat import subscriptions, tasks  # noqa: PLC0415
        from kizuki.chat.dm import SlackChannelPost, SlackDmChannel  # noqa: PLC0415
        from kizuki.notify import channels  # noqa: PLC0415
        from kizuki.notify.models import Method  # noqa: PLC0415

        subscriptions.register()
        periodic.register(tasks.run_periodic)
        # Always installed: they check for a bot token on each send (settings can change in
        # tests), and without one fail exactly like notify's UnconfiguredSlack.
        channels.install(Method.SLACK, SlackDmChannel())
        channels.install(channels.SLACK_CHANNEL_POST, SlackChannelPost())
