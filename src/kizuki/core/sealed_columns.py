"""Every column holding sealed values (SealedTextField and its kinds, in any app), and the
two things done across them: re-sealing with the newest key, and finding values no
configured key opens. Runs in batches, so it suits tables of any size."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Substr

from kizuki.core import sealing
from kizuki.core.fields import SealedTextField

BATCH = 500
# "sealed:v1:" + key id + ":": what tells which key sealed a value, read without opening it.
HEAD = len(sealing.PREFIX) + sealing.KEY_ID_LENGTH + 1


@dataclass
class Column:
    model: type[models.Model]
    field: str

    @property
    def name(self) -> str:
        return f"{self.model._meta.db_table}.{self.field}"

    def sealed(self) -> "models.QuerySet[models.Model]":
        rows: models.QuerySet[models.Model] = (
            self.model._default_manager.annotate(_head=Substr(self.field, 1, HEAD))
            .filter(_head__startswith=sealing.PREFIX)
            .order_by("pk")
        )
        return rows


def columns() -> Iterator[Column]:
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, SealedTextField):
                yield Column(model, field.name)


@dataclass
class Outcome:
    column: str
    resealed: int = 0
    unreadable: int = 0


def rotate() -> list[Outcome]:
    """Seal again with the newest key every value sealed with an older one. Values no key
    opens are left as they are and counted. Safe to run again: the second run finds none."""
    newest = f"{sealing.PREFIX}{sealing.key_ring()[0].id}:"
    outcomes = []
    for column in columns():
        outcome = Outcome(column.name)
        last_pk = 0
        while True:
            batch = list(
                column.sealed()
                .exclude(_head=newest)
                .filter(pk__gt=last_pk)
                .only("pk", column.field)[:BATCH]
            )
            if not batch:
                break
            with transaction.atomic():
                for row in batch:
                    if sealing.is_sealed(getattr(row, column.field)):
                        outcome.unreadable += 1  # still sealed after loading: no key opens it
                    else:
                        row.save(update_fields=[column.field])
                        outcome.resealed += 1
            last_pk = batch[-1].pk
        outcomes.append(outcome)
    return outcomes


def unreadable() -> list[Outcome]:
    """Per column, the values no configured key opens."""
    known = [f"{sealing.PREFIX}{key.id}:" for key in sealing.key_ring()]
    outcomes = []
    for column in columns():
        outcome = Outcome(column.name)
        outcome.unreadable = column.sealed().exclude(_head__in=known).count()
        outcomes.append(outcome)
    return outcomes
