"""Reading the YAML data files shipped with Parvis (the default catalogue, the demo corpus).

``yaml.safe_load`` builds plain values and nothing else. This module adds what it lacks: a
key written twice in one mapping is an error instead of the last one silently winning, and
every complaint names the file and the path of the bad entry
(``default_catalog.yaml: request_types[12].fields[3].kind: …``), so that whoever edited the
file finds the line. Django-free, like the files' readers.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

# libyaml's composer, where PyYAML was built with it, is ten times faster than pure Python.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Past this many, the accepted values are not listed in a complaint.
_LISTED_AT_MOST = 12


class DataFileError(ValueError):
    """A data file that does not say what Parvis expects: which file, where, what is wrong."""

    def __init__(self, source: str, path: str, message: str) -> None:
        self.source = source
        self.path = path
        self.message = message
        super().__init__(f"{source}: {path}: {message}" if path else f"{source}: {message}")


def read_yaml(path: Path) -> object:
    """The file's document as plain values; bad YAML and a key written twice are refused."""
    text = path.read_text(encoding="utf-8")
    try:
        _refuse_repeated_keys(yaml.compose(text, Loader=_COMPOSER), path.name, "")
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DataFileError(path.name, "", f"YAML illisible : {error}") from error


def _refuse_repeated_keys(node: yaml.Node | None, source: str, path: str) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            where = _key_path(path, key)
            if key in seen:
                line = key_node.start_mark.line + 1
                raise DataFileError(source, where, f"clé écrite deux fois (ligne {line})")
            seen.add(key)
            _refuse_repeated_keys(value_node, source, where)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _refuse_repeated_keys(item, source, f"{path}[{index}]")


def _key_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def shown(value: object) -> str:
    """A value as the person who wrote the file would recognise it."""
    if value is None:
        return "rien"
    if isinstance(value, dict):
        return "des clés"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, bool):
        return f"« {'true' if value else 'false'} »"
    return f"« {value} »"


@dataclass(frozen=True)
class Entry:
    """One value of a data file and its path in the file, so that a complaint can say where."""

    source: str
    path: str
    value: object

    def error(self, message: str) -> DataFileError:
        return DataFileError(self.source, self.path, message)

    def _child(self, key: str | int, value: object) -> "Entry":
        path = f"{self.path}[{key}]" if isinstance(key, int) else _key_path(self.path, key)
        return Entry(self.source, path, value)

    def mapping(
        self, required: Sequence[str], optional: Mapping[str, object] | None = None
    ) -> dict[str, "Entry"]:
        """Its entries by key: each required key, each optional one (its default if absent).

        Any other key is refused: a misspelt optional key would otherwise be silently ignored.
        """
        optional = optional or {}
        value = self.value
        expected = ", ".join([*required, *optional])
        if not isinstance(value, dict):
            raise self.error(f"attendu : les clés {expected} ; trouvé {shown(value)}")
        for key in value:
            if key not in required and key not in optional:
                raise self._child(str(key), None).error(f"clé inconnue (attendues : {expected})")
        entries = {}
        for key in required:
            if key not in value:
                raise self.error(f"il manque la clé « {key} »")
            entries[key] = self._child(key, value[key])
        for key, default in optional.items():
            entries[key] = self._child(key, value.get(key, default))
        return entries

    def keyed(self) -> tuple[tuple[str, "Entry"], ...]:
        """A mapping whose keys are data (a démarche's slug, a field's key), in file order."""
        if not isinstance(self.value, dict):
            raise self.error(f"attendu : des clés ; trouvé {shown(self.value)}")
        return tuple((str(key), self._child(str(key), item)) for key, item in self.value.items())

    def sequence(self, *, empty: bool = True) -> tuple["Entry", ...]:
        if not isinstance(self.value, list | tuple):
            raise self.error(f"attendu : une liste ; trouvé {shown(self.value)}")
        if not self.value and not empty:
            raise self.error("la liste ne peut pas être vide")
        return tuple(self._child(index, item) for index, item in enumerate(self.value))

    def text(self, *, blank: bool = False, max_length: int | None = None) -> str:
        """A string, not empty unless ``blank``, without stray spaces or newlines at its ends."""
        value = self.value
        if not isinstance(value, str):
            # YAML reads 12, true, non-quoted dates… as what they look like.
            hint = "" if value is None or isinstance(value, dict | list) else " (entre guillemets)"
            raise self.error(f"attendu : un texte ; trouvé {shown(value)}{hint}")
        if not value and not blank:
            raise self.error("ne peut pas être vide")
        if value != value.strip():
            raise self.error(
                "espaces ou sauts de ligne en trop au début ou à la fin (« |- », « >- »)"
            )
        if max_length is not None and len(value) > max_length:
            raise self.error(f"{len(value)} caractères, {max_length} au plus")
        return value

    def identifier(self, pattern: re.Pattern[str], rule: str, *, max_length: int) -> str:
        """A text that must match ``pattern``; ``rule`` says in French what it allows."""
        value = self.text(max_length=max_length)
        if not pattern.fullmatch(value):
            raise self.error(f"« {value} » n'est pas un identifiant valide ({rule})")
        return value

    def one_of(self, accepted: Sequence[str], what: str) -> str:
        """A text among ``accepted``; ``what`` names in French what it should be."""
        value = self.text()
        if value not in accepted:
            listed = f" ({', '.join(accepted)})" if len(accepted) <= _LISTED_AT_MOST else ""
            raise self.error(f"« {value} » n'est pas {what}{listed}")
        return value

    def number(self) -> int | float:
        value = self.value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        raise self.error(f"attendu : un nombre ; trouvé {shown(value)}")

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.error(f"attendu : true ou false ; trouvé {shown(self.value)}")
        return self.value


def refuse_repeat(seen: dict[str, str], entry: Entry, value: str) -> None:
    """Refuse ``value`` if ``seen`` (value → path of its first entry) has it; else record it."""
    if value in seen:
        raise entry.error(f"« {value} » figure déjà en {seen[value]}")
    seen[value] = entry.path
