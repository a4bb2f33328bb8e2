"""Templates: text nodes, visible attributes, literal filter arguments, tags' arguments."""

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from django.template.base import Lexer, Token, TokenType, filter_re

from parvis.core.untranslated.text import LETTERS, TWO_LETTERS, Finding, is_words

_VISIBLE_ATTRIBUTES = frozenset(
    {
        "alt",
        "title",
        "placeholder",
        "label",
        "aria-label",
        "aria-description",
        "aria-roledescription",
        "aria-placeholder",
        "aria-valuetext",
    }
)
_CODE_ELEMENTS = frozenset({"code", "kbd", "samp"})
_TRANSLATE_TAGS = frozenset({"translate", "trans"})
_BLOCK_TRANSLATE_TAGS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
# Tags whose literal arguments are names (templates, URLs, files, blocks), never text.
_NAME_TAGS = frozenset(
    {"url", "static", "extends", "include", "load", "block", "partialdef", "partial", "cycle"}
)
# Filters whose literal argument is a format or a number, never text.
_FORMAT_FILTERS = frozenset({"stringformat", "floatformat", "slice", "cut", "widthratio"})
_DATE_FILTERS = frozenset({"date", "time"})
_NAMED_DATE_FORMAT = re.compile(r"[A-Z_]+|[crU]")
# Stands for a variable or a tag in the text: not a letter, yet allowed in a tag's name
# (``<h{{ level }}>``); shown as "…" in a finding.
_PLACEHOLDER = "\ue000"
# Blocks that fill an attribute of the parent template (``{% block body_class %}``), not text.
_ATTRIBUTE_BLOCK = re.compile(r"\w+_(?:class|url|id|attrs)")


def check_template_source(source: str, path: str) -> list[Finding]:
    """The unmarked visible text of one template (Django template language, HTML or text)."""
    findings: list[Finding] = []
    skeleton: list[str] = []
    closing: str | None = None  # the end tag of the translated or comment block we are in
    loads_i18n = False
    translates = False
    for token in Lexer(source).tokenize():
        newlines = "\n" * token.contents.count("\n")
        if closing is not None:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            skeleton.append(newlines)
            continue
        if token.token_type == TokenType.TEXT:
            skeleton.append(token.contents)
            continue
        skeleton.append(_PLACEHOLDER + newlines)
        if token.token_type == TokenType.VAR:
            findings += _check_variable(token, path)
        elif token.token_type == TokenType.BLOCK:
            bits = token.split_contents()
            tag = bits[0]
            if tag == "load" and "i18n" in bits[1:]:
                loads_i18n = True
            if tag in _TRANSLATE_TAGS or tag in _BLOCK_TRANSLATE_TAGS:
                translates = True
            if tag in _BLOCK_TRANSLATE_TAGS:
                closing = _BLOCK_TRANSLATE_TAGS[tag]
            elif tag == "comment":
                closing = "endcomment"
            elif tag == "block" and len(bits) > 1 and _ATTRIBUTE_BLOCK.fullmatch(bits[1]):
                closing = "endblock"
            elif tag not in _TRANSLATE_TAGS:
                findings += _check_tag_arguments(token, bits, path)
    if translates and not loads_i18n:
        findings.append(Finding(path, 1, "{% load i18n %}", "translation tags without"))
    parser = _VisibleText(path)
    parser.feed("".join(skeleton))
    parser.close()
    return sorted(findings + parser.findings, key=lambda finding: finding.line)


def _line(token: Token) -> int:
    return token.lineno or 1


def _check_variable(token: Token, path: str) -> Iterator[Finding]:
    for match in filter_re.finditer(token.contents):
        constant, name, argument = match["constant"], match["filter_name"], match["constant_arg"]
        if constant and not constant.startswith("_(") and TWO_LETTERS.search(constant):
            yield Finding(path, _line(token), constant, "literal text in a variable")
        if name == "pluralize":
            yield Finding(
                path, _line(token), token.contents, "|pluralize: use {% blocktranslate count %}"
            )
        if not argument or argument.startswith("_("):
            continue
        value = argument[1:-1]
        if name in _DATE_FILTERS:
            if not _NAMED_DATE_FORMAT.fullmatch(value):
                yield Finding(path, _line(token), argument, 'date format: a named format or _("…")')
        elif name not in _FORMAT_FILTERS and is_words(value):
            yield Finding(path, _line(token), argument, f"literal text given to |{name}")


_LITERAL = re.compile(r"\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)'")


def _check_tag_arguments(token: Token, bits: list[str], path: str) -> Iterator[Finding]:
    arguments = bits[2:] if bits[0] in _NAME_TAGS else bits[1:]
    for argument in arguments:
        if argument.startswith("_("):
            continue
        for match in _LITERAL.finditer(argument):
            value = match[1] if match[1] is not None else match[2]
            if is_words(value):
                yield Finding(path, _line(token), value, f"literal text in {{% {bits[0]} %}}")


def visible_texts(html: str) -> list[str]:
    """The text nodes and visible attribute values (with a letter) of a rendered page."""
    parser = _VisibleText("")
    parser.feed(html)
    parser.close()
    return [finding.text for finding in parser.findings]


class _VisibleText(HTMLParser):
    """Text nodes and visible attributes of the template's skeleton (tags replaced)."""

    def __init__(self, path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.findings: list[Finding] = []
        self._hidden: list[str] = []  # open script, style and code elements

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = dict(attrs)
        for name, value in attrs:
            visible = name in _VISIBLE_ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in _BUTTON_TYPES
            )
            if visible and value and LETTERS.search(value):
                self.findings.append(Finding(self.path, line, value, f"attribute {name}"))
        if tag in {"script", "style"} or tag in _CODE_ELEMENTS:
            self._hidden.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._hidden:
            while self._hidden and self._hidden.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        letter = LETTERS.search(data)
        if letter is None or self._hidden:
            return
        line = self.getpos()[0] + data[: letter.start()].count("\n")
        text = re.sub(f"{_PLACEHOLDER}+", "…", data.strip(f" \t\n{_PLACEHOLDER}"))
        self.findings.append(Finding(self.path, line, text, "text outside {% translate %}"))


_BUTTON_TYPES = frozenset({"submit", "button", "reset"})
