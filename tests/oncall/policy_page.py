"""The escalation policy form as a browser without JavaScript sees it: read the fields and
their current values from the page, change some, press a button (post it all back)."""

from html.parser import HTMLParser
from typing import Any

from django.test import Client


class FormFields(HTMLParser):
    """The values a browser would submit from the page's policy form (data-testid
    "policy-form"): text, number and hidden inputs, and each select's chosen option."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._in_form = found.get("data-testid") == "policy-form"
        if not self._in_form:
            return
        name = found.get("name", "")
        if tag == "input" and name and found.get("type", "text") in {"text", "number", "hidden"}:
            self.values[name] = found.get("value", "")
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select is not None:
            value = found.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in found:
                self.values[self._select] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        if tag == "select" and self._select is not None:
            self.values.setdefault(self._select, self._first_option or "")
            self._select = None


def fields(html: str) -> dict[str, str]:
    """The form's values, without the CSRF token (it changes with every page; the test client
    does not check it)."""
    reader = FormFields()
    reader.feed(html)
    reader.values.pop("csrfmiddlewaretoken", None)
    return reader.values


def press(web: Client, url: str, page: Any, button: str = "save", **changes: str) -> Any:
    """Change fields of the form on `page` (step_0_wait= stands for step-0-wait) and press the
    button with that `op` value; returns the response."""
    values = fields(page.content.decode())
    assert values, "no policy form on the page"
    for name, value in changes.items():
        key = name.replace("_", "-")
        if key not in ("name", "team", "repeat"):
            assert key in values, f"no field {key} on the page"
        values[key] = value
    return web.post(url, {**values, "op": button})
