"""`kizuki search-index rebuild` (also `kizuki search_index rebuild`): compute every search
document's terms again and have each source (incidents, their notes and status updates,
retrospectives, ...) push its documents again. Safe to run at any time, and again."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kizuki.knowledge.actions import reindex_all


class Command(BaseCommand):
    help = "Maintain the search index: `rebuild` computes it again from the sources."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reindex_all()
        details = ", ".join(f"{name}: {number}" for name, number in counts.items())
        self.stdout.write(f"Search index rebuilt ({details}).")
