from django.contrib import admin

from kizuki.catalog.models import Service, ServiceChange


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    list_display = ["name", "slug", "team"]
    list_filter = ["team"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ServiceChange)
class ServiceChangeAdmin(admin.ModelAdmin[ServiceChange]):
    list_display = ["happened_at", "service", "summary", "source"]
    list_filter = ["service"]
    date_hierarchy = "happened_at"
