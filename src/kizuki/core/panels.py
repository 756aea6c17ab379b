"""Parts that higher apps put on a lower app's page (the lower app may not import them).

A page owns a `Panels`; a higher app adds its panel from AppConfig.ready(). A panel is given
what the page knows and answers with its template and that template's context."""

from collections.abc import Callable
from typing import Any, Generic, TypeVar

PageT = TypeVar("PageT")
Panel = Callable[[PageT], tuple[str, dict[str, Any]] | None]


class Panels(Generic[PageT]):
    def __init__(self) -> None:
        self._panels: list[Panel[PageT]] = []

    def add(self, panel: Panel[PageT]) -> None:
        """Panels show in the order added; adding one twice keeps one."""
        if panel not in self._panels:
            self._panels.append(panel)

    def fill(self, page: PageT, context: dict[str, Any]) -> None:
        """Put each panel's template in context["panels"] and its values in context. A panel
        answering None has nothing to show on this page."""
        context.setdefault("panels", [])
        for panel in self._panels:
            answer = panel(page)
            if answer is not None:
                template, values = answer
                context["panels"].append(template)
                context.update(values)
