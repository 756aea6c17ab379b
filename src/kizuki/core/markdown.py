"""Markdown that people write (retrospectives, notes) rendered to HTML that is safe to show.

Two layers: markdown-it-py renders CommonMark (with tables and strikethrough) with raw HTML
turned off, so `<script>` typed into a section stays text; then nh3 keeps only a short list
of tags and attributes and only http(s)/mailto links, whatever the renderer let through.
Links get rel="noopener noreferrer". Images become plain links to the image: a page never
loads a picture from somewhere else (the Content-Security-Policy would refuse it anyway), and
a PDF export never fetches one.

Table column alignment becomes a class (`align-left|center|right`), not a style attribute:
the Content-Security-Policy refuses inline styles."""

from collections.abc import Sequence

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALIGNMENTS = {"left", "center", "right"}
CLASSES = {cell: {f"align-{side}" for side in ALIGNMENTS} for cell in ("td", "th")}
SCHEMES = {"http", "https", "mailto"}


def _alignment_as_class(state: StateCore) -> None:
    """`style="text-align:right"` on table cells becomes `class="align-right"`."""
    for token in state.tokens:
        if token.type not in {"th_open", "td_open"}:
            continue
        style = str(token.attrs.pop("style", ""))
        side = style.removeprefix("text-align:")
        if side in ALIGNMENTS:
            token.attrSet("class", f"align-{side}")


def _image_as_link(
    _renderer: object, tokens: Sequence[Token], index: int, _options: object, _env: object
) -> str:
    """An image is shown as a link to it, labelled with its alt text (or its address)."""
    token = tokens[index]
    source = str(token.attrs.get("src", ""))
    label = "".join(child.content for child in token.children or []) or source
    return f'<a href="{escape(source)}">{escape(label)}</a>'


def _renderer() -> MarkdownIt:
    # html off: raw HTML in the text is shown as text. linkify off: only explicit links.
    # breaks on: a line break typed in the editor is a line break on the page (Japanese text
    # has no spaces to join wrapped lines with).
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
    md.enable(["table", "strikethrough"])
    md.core.ruler.push("alignment_as_class", _alignment_as_class)
    md.add_render_rule("image", _image_as_link)
    return md


_MARKDOWN = _renderer()


def render_markdown(text: str) -> SafeString:
    """The sanitised HTML of `text` (CommonMark + tables), safe to put in any page."""
    if not text or not text.strip():
        return mark_safe("")
    html = _MARKDOWN.render(text)
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        allowed_classes=CLASSES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer",
        clean_content_tags={"script", "style"},
    )
    return mark_safe(clean)  # noqa: S308 - nh3 has just sanitised it
