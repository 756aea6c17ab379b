"""The write done across every sealed column (core.sealed_columns finds them): sealing each
value again with the newest key, a batch of rows at a time, so it suits tables of any size."""

from django.db import transaction

from kizuki.core import sealing
from kizuki.core.sealed_columns import Outcome, columns

BATCH = 500


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
