"""An article's Markdown as safe HTML: CommonMark (with tables), then sanitised by nh3.

Raw HTML in the Markdown is not rendered (shown as text); what markdown-it writes is then
cleaned by nh3 (Ammonia) all the same, so that no path leads a script, a style or an
``on…`` attribute into a public page. The article's title is the page's only ``h1``: a text
whose sections are written ``# Heading`` has them all moved down one level (``h2``…).
Links to other sites open without the page as referrer.
"""

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def render_markdown(text: str) -> str:
    """The HTML of an article's text, safe to put in a page as it is."""
    tokens = _PARSER.parse(text or "")
    if any(t.type == "heading_open" and t.tag == "h1" for t in tokens):
        for token in tokens:
            _shift_heading(token)
    html = _PARSER.renderer.render(tokens, _PARSER.options, {})
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _shift_heading(token: Token) -> None:
    if token.type in ("heading_open", "heading_close"):
        level = min(int(token.tag[1]) + 1, 6)
        token.tag = f"h{level}"


def plain_text(text: str) -> str:
    """The words of an article's Markdown, for the search index (no markup)."""
    html = _PARSER.render(text or "")
    return nh3.clean(html, tags=set()).replace("&amp;", "&").strip()
