"""Reading service-public.fr's « fiches pratiques » (DILA open data, Licence Ouverte).

Each fiche is one XML file whose root is ``<Publication ID="F1427" …>`` with Dublin Core
``dc:title``, ``dc:description``, ``dc:date``, and a body made of ``Introduction``,
``Texte/Paragraphe``, ``Chapitre``/``SousChapitre`` with their ``Titre``, ``Liste/Item``,
``ListeSituations/Situation``, ``BlocCas/Cas``, notes (``ANoter``, ``Attention``), tables,
then the online services (``ServiceEnLigne@URL``), where to go (``OuSAdresser``) and the
legal texts (``Reference@URL``). ``parse_fiche`` turns one into a ``Fiche`` whose body is
Markdown, rendered like any article.

Parsed by defusedxml: no entity is expanded and no external resource fetched (a file that
declares entities is refused), so a fiche cannot be an XML bomb. ``fiche_files`` reads a
file, a folder or the DILA zip; a member too large to be a fiche is refused unread.
Django-free.
"""

import datetime
import hashlib
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

DC = "{http://purl.org/dc/elements/1.1/}"
FICHE_URL = "https://www.service-public.fr/particuliers/vosdroits/{id}"
MAX_FICHE_BYTES = 5 * 1024 * 1024  # the largest fiche is a few hundred kilobytes
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ESCAPED = re.compile(r"([\\`*_\[\]])")
_SPACES = re.compile(r"\s+")
_NOTES = {"ANoter": "À noter", "Attention": "Attention", "ASavoir": "À savoir"}


class FicheError(ValueError):
    """A file that is not a readable fiche; the message says why, in French."""


@dataclass(frozen=True)
class Fiche:
    """One fiche pratique, its body in Markdown."""

    id: str
    title: str
    description: str
    date: datetime.date | None
    url: str
    body: str

    @property
    def digest(self) -> str:
        text = "\x1f".join([self.title, self.description, self.body])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class FicheFile:
    """The bytes of one XML file, and the name to say in a message."""

    name: str
    data: bytes | None
    error: str = ""


def fiche_files(path: Path) -> Iterator[FicheFile]:
    """The XML files of ``path``: itself, the ``.xml`` and ``.zip`` of a folder, a zip's."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() in (".xml", ".zip"):
                yield from fiche_files(child)
        return
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        yield from _zip_members(path)
        return
    if path.stat().st_size > MAX_FICHE_BYTES:
        yield FicheFile(path.name, None, "fichier trop volumineux pour une fiche")
        return
    yield FicheFile(path.name, path.read_bytes())


def _zip_members(path: Path) -> Iterator[FicheFile]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        yield FicheFile(path.name, None, "archive zip illisible")
        return
    with archive:
        for member in archive.infolist():
            if member.is_dir() or not member.filename.lower().endswith(".xml"):
                continue
            name = f"{path.name}:{member.filename}"
            if member.file_size > MAX_FICHE_BYTES:
                yield FicheFile(name, None, "fichier trop volumineux pour une fiche")
                continue
            yield FicheFile(name, archive.read(member))


def is_fiche(data: bytes) -> bool:
    """Whether the file is a fiche pratique (``Publication`` with an id F…), by a glance."""
    head = data[:2048]
    return b"<Publication" in head and re.search(rb'\bID="F\d+"', head) is not None


def parse_fiche(data: bytes) -> Fiche:
    """One fiche from its XML bytes; ``FicheError`` says in French what is wrong."""
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise FicheError(
            f"XML illisible, fichier incomplet ou mal formé (ligne {line}, colonne {column})"
        ) from error
    except DefusedXmlException as error:
        raise FicheError(
            "XML refusé : il déclare des entités ou des ressources externes"
        ) from error
    if root.tag != "Publication":
        raise FicheError(f"ce n'est pas une fiche service-public.fr (racine « {root.tag} »)")
    fiche_id = (root.get("ID") or "").strip()
    if not re.fullmatch(r"F\d+", fiche_id):
        raise FicheError("fiche sans identifiant F… (attribut ID de Publication)")
    title = _inline(root.find(f"{DC}title"))
    if not title:
        raise FicheError("fiche sans titre (dc:title)")
    date_match = _DATE.search(root.findtext(f"{DC}date") or "")
    date = datetime.date(*map(int, date_match.groups())) if date_match else None
    url = (root.get("spUrl") or "").strip() or FICHE_URL.format(id=fiche_id)
    return Fiche(
        id=fiche_id,
        title=title[:200],
        description=_inline(root.find(f"{DC}description"))[:300],
        date=date,
        url=url,
        body=_body(root),
    )


def _body(root: Element) -> str:
    blocks: list[str] = []
    for part in root:
        if part.tag in ("Introduction", "Texte", "ListeSituations"):
            blocks += _blocks(part, level=2)
        elif part.tag in _NOTES:
            blocks.append(_note(part, _NOTES[part.tag]))
    online = [
        _link(_escape(s.findtext("Titre") or ""), s.get("URL")) for s in root.iter("ServiceEnLigne")
    ]
    if online:
        blocks.append("## Services en ligne et formulaires")
        blocks.append("\n".join(f"- {line}" for line in online))
    places = [_place(p) for p in root.iter("OuSAdresser")]
    if places:
        blocks.append("## Où s'adresser ?")
        blocks.append("\n".join(f"- {line}" for line in places))
    references = [
        _link(_escape(r.findtext("Titre") or ""), r.get("URL")) for r in root.iter("Reference")
    ]
    if references:
        blocks.append("## Textes de référence")
        blocks.append("\n".join(f"- {line}" for line in references))
    return "\n\n".join(b for b in blocks if b.strip())


def _blocks(element: Element, *, level: int) -> list[str]:
    """The Markdown blocks of a container's children; headings at ``level`` (2 = ##)."""
    blocks: list[str] = []
    for child in element:
        tag = child.tag
        if tag == "Paragraphe":
            text = _inline(child)
            if text:
                blocks.append(text)
        elif tag in ("Texte", "Introduction"):
            blocks += _blocks(child, level=level)
        elif tag in ("Chapitre", "SousChapitre", "Situation", "Cas"):
            heading = _inline(child.find("Titre"))
            if heading:
                blocks.append(f"{'#' * min(level, 6)} {heading}")
            blocks += _blocks(child, level=level + 1)
        elif tag in ("ListeSituations", "BlocCas"):
            blocks += _blocks(child, level=level)
        elif tag == "Liste":
            blocks.append(_list(child))
        elif tag in _NOTES:
            blocks.append(_note(child, _NOTES[tag]))
        elif tag == "Tableau":
            blocks.append(_table(child))
    return blocks


def _list(element: Element) -> str:
    numbered = element.get("type") == "numero"
    lines = []
    for number, item in enumerate(element.findall("Item"), start=1):
        text = " ".join(_inline(p) for p in item if p.tag in ("Paragraphe", "Texte"))
        nested = [_list(sub) for sub in item.findall("Liste")]
        marker = f"{number}." if numbered else "-"
        lines.append(f"{marker} {text}".rstrip())
        lines += ["   " + line for block in nested for line in block.splitlines()]
    return "\n".join(lines)


def _note(element: Element, label: str) -> str:
    title = _inline(element.find("Titre"))
    texts = [_inline(p) for p in element.iter("Paragraphe") if p not in _titles(element)]
    first = f"**{title or label} :** " + (texts[0] if texts else "")
    return "\n>\n".join(f"> {line}" for line in [first, *texts[1:]])


def _titles(element: Element) -> list[Element]:
    title = element.find("Titre")
    return list(title.iter("Paragraphe")) if title is not None else []


def _table(element: Element) -> str:
    rows = [
        [_inline(cell).replace("|", "/") for cell in row.findall("Cellule")]
        for row in element.iter("Rangée")
    ]
    rows = [row for row in rows if row]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _place(element: Element) -> str:
    title = _escape(_SPACES.sub(" ", element.findtext("Titre") or "").strip())
    complement = _escape(_SPACES.sub(" ", element.findtext("Complement") or "").strip())
    return f"{title} ({complement})" if complement else title


def _link(text: str, url: str | None) -> str:
    """A link in Markdown; ``text`` already escaped."""
    text = _SPACES.sub(" ", text).strip() or _escape(url or "")
    if url and url.startswith(("https://", "http://")):
        return f"[{text}]({url.replace(')', '%29').replace(' ', '%20')})"
    return text


def _inline(element: Element | None) -> str:
    """An element's text, its inline children (links, emphasis) written in Markdown."""
    if element is None:
        return ""
    parts = [_escape(element.text or "")]
    for child in element:
        inner = _inline(child)
        if child.tag == "LienExterne":
            parts.append(_link(inner, child.get("URL")) if inner else "")
        elif child.tag == "LienInterne":
            target = child.get("LienPublication") or ""
            url = FICHE_URL.format(id=target) if re.fullmatch(r"[A-Z]\d+", target) else None
            parts.append(f"[{inner}]({url})" if url and inner else inner)
        elif child.tag in ("MiseEnEvidence", "ValeurGrasse") and inner.strip():
            parts.append(f"**{inner.strip()}**")
        else:
            parts.append(inner)
        parts.append(_escape(child.tail or ""))
    return _SPACES.sub(" ", "".join(parts)).strip()


def _escape(text: str) -> str:
    return _ESCAPED.sub(r"\\\1", text)
