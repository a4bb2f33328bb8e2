"""The project's files, the files never looked at, and the check over the whole tree."""

from collections.abc import Iterable, Iterator
from pathlib import Path

from parvis.core.untranslated.python import check_python_source
from parvis.core.untranslated.templates import check_template_source
from parvis.core.untranslated.text import Finding

# Never looked at, for good.
EXEMPT: dict[str, str] = {
    # Messages about the YAML files shipped in the repository, for whoever edits them; the
    # readers are Django-free by design (the benchmark's load client runs them without
    # settings), and Django's gettext needs settings.
    "parvis/catalog/data.py": "diagnostics of the shipped data files, Django-free",
    "parvis/core/datafiles.py": "diagnostics of the shipped data files, Django-free",
    "parvis/demo/data.py": "diagnostics of the shipped data files, Django-free",
    "parvis/knowledge/data.py": "diagnostics of the shipped data files, Django-free",
    # The reader of service-public.fr's fiches: the headings it writes are part of the French
    # article it makes (content, like the fiche), its complaints are about the file; and it
    # is Django-free. `kb import-dila` says them under a translated sentence.
    "parvis/knowledge/dila.py": "reader of French open-data fiches, Django-free",
    "parvis/bookings/data.py": "diagnostics of the shipped data files, Django-free",
    "parvis/workflows/data.py": "diagnostics of the shipped data files",
    # The benchmark harness: its French is generated demo content, its output is for us.
    "parvis/bench/": "benchmark harness (developer tool, demo content)",
    # What mail clients and servers write, matched in incoming mail, never shown to anyone.
    "parvis/mailin/quotes.py": "patterns of quoted-history headers written by mail clients",
    "parvis/mailin/kinds.py": "patterns of automatic-mail subjects written by mail servers",
    # This module's own patterns and examples.
    "parvis/core/untranslated/": "the checker itself",
}


def project_files(root: Path) -> Iterator[Path]:
    """The templates and Python modules of the ``parvis`` package that a person's text lives in.

    Tests, migrations and the pytest plugins are not: their strings are fixtures and facts.
    """
    package = root / "parvis"
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(root).as_posix()
        parts = path.relative_to(package).parts
        if "tests" in parts or "migrations" in parts or "__pycache__" in parts:
            continue
        if path.name in {"conftest.py", "pytest_env.py"}:
            continue
        template = "templates" in parts and path.suffix in {".html", ".txt"} and path.is_file()
        if (path.suffix == ".py" or template) and not _listed(relative, EXEMPT):
            yield path


def check_file(path: Path, root: Path) -> list[Finding]:
    relative = path.relative_to(root).as_posix()
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return check_python_source(source, relative)
    return check_template_source(source, relative)


def check_tree(root: Path) -> list[Finding]:
    """The unmarked text of every file of the project."""
    return [finding for path in project_files(root) for finding in check_file(path, root)]


def _listed(relative: str, entries: Iterable[str]) -> bool:
    return any(
        relative == entry or (entry.endswith("/") and relative.startswith(entry))
        for entry in entries
    )
