"""A reply printed as a letter, for a citizen the commune can reach only by post.

The PDF (fpdf2, pure Python) carries the commune's letterhead (its logo if it has one, its
name, address and contacts), the requester's name and postal address as the agent typed
it, the date, the reference, the service and the reply's text. Nothing of it is stored:
the letter is made again from the ticket whenever it is printed (the ``letter_printed``
event says that it was, not what it said); the address typed is not kept either.

Fonts: DejaVu Sans where the system has it (``PARVIS_LETTER_FONT_DIR``; Debian's
fonts-dejavu-core), whose glyphs cover every name. Otherwise the PDF's own Helvetica, which
knows Latin-1 only: other characters become their nearest Latin-1 form (œ → oe, ’ → ') or
"?", and the letter is printed all the same.
"""

import datetime
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from parvis.core.models import Commune
from parvis.core.text import PLAIN_SIGNS
from parvis.tickets.models import Message, Ticket

logger = logging.getLogger(__name__)

FONT = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# What Helvetica cannot print, written as it can.
_LATIN1_NEAREST = str.maketrans(
    {
        **PLAIN_SIGNS,
        "€": "EUR",
        "\u202f": " ",  # narrow no-break space, before « ; : ! ? » in French typography
    }
)


@dataclass(frozen=True)
class Letter:
    """What a letter says, ready to lay out."""

    sender: tuple[str, ...]  # the commune's name, then its address and contacts
    logo: bytes | None
    recipient: tuple[str, ...]  # the requester's name, then their address
    dated: str
    reference: str
    subject: str
    service: str
    body: str


def reply_letter(*, ticket: Ticket, message: Message, address: str) -> Letter:
    """The letter of one reply of this ticket, to the postal ``address`` the agent typed."""
    commune = Commune.current()
    contacts = [commune.phone, commune.email, commune.website]
    return Letter(
        sender=(
            commune.name,
            *_lines(commune.address),
            " · ".join(contact for contact in contacts if contact),
        ),
        logo=_logo(commune),
        recipient=(ticket.requester_name, *_lines(address)),
        dated=_("Le %(date)s") % {"date": _french_date(timezone.localdate(message.created_at))},
        reference=ticket.reference,
        subject=ticket.subject,
        service=ticket.service.name,
        body=message.body,
    )


def letter_pdf(letter: Letter) -> bytes:
    """The letter as an A4 PDF, laid out for a window envelope (address on the right)."""
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_title(_("Courrier — demande %(reference)s") % {"reference": letter.reference})
    pdf.set_author(letter.sender[0])
    pdf.set_lang("fr")
    family = _font_family(pdf)
    clean = _printable if family == FONT else _latin1
    pdf.add_page()
    top = 18.0
    if letter.logo is not None:
        try:
            pdf.image(io.BytesIO(letter.logo), x=20, y=top, h=18)
            top += 21
        except Exception:  # an image fpdf2 cannot read: the letter goes without it
            logger.warning("The commune's logo could not be put on a letter", exc_info=True)
    pdf.set_xy(20, top)
    pdf.set_font(family, "B", 13)
    pdf.multi_cell(80, 6, clean(letter.sender[0]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(family, "", 9)
    for line in letter.sender[1:]:
        pdf.multi_cell(80, 4.5, clean(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    # The recipient where a window envelope shows it (DL, window on the right).
    pdf.set_xy(110, 50)
    pdf.set_font(family, "", 11)
    for line in letter.recipient:
        pdf.set_x(110)
        pdf.multi_cell(80, 5.5, clean(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), 85.0) + 8)
    pdf.cell(0, 6, clean(letter.dated), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(family, "B", 11)
    reference = _("Référence : %(reference)s") % {"reference": letter.reference}
    pdf.multi_cell(0, 6, clean(reference), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(family, "", 11)
    for line in (
        _("Objet : %(subject)s") % {"subject": letter.subject},
        _("Service : %(service)s") % {"service": letter.service},
    ):
        pdf.multi_cell(0, 6, clean(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.multi_cell(0, 6, clean(letter.body), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(8)
    pdf.set_font(family, "", 9)
    footer = _("Pour toute question sur cette demande, rappelez sa référence, %(reference)s.") % {
        "reference": letter.reference
    }
    pdf.multi_cell(0, 4.5, clean(footer), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def letter_filename(ticket: Ticket) -> str:
    return f"courrier-{ticket.reference}.pdf"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _french_date(day: datetime.date) -> str:
    """« 1er décembre 2026 », as French letters write the first of the month."""
    text = date_format(day, "j F Y")
    return text.replace("1 ", "1er ", 1) if day.day == 1 else text


def _logo(commune: Commune) -> bytes | None:
    if not commune.logo:
        return None
    try:
        with commune.logo.open("rb") as handle:
            data: bytes = handle.read()
            return data
    except (OSError, ValueError):
        logger.warning("The commune's logo could not be read for a letter", exc_info=True)
        return None


def _font_family(pdf: FPDF) -> str:
    """DejaVu Sans if its files are there, else Helvetica (Latin-1 only)."""
    folder = Path(settings.PARVIS_LETTER_FONT_DIR)
    files = {style: folder / name for style, name in _FONT_FILES.items()}
    if not all(path.is_file() for path in files.values()):
        return "helvetica"
    for style, path in files.items():
        pdf.add_font(FONT, style, str(path))
    return FONT


def _printable(text: str) -> str:
    return text


def _latin1(text: str) -> str:
    """Text as Helvetica can print it."""
    nearest = text.translate(_LATIN1_NEAREST)
    return nearest.encode("latin-1", errors="replace").decode("latin-1")
