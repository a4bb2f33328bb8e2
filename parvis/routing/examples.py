"""A labelled request, as the classifier learns and is measured on it, and the files of them.

Light on purpose (no NumPy, no scikit-learn): what every process imports at start-up reads
from here, and only the processes that train or predict load the heavy libraries.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SEPARATOR = "/"
BOOTSTRAP_CORPUS = Path(__file__).parent / "corpus" / "bootstrap.jsonl"


@dataclass(frozen=True)
class Example:
    text: str
    service: str
    request_type: str | None = None

    @property
    def label(self) -> str:
        return f"{self.service}{SEPARATOR}{self.request_type or ''}"


def read_examples(path: Path) -> Iterator[Example]:
    """``{"text", "service", "request_type"}`` per line, as ``triage evaluate`` reads them."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                yield Example(
                    text=str(row["text"]),
                    service=str(row["service"]),
                    request_type=row.get("request_type") or None,
                )
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: {error}") from error
