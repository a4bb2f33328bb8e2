"""What the citizen wrote this time: the text above the quoted history and the signature.

The whole message stays in ``InboundMessage.raw`` ("afficher le message d'origine"); this
only decides what the ticket shows. French clients first:

- Gmail: ``Le lun. 3 févr. 2025 à 10:12, Marie <marie@…> a écrit :`` (often wrapped over
  two lines), English ``On Mon, Feb 3, 2025 at 10:12 AM Marie <…> wrote:``;
- Thunderbird ``Le 03/02/2025 à 10:12, Marie a écrit :``; Apple Mail ``Le 3 févr. 2025 à
  10:12, Marie <…> a écrit :``; Yahoo ``Le lundi 3 février 2025 à 10:12:00 UTC+1, Marie a
  écrit :``;
- Outlook: a header block ``De : … / Envoyé : … / À : … / Objet : …`` (or ``From: / Sent:``),
  ``-----Message d'origine-----``, ``-----Original Message-----``;
- Free/Zimbra, Orange, SFR, La Poste webmails: ``----- Mail original -----``, ``-----
  Message d'origine -----``, ``De: … À: … Envoyé: … Objet:``;
- our own marker ``— Répondez au-dessus de cette ligne —``;
- signatures: the ``-- `` delimiter, ``Envoyé de mon iPhone``, ``Envoyé depuis mon appareil
  Android``, ``Envoyé depuis Yahoo Mail``, ``Télécharger Outlook pour …``.

A forwarded message (``---------- Forwarded message ---------``, ``Message transféré``) is
the request itself: it is kept. If cutting would leave nothing (a bottom-posted reply whose
first line is a quote header, say), the text is kept whole rather than lost.
"""

import re

from parvis.notifications.envelope import REPLY_ABOVE_MARKER

_WROTE = re.compile(
    r"^\s*(?:>\s*)?(?:le|on|am|el)\s.{4,200}?(?:a\s+écrit|wrote|schrieb|escribió)\s*:?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_SEPARATORS = re.compile(
    r"^\s*-{2,}\s*(?:message d'origine|original message|mail original|message original"
    r"|courriel original|e-mail d'origine)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_HEADER_LINE = re.compile(
    r"^\s*\*?(?:de|from|envoyé|sent|date|à|to|cc|objet|subject)\s*\*?\s*:", re.IGNORECASE
)
_HEADER_START = re.compile(r"^\s*\*?(?:de|from)\s*\*?\s*:", re.IGNORECASE)
_SIGN_OFFS = re.compile(
    r"^\s*(?:envoyé (?:de|depuis) mon (?:iphone|ipad|smartphone|appareil|mobile|téléphone)"
    r"|envoyé depuis (?:yahoo ?mail|mon appareil|l'application|outlook|mail pour)"
    r"|sent from my (?:iphone|ipad|android|mobile)|get outlook for|télécharger outlook"
    r"|obtenir outlook pour)",
    re.IGNORECASE,
)
_FORWARD = re.compile(
    r"^\s*-{2,}\s*(?:forwarded message|message transféré|message transmis)", re.IGNORECASE
)


def visible_text(text: str) -> str:
    """The new part of a message: up to the first quote header, separator or signature."""
    lines = text.split("\n")
    cut = _cut_at(lines)
    kept = _drop_trailing_quotes("\n".join(lines[:cut]).rstrip())
    if not kept.strip() and cut < len(lines):
        kept = _below_the_quote(lines[cut:])  # a bottom-posted reply: the text is below
    return kept if kept.strip() else text.strip()


def _cut_at(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        stripped = line.strip()
        if _FORWARD.match(stripped):
            return len(lines)  # a forward: the rest is the request
        if any(marker in stripped for marker in _markers()):
            return index
        if stripped in ("--", "-- ") or line == "-- ":
            return index
        if _SEPARATORS.match(stripped) or _SIGN_OFFS.match(stripped):
            return index
        if _is_wrote_line(lines, index):
            return index
        if _HEADER_START.match(stripped) and _header_block(lines, index):
            return index
    return len(lines)


def _markers() -> set[str]:
    return {str(REPLY_ABOVE_MARKER), "Répondez au-dessus de cette ligne"}


def _is_wrote_line(lines: list[str], index: int) -> bool:
    """``Le … a écrit :`` on this line, or on this line and the next (clients wrap it)."""
    line = lines[index].strip()
    if not re.match(r"^(?:>\s*)?(?:le|on|am|el)\s", line, re.IGNORECASE):
        return False
    if _WROTE.match(line):
        return True
    if index + 1 < len(lines):
        return bool(_WROTE.match(line + " " + lines[index + 1].strip()))
    return False


def _header_block(lines: list[str], index: int) -> bool:
    """An Outlook-style quoted header: ``De :`` followed by two more header lines."""
    following = [line for line in lines[index + 1 : index + 6] if line.strip()]
    return sum(1 for line in following[:4] if _HEADER_LINE.match(line)) >= 2


def _below_the_quote(lines: list[str]) -> str:
    """What follows a quote header and its ``>`` lines, up to the signature."""
    index = 1
    while index < len(lines) and (
        lines[index].lstrip().startswith(">")
        or not lines[index].strip()
        or (index == 1 and _WROTE.match(lines[0].strip() + " " + lines[index].strip()))
    ):
        index += 1
    rest = lines[index:]
    return "\n".join(rest[: _cut_at(rest)]).strip() if rest else ""


def _drop_trailing_quotes(text: str) -> str:
    """Lines quoted with ``>`` at the end (a client that quotes without a header line)."""
    lines = text.split("\n")
    while lines and (lines[-1].lstrip().startswith(">") or not lines[-1].strip()):
        lines.pop()
    return "\n".join(lines)
