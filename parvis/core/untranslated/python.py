"""Python: an AST walk over string literals, and where each one goes."""

import ast
from typing import TypeGuard

from parvis.core.untranslated.text import (
    GETTEXT_FUNCTIONS,
    PRAGMA,
    TWO_LETTERS,
    UNNAMED_PLACEHOLDER,
    Finding,
    looks_french,
)

# Keyword arguments that Django, DRF, argparse or a widget show to a person.
_SINK_KEYWORDS = frozenset(
    {
        "label",
        "help_text",
        "verbose_name",
        "verbose_name_plural",
        "empty_label",
        "empty_value_display",
        "error_messages",
        "choices",
        "description",
        "summary",
        "help",
        "message",
        "placeholder",
        "title",
    }
)
# Attributes that, assigned a string, show it to a person (and ``label``, except in a class
# body: an AppConfig's ``label = "accounts"`` is a name).
_SINK_ATTRIBUTES = frozenset(
    {
        "help",
        "help_text",
        "empty_label",
        "verbose_name",
        "verbose_name_plural",
        "short_description",
        "empty_value_display",
        "site_header",
        "site_title",
        "index_title",
        "message",
    }
)
# Dictionary keys (a widget's attrs) whose value a person reads.
_SINK_KEYS = frozenset({"placeholder", "title", "aria-label", "alt"})
# Exceptions whose first argument is shown to a person.
_SINK_EXCEPTIONS = frozenset(
    {
        "ValidationError",
        "CommandError",
        "PermissionDenied",
        "ParseError",
        "AuthenticationFailed",
        "NotAuthenticated",
        "NotFound",
        "APIException",
        "Throttled",
    }
)
_MESSAGE_LEVELS = frozenset({"debug", "info", "success", "warning", "error"})
_COMMAND_STYLES = frozenset({"SUCCESS", "WARNING", "ERROR", "NOTICE", "HTTP_INFO"})
_LOGGERS = frozenset({"logger", "log", "logging", "warnings"})
_SCOPES = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)
# Calls a string goes through on its way to a person.
_TRANSPARENT_CALLS = frozenset({"str", "mark_safe", "format_html", "capfirst", "format_lazy"})


def check_python_source(source: str, path: str) -> list[Finding]:
    """The unmarked user-visible strings of one Python module."""
    tree = ast.parse(source, filename=path)
    return _PythonChecker(path, source.splitlines()).run(tree)


class _PythonChecker:
    def __init__(self, path: str, lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        self.parents: dict[ast.AST, ast.AST] = {}
        self.findings: list[Finding] = []

    def run(self, tree: ast.Module) -> list[Finding]:
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        skipped = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node.func) in GETTEXT_FUNCTIONS:
                self._check_gettext(node)
            if node in skipped or not _is_text(node):
                continue
            if isinstance(node, ast.Constant) and isinstance(self.parents.get(node), ast.JoinedStr):
                continue  # judged with its f-string
            self._check_text(node)
        return sorted(self.findings, key=lambda finding: finding.line)

    def _check_text(self, node: ast.expr) -> None:
        if self._ignored(node):
            return
        text = _text_of(node)
        sink = self._sink(node)
        if sink is not None:
            if TWO_LETTERS.search(text):
                why = f"{sink}: f-string" if isinstance(node, ast.JoinedStr) else sink
                self._report(node, text, f"not marked for translation ({why})")
        elif looks_french(text):
            self._report(node, text, "French text not marked for translation")

    def _check_gettext(self, call: ast.Call) -> None:
        for argument in call.args:
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                if UNNAMED_PLACEHOLDER.search(argument.value):
                    self._report(argument, argument.value, "unnamed placeholder: use %(name)s")
            elif isinstance(argument, ast.JoinedStr):
                self._report(argument, _text_of(argument), "f-string given to gettext")

    def _report(self, node: ast.expr, text: str, why: str) -> None:
        self.findings.append(Finding(self.path, node.lineno, text, why))

    def _ignored(self, node: ast.expr) -> bool:
        """Inside a gettext call, a logging call or an assert, or on a line with the pragma."""
        last = node.end_lineno or node.lineno
        if any(PRAGMA in line for line in self.lines[node.lineno - 1 : last]):
            return True
        parent = self.parents.get(node)
        while parent is not None and not isinstance(parent, ast.stmt):
            if isinstance(parent, ast.Call):
                if _call_name(parent.func) in GETTEXT_FUNCTIONS:
                    return True
                if isinstance(parent.func, ast.Attribute) and _root_name(parent.func) in _LOGGERS:
                    return True
            parent = self.parents.get(parent)
        return isinstance(parent, ast.Assert)

    def _sink(self, node: ast.expr) -> str | None:
        """Where this literal goes, if it is one of the places a person reads it."""
        child: ast.AST = node
        parent = self.parents.get(node)
        last_in_tuple: bool | None = None  # for choices: the label, not the value
        while parent is not None and not isinstance(parent, ast.stmt):
            if isinstance(parent, ast.Tuple) and last_in_tuple is None:
                last_in_tuple = child is parent.elts[-1]
            elif isinstance(parent, ast.Dict):
                if child in parent.keys:
                    return None
                key = parent.keys[parent.values.index(child)]  # type: ignore[arg-type]
                if isinstance(key, ast.Constant) and key.value in _SINK_KEYS:
                    return f"{key.value!r} entry"
            elif isinstance(parent, ast.keyword):
                if parent.arg in _SINK_KEYWORDS and (parent.arg != "choices" or last_in_tuple):
                    return f"{parent.arg}="
                return None
            elif isinstance(parent, ast.Call):
                return self._call_sink(parent, child)
            elif isinstance(parent, ast.Compare | ast.Subscript):
                return None
            elif (
                isinstance(parent, ast.BinOp)
                and isinstance(parent.op, ast.Mod)
                and child is parent.right
            ):
                return None  # the values of a format, not its text
            child, parent = parent, self.parents.get(parent)
        if isinstance(parent, ast.Assign | ast.AnnAssign):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            for target in targets:
                name = target.attr if isinstance(target, ast.Attribute) else None
                name = target.id if isinstance(target, ast.Name) else name
                if name in _SINK_ATTRIBUTES or (name == "label" and self._not_a_name(target)):
                    return f"{name} ="
                if name == "choices" and last_in_tuple:
                    return "choices ="
            owner = self.parents.get(parent)
            if last_in_tuple and isinstance(owner, ast.ClassDef) and _is_choices(owner):
                return "choice label"
        return None

    def _not_a_name(self, target: ast.expr) -> bool:
        """A ``label`` that is a field's or a function's variable, not an AppConfig's name."""
        if isinstance(target, ast.Attribute):
            return True
        parent = self.parents.get(target)
        while parent is not None and not isinstance(parent, _SCOPES):
            parent = self.parents.get(parent)
        return not isinstance(parent, ast.ClassDef)

    def _call_sink(self, call: ast.Call, child: ast.AST) -> str | None:
        name = _call_name(call.func)
        if child not in call.args:
            return None
        position = call.args.index(child)
        on = _root_name(call.func) if isinstance(call.func, ast.Attribute) else None
        if on == "messages" and (
            (name in _MESSAGE_LEVELS and position == 1) or (name == "add_message" and position == 2)
        ):
            return f"messages.{name}()"
        if position == 0 and (
            name in _SINK_EXCEPTIONS or name in _COMMAND_STYLES or name == "write"
        ):
            return f"{name}()"
        if name in _TRANSPARENT_CALLS:
            return self._sink(call)
        return None


def _docstrings(tree: ast.Module) -> set[ast.AST]:
    found: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and _is_text(body[0].value):
                found.add(body[0].value)
    return found


def _is_text(node: ast.AST) -> TypeGuard[ast.Constant | ast.JoinedStr]:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    return isinstance(node, ast.JoinedStr)


def _text_of(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    assert isinstance(node, ast.JoinedStr)
    return "".join(
        str(part.value) if isinstance(part, ast.Constant) else "{…}" for part in node.values
    )


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _root_name(func: ast.Attribute) -> str | None:
    """``messages`` for ``messages.success``, ``logger`` for ``self.logger.info``."""
    value = func.value
    if isinstance(value, ast.Name):
        return value.id
    if isinstance(value, ast.Attribute):
        return value.attr
    return None


def _is_choices(cls: ast.ClassDef) -> bool:
    return any(
        _call_name(base) in {"TextChoices", "IntegerChoices", "Choices"} for base in cls.bases
    )
