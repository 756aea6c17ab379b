"""What people type as Markdown comes out as safe HTML: formatting kept, scripts never."""

from html.parser import HTMLParser

from kizuki.core.markdown import render_markdown


class Attributes(HTMLParser):
    """Every (tag, attribute) pair in a piece of HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[tuple[str, str]] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found |= {(tag, name) for name, _value in attrs}


def attributes(html: str) -> set[tuple[str, str]]:
    parser = Attributes()
    parser.feed(html)
    return parser.found


def test_plain_formatting_lists_and_code_render() -> None:
    html = render_markdown("## Cause\n\n- **Disk** full\n- `df -h` showed 100%\n\n1. one\n2. two")
    assert "<h2>Cause</h2>" in html
    assert "<strong>Disk</strong>" in html
    assert "<code>df -h</code>" in html
    assert "<ol>" in html
    assert "<li>one</li>" in html


def test_typed_html_and_script_stay_text() -> None:
    html = render_markdown('<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>')
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;img" in html
    assert attributes(html) == set()


def test_javascript_and_data_links_are_not_links() -> None:
    for source in (
        "[click](javascript:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](vbscript:msgbox)",
        "<javascript:alert(1)>",
    ):
        html = render_markdown(source)
        assert "href" not in html, (source, html)


def test_links_open_safely_and_keep_their_address() -> None:
    html = render_markdown(
        "[graph](https://grafana.example/d/1?from=1&to=2) [inc](/incidents/INC-3/)"
    )
    assert 'href="https://grafana.example/d/1?from=1&amp;to=2"' in html
    assert 'href="/incidents/INC-3/"' in html
    assert html.count('rel="noopener noreferrer"') == 2


def test_images_become_links_so_nothing_is_loaded_from_elsewhere() -> None:
    html = render_markdown("![error rate](https://grafana.example/render.png)")
    assert "<img" not in html
    assert '<a href="https://grafana.example/render.png"' in html
    assert ">error rate</a>" in html


def test_tables_render_with_alignment_as_a_class_not_a_style() -> None:
    html = render_markdown("| 軸 | 影響 |\n|:--|--:|\n| 顧客 | 1,200 件 |")
    assert "<table>" in html
    assert '<th class="align-left">軸</th>' in html
    assert '<td class="align-right">1,200 件</td>' in html
    assert "style=" not in html


def test_japanese_text_and_line_breaks_are_kept() -> None:
    html = render_markdown("決済APIで障害が発生した。\n遅延は30分続いた。")
    assert "決済APIで障害が発生した。<br>" in html
    assert "遅延は30分続いた。" in html


def test_empty_text_renders_nothing() -> None:
    assert render_markdown("") == ""
    assert render_markdown("  \n ") == ""


def test_no_event_handler_or_style_attribute_survives() -> None:
    html = render_markdown('[a](https://x.example "t" onclick="x") *b*{style=color:red}')
    assert attributes(html) <= {("a", "href"), ("a", "rel"), ("a", "title")}
    assert not {name for _tag, name in attributes(html)} & {"onclick", "style"}
