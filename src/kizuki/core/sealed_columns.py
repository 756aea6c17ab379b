"""Every column holding sealed values (SealedTextField and its kinds, in any app), and the
values in them no configured key opens, counted by the database so it suits tables of any
size. Sealing them again with the newest key is a write: core.sealing_actions."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models.functions import Substr

from kizuki.core import sealing
from kizuki.core.fields import SealedTextField

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


def unreadable() -> list[Outcome]:
    """Per column, the values no configured key opens."""
    known = [f"{sealing.PREFIX}{key.id}:" for key in sealing.key_ring()]
    outcomes = []
    for column in columns():
        outcome = Outcome(column.name)
        outcome.unreadable = column.sealed().exclude(_head__in=known).count()
        outcomes.append(outcome)
    return outcomes
