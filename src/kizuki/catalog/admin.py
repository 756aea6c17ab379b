from django.contrib import admin

from kizuki.catalog.models import Service


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    list_display = ["name", "slug", "team"]
    list_filter = ["team"]
    prepopulated_fields = {"slug": ["name"]}
