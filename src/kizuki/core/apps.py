from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kizuki.core"
    label = "core"
