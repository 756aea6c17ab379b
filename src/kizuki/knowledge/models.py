"""The search index: one Document per searchable thing (an incident, a timeline note, a status
update, a retrospective, ...), written only through knowledge.actions.

Besides these columns the database keeps a full-text index over the terms (see fulltext.py):
an FTS5 table over DocumentText kept in sync by triggers on SQLite, a `search` tsvector column
on Document with a GIN index on PostgreSQL. Both are created by migration 0001."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuki.accounts.models import Team
from kizuki.catalog.models import Service
from kizuki.incidents.models import Incident


class Kind(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    TIMELINE = "timeline", _("Timeline note")
    STATUS_UPDATE = "status_update", _("Status update")
    RETROSPECTIVE = "retrospective", _("Retrospective")
    FOLLOWUP = "followup", _("Follow-up")
    RISK = "risk", _("Risk")


class Document(models.Model):
    """What the search filters, orders and shows. Narrow on purpose: a search reads this row
    for every match, so the long texts live in DocumentText."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The id of the thing in its own app; (kind, source_id) names a document.
    source_id = models.CharField(_("source id"), max_length=64)
    # Who may read it follows the incident (queries.visible_to).
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    severity = models.PositiveSmallIntegerField(_("severity"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    updated_at = models.DateTimeField(_("indexed at"))
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("URL"), max_length=500)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id"], name="knowledge_one_per_source")
        ]
        indexes = [
            models.Index(fields=["kind", "occurred_at"], name="knowledge_kind_time"),
            models.Index(fields=["occurred_at"], name="knowledge_time"),
        ]
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"{self.kind} {self.source_id}: {self.title}"


class DocumentText(models.Model):
    """A document's texts and the tokenizer's terms (space-separated), which the full-text
    index is built from and the ranking counts."""

    document = models.OneToOneField(
        Document, primary_key=True, on_delete=models.CASCADE, related_name="text"
    )
    body = models.TextField(_("text"), blank=True)
    lessons = models.TextField(_("lessons"), blank=True)
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search document text")
        verbose_name_plural = _("search document texts")

    def __str__(self) -> str:
        return self.body[:50]
