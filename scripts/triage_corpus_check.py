"""Check the triage bootstrap corpus and print its counts.

Why: the corpus is hand-edited JSON Lines; a typo in a slug, a démarche filed under
the wrong service or a pasted duplicate would silently teach the classifier nonsense.
This check reads the slugs from the default catalogue (the single source of truth) so
the corpus cannot drift from it, and prints the tables quoted in the corpus README.

Usage: python scripts/triage_corpus_check.py [parvis/routing/corpus/bootstrap.jsonl]
Exit status 1 when any line is invalid.
"""

import collections
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "parvis" / "catalog" / "default_catalog.yaml"
DEFAULT_CORPUS = ROOT / "parvis" / "routing" / "corpus" / "bootstrap.jsonl"
STYLES = {"email", "letter", "sms", "phone_note", "form", "web_other"}
KEYS = {"text", "service", "request_type", "style"}
ACCENTED = re.compile(r"[àâäéèêëîïôöùûüÿçœæ]", re.IGNORECASE)
NEAR_DUPLICATE = 0.5  # share of word trigrams two texts may have in common


def normalised(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form used to spot duplicates."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(re.findall(r"[a-z0-9]+", bare))


def trigrams(text: str) -> set[tuple[str, ...]]:
    words = normalised(text).split()
    return set(zip(words, words[1:], words[2:], strict=False))


def closest_pair(rows: list[dict[str, Any]]) -> tuple[float, int, int]:
    """The two texts sharing the largest part of their word trigrams (Jaccard)."""
    shingles = [trigrams(r["text"]) for r in rows]
    best = (0.0, 0, 0)
    for i, a in enumerate(shingles):
        for j in range(i + 1, len(shingles)):
            b = shingles[j]
            if a and b and not a.isdisjoint(b):
                score = len(a & b) / len(a | b)
                if score > best[0]:
                    best = (score, i, j)
    return best


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    catalog = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))
    services = {s["slug"] for s in catalog["services"]}
    owner = {r["slug"]: r["service"] for r in catalog["request_types"]}

    errors: list[str] = []
    rows: list[dict[str, Any]] = []
    line_numbers: list[int] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(corpus.read_text(encoding="utf-8").splitlines(), 1):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {number}: not JSON ({exc})")
            continue
        if not isinstance(row, dict) or set(row) != KEYS:
            errors.append(f"line {number}: keys must be exactly {sorted(KEYS)}")
            continue
        if not isinstance(row["text"], str) or not row["text"].strip():
            errors.append(f"line {number}: empty text")
        if row["service"] not in services:
            errors.append(f"line {number}: unknown service {row['service']!r}")
        request_type = row["request_type"]
        if request_type is not None and owner.get(request_type) != row["service"]:
            errors.append(
                f"line {number}: démarche {request_type!r} does not belong to {row['service']!r}"
            )
        if row["style"] not in STYLES:
            errors.append(f"line {number}: unknown style {row['style']!r}")
        key = normalised(str(row["text"]))
        if key in seen:
            errors.append(f"line {number}: duplicate of line {seen[key]}")
        seen[key] = number
        rows.append(row)
        line_numbers.append(number)

    total = len(rows)
    print(f"{total} examples")
    print("\nper service:")
    for slug, count in sorted(collections.Counter(r["service"] for r in rows).items()):
        print(f"  {slug:22} {count}")
    print("\nper démarche:")
    pairs = collections.Counter((r["service"], r["request_type"]) for r in rows)
    for (service, request_type), count in sorted(
        pairs.items(), key=lambda p: (p[0][0], p[0][1] or "")
    ):
        print(f"  {service:22} {request_type or '(none)':34} {count}")
    print("\nper style:")
    for style, count in collections.Counter(r["style"] for r in rows).most_common():
        print(f"  {style:12} {count:5}  {100 * count / total:4.1f} %")
    words = [len(r["text"].split()) for r in rows]
    no_accent = sum(1 for r in rows if not ACCENTED.search(r["text"]))
    print(f"\nwithout any accented letter: {no_accent} ({100 * no_accent / total:.1f} %)")
    print(f"5 to 20 words: {sum(5 <= w <= 20 for w in words)}")
    print(f"300 words or more: {sum(w >= 300 for w in words)}")
    print(f"median length: {sorted(words)[total // 2]} words")

    score, i, j = closest_pair(rows)
    pair = f"lines {line_numbers[i]} and {line_numbers[j]}"
    print(f"closest pair of texts: {pair}, {100 * score:.0f} % of word trigrams shared")
    if score > NEAR_DUPLICATE:
        errors.append(f"{pair} are near-identical")

    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
