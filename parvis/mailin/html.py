"""HTML mail read as text: what a person sees, without scripts, styles or the quoted history.

Mail clients put the history they quote in known containers (Gmail's ``gmail_quote``,
Apple Mail's and Thunderbird's ``blockquote type="cite"``, Outlook's ``divRplyFwdMsg`` and
``appendonsend``, Yahoo's ``yahoo_quoted``); their content is turned into ``>``-quoted lines
so that ``quotes.visible_text`` cuts it as it cuts quoted plain text.
"""

from html.parser import HTMLParser

import nh3

_SKIPPED = {"script", "style", "head", "title", "template", "noscript"}
_BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "ul", "ol", "table", "tr", "h1", "h2",
    "h3", "h4", "h5", "h6", "pre", "address", "hr", "center", "form",
}  # fmt: skip
_QUOTE_CLASSES = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix", "protonmail_quote")
_QUOTE_IDS = ("divRplyFwdMsg", "appendonsend", "mail-editor-reference-message-container")


class _TextWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.skipping: list[str] = []
        self.stack: list[bool] = []  # for each open element: does it start a quote?
        self.quote_depth = 0

    def _newline(self) -> None:
        if self.lines[-1].strip():
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping.append(tag)
            return
        if tag in ("br",):
            self.lines.append("")
            return
        if tag in ("img", "hr", "meta", "link", "input", "wbr"):
            if tag == "hr":
                self._newline()
            return
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        quote = (
            (tag == "blockquote")
            or any(name in classes for name in _QUOTE_CLASSES)
            or (values.get("id") or "") in _QUOTE_IDS
        )
        self.stack.append(quote)
        if quote:
            self.quote_depth += 1
        if tag in _BLOCKS or tag in ("li", "blockquote", "td", "th") or quote:
            self._newline()
        if tag == "li":
            self.lines[-1] += "- "

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in ("br", "img", "hr", "meta", "link", "input", "wbr"):
            return
        if self.stack and self.stack.pop():
            self.quote_depth -= 1
        if tag in _BLOCKS or tag in ("li", "blockquote"):
            self._newline()
        elif tag in ("td", "th"):
            self.lines[-1] += " "

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        text = " ".join(data.split())
        if not text:
            if data and self.lines[-1] and not self.lines[-1].endswith(" "):
                self.lines[-1] += " "
            return
        if self.quote_depth and not self.lines[-1].startswith(">"):
            self.lines[-1] = "> " + self.lines[-1]
        if data[:1].isspace() and self.lines[-1] and not self.lines[-1].endswith(" "):
            self.lines[-1] += " "
        self.lines[-1] += text
        if data[-1:].isspace():
            self.lines[-1] += " "


def html_to_text(html: str) -> str:
    """The text of an HTML mail, one line per block, quoted history prefixed with ``>``."""
    if not html:
        return ""
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    lines = [line.rstrip() for line in writer.lines]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


# What a received HTML mail keeps when an agent reads it: its structure and its links. No
# image (a remote one is a tracking pixel: opening the mail would tell the sender), no style,
# no script, no form; links open outside, without the page as referrer.
_SAFE_TAGS = nh3.ALLOWED_TAGS - {"img", "map", "area"}
_SAFE_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


def safe_html(html: str) -> str:
    """The mail's HTML with only what is safe to show inside a Parvis page."""
    if not html.strip():
        return ""
    return nh3.clean(
        html,
        tags=_SAFE_TAGS,
        attributes=_SAFE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
