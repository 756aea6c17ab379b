from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kizuki.demo"
    label = "demo"
