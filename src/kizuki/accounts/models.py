from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgRole(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    RESPONDER = "responder", _("Responder")
    ADMIN = "admin", _("Admin")


ROLE_RANK = {OrgRole.VIEWER: 0, OrgRole.RESPONDER: 1, OrgRole.ADMIN: 2}


class User(AbstractUser):
    org_role = models.CharField(
        _("organisation role"), max_length=20, choices=OrgRole.choices, default=OrgRole.VIEWER
    )
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("Empty follows the browser.")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    # The single sign-on provider's `sub` for this person: set on their first SSO login.
    oidc_subject = models.CharField(
        _("single sign-on subject"), max_length=255, unique=True, null=True, blank=True
    )

    def has_org_role(self, role: OrgRole) -> bool:
        return self.is_active and ROLE_RANK[OrgRole(self.org_role)] >= ROLE_RANK[role]


class Team(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    members: "models.ManyToManyField[User, Membership]" = models.ManyToManyField(
        User, through="Membership", related_name="teams"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE)
    team = models.ForeignKey(Team, on_delete=models.CASCADE)
    is_lead = models.BooleanField(_("team lead"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="one_membership")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.team}"


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Empty: the token works until it is revoked.
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
