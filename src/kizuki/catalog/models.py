from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team


class Service(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    team = models.ForeignKey(
        Team, verbose_name=_("owning team"), on_delete=models.PROTECT, related_name="services"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name
