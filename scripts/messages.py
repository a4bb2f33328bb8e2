"""Extract, normalise and compile the translation catalogues (``make messages``).

    python scripts/messages.py           # update parvis/locale/*/LC_MESSAGES/django.{po,mo}
    python scripts/messages.py --check   # fail if they are not what the code says (CI)

The update runs Django's ``makemessages`` over the ``parvis`` package (tests, migrations and
the benchmark harness left out), normalises each catalogue, then runs ``compilemessages``.
Normalising makes the result depend on the code only:

- the header is Parvis's, never "fuzzy" (msgfmt would drop a fuzzy header, and with it the
  plural rule);
- French is the source language (docs/decisions/0011): in ``fr`` a singular message is left
  untranslated (the code's text is shown) and a plural message gets the code's two forms,
  so that French's own rule chooses between them ("0 demande", "2 demandes") — without the
  catalogue, gettext would choose with English's rule ("0 demandes");
- an extraction that changed nothing but the date keeps the catalogue's date.

``--check`` does all of that on a copy and compares: the ``.po`` text, and the messages the
``.mo`` holds (not its bytes, which differ between gettext versions). The catalogue is
restored whatever the outcome. Needs GNU gettext (``apt-get install gettext``).
"""

import argparse
import difflib
import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "parvis"
LOCALE = PACKAGE / "locale"
SOURCE_LANGUAGE = "fr"
LANGUAGES = [SOURCE_LANGUAGE]  # add a language here, then run `make messages`
IGNORED = ["tests", "*/tests/*", "*/migrations/*", "bench", "static", "conftest.py"]
IGNORED += ["pytest_env.py"]

HEADER_COMMENT = """\
# Parvis: the {language} catalogue, written by `make messages` (scripts/messages.py).
# The interface is written in French in the code (docs/decisions/0011-translation-source-
# language.md): docs/translation.md says how to add or translate a message.
"""
HEADER_FIELDS = {
    "Project-Id-Version": "Parvis",
    "Report-Msgid-Bugs-To": "",
    "Language-Team": "Parvis",
    "Language": "{language}",
}
POT_DATE = re.compile(r'^"POT-Creation-Date: .*\\n"$', re.MULTILINE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, change nothing")
    check = parser.parse_args().check
    before = {language: _read(_po(language)) for language in LANGUAGES}
    backup = Path(tempfile.mkdtemp(prefix="parvis-locale-"))
    if LOCALE.exists():
        shutil.copytree(LOCALE, backup / "locale")
    try:
        _update(before)
        if not check:
            return 0
        return _compare(before, backup / "locale")
    finally:
        if check:
            shutil.rmtree(LOCALE, ignore_errors=True)
            if (backup / "locale").exists():
                shutil.copytree(backup / "locale", LOCALE)
        shutil.rmtree(backup, ignore_errors=True)


def _update(before: dict[str, str | None]) -> None:
    ignored = [argument for pattern in IGNORED for argument in ("--ignore", pattern)]
    for language in LANGUAGES:
        (LOCALE / language / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
        _parvis(
            "makemessages",
            "--locale",
            language,
            "--add-location=file",
            "--no-obsolete",
            "--verbosity=0",
            *ignored,
        )
        po = _po(language)
        text = normalise(po.read_text(encoding="utf-8"), language)
        old = before[language]
        if old is not None and POT_DATE.sub("", old) == POT_DATE.sub("", text):
            text = old  # only the date moved: keep the file as it is
        po.write_text(text, encoding="utf-8")
    _parvis("compilemessages", "--verbosity=0", *[f"--locale={lang}" for lang in LANGUAGES])


def _compare(before: dict[str, str | None], committed: Path) -> int:
    stale = []
    for language in LANGUAGES:
        old, new = before[language], _read(_po(language))
        if old is None or new is None or POT_DATE.sub("", old) != POT_DATE.sub("", new):
            stale.append(f"{_po(language).relative_to(ROOT)} is not what the code says:")
            diff = difflib.unified_diff(
                (old or "").splitlines(), (new or "").splitlines(), "committed", "extracted", n=1
            )
            stale += [f"    {line}" for line in list(diff)[2:60]]
            continue
        mo = committed / language / "LC_MESSAGES" / "django.mo"
        if not mo.exists() or _messages(mo) != _messages(_po(language).with_suffix(".mo")):
            stale.append(f"{mo.relative_to(committed.parent)} was not compiled from its .po")
    if stale:
        print("\n".join(stale), file=sys.stderr)
        print("Run `make messages` and commit parvis/locale/.", file=sys.stderr)
        return 1
    print("Translation catalogues up to date.")
    return 0


def _messages(mo: Path) -> dict[object, str]:
    """What a compiled catalogue holds, without the header's dates."""
    with mo.open("rb") as file:
        catalog = dict(gettext.GNUTranslations(file)._catalog)  # type: ignore[attr-defined]
    catalog[""] = re.sub(r"POT-Creation-Date: .*\n", "", catalog.get("", ""))
    return catalog


# --- the .po format ------------------------------------------------------------------------
# An entry is comment lines ("#…") then keywords (msgctxt, msgid, msgid_plural, msgstr,
# msgstr[N]), each followed by the continuation lines of its string ('"…"').


def normalise(text: str, language: str) -> str:
    """The catalogue with Parvis's header and, for the source language, the code's forms."""
    entries = [_parse(block) for block in text.strip("\n").split("\n\n")]
    header = entries[0]
    assert header.get("msgid") == ['""'], "the first entry of a .po is its header"
    entries[0] = _header(header, language)
    if language == SOURCE_LANGUAGE:
        forms = _plural_count(entries[0])
        entries[1:] = [_as_written(entry, forms) for entry in entries[1:]]
    return "\n\n".join(_write(entry) for entry in entries) + "\n"


Entry = dict[str, list[str]]  # "#" → comment lines; a keyword → its string's lines


def _parse(block: str) -> Entry:
    entry: Entry = {"#": []}
    keyword = "#"
    for line in block.splitlines():
        if line.startswith("#"):
            entry["#"].append(line)
        elif line.startswith('"'):
            entry[keyword].append(line)
        else:
            keyword, _space, first = line.partition(" ")
            entry[keyword] = [first]
    return entry


def _write(entry: Entry) -> str:
    lines = list(entry["#"])
    for keyword, strings in entry.items():
        if keyword != "#":
            lines.append(f"{keyword} {strings[0]}")
            lines += strings[1:]
    return "\n".join(lines)


def _header(entry: Entry, language: str) -> Entry:
    fields = entry["msgstr"][1:]
    for name, value in HEADER_FIELDS.items():
        line = f'"{name}: {value.format(language=language)}\\n"'
        fields = [line if field.startswith(f'"{name}:') else field for field in fields]
    comment = HEADER_COMMENT.format(language=language).splitlines()
    return {"#": comment, "msgid": ['""'], "msgstr": ['""', *fields]}


def _plural_count(header: Entry) -> int:
    """The ``nplurals`` of the header's ``Plural-Forms`` (Django's, copied by makemessages)."""
    match = re.search(r"nplurals=(\d+)", "".join(header["msgstr"]))
    return int(match[1]) if match else 2


def _as_written(entry: Entry, forms: int) -> Entry:
    """A source-language entry: untranslated, or, with a plural, the code's two forms."""
    comments = [
        line for line in entry["#"] if not line.startswith("#|") and not line.startswith("#, fuzzy")
    ]
    flags = [line for line in entry["#"] if line.startswith("#, fuzzy")]
    for flag in flags:  # keep the other flags of a "#, fuzzy, python-format" line
        rest = ", ".join(part for part in flag[2:].split(", ") if part.strip() != "fuzzy")
        if rest.strip():
            comments.append(f"#, {rest.strip()}")
    written: Entry = {"#": comments}
    for keyword in ("msgctxt", "msgid", "msgid_plural"):
        if keyword in entry:
            written[keyword] = entry[keyword]
    if "msgid_plural" not in entry:
        written["msgstr"] = ['""']
        return written
    for index in range(forms):
        written[f"msgstr[{index}]"] = entry["msgid"] if index == 0 else entry["msgid_plural"]
    return written


# --- helpers -------------------------------------------------------------------------------


def _po(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def _parvis(*arguments: str) -> None:
    """A Django command, run from the package so that only its files are looked at."""
    command = [sys.executable, "-m", "parvis.manage", *arguments]
    environment = os.environ | {"PYTHONPATH": str(ROOT)}
    subprocess.run(command, cwd=PACKAGE, check=True, env=environment)  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())
