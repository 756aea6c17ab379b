"""The header menu's links (core/base.html). A link to the page shown, or to the section it
belongs to, says so (`aria-current="page"`), and so does the group that holds it, so a person
sees where they are even while the group is folded."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def _is_current(context: template.Context, url: str) -> bool:
    request: Any = context.get("request")
    if request is None:
        return False
    path: str = request.path
    # The dashboard lives at "/": only the dashboard itself is under it.
    return path == url if url == "/" else path.startswith(url)


@register.simple_tag(takes_context=True)
def nav_link(context: template.Context, url_name: str, label: str) -> SafeString:
    """A link to the named URL, marked as the current page when the page shown is it or lies
    under it (a drill's page under "Drills")."""
    url = reverse(url_name)
    if _is_current(context, url):
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)


@register.simple_tag(takes_context=True)
def nav_group_state(context: template.Context, *url_names: str) -> str:
    """ " current" when one of the group's links leads to the page shown, else nothing: for
    the group's class attribute."""
    urls = (reverse(name) for name in url_names)
    return " current" if any(_is_current(context, url) for url in urls) else ""
