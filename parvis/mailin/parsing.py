"""A message's bytes read as a person would read them: who, what, the text, the files.

Real mail is often wrong about itself: a charset declared ``us-ascii`` over Latin-1 bytes,
8-bit text with no charset at all, a header with a missing bracket, a multipart without a
boundary. Nothing here raises on such a message: each part is decoded with its declared
charset, else UTF-8, else Windows-1252 (a superset of ISO-8859-1 for text), and what cannot
be read is replaced rather than refused — a citizen's message is never lost to a decoding
error.

Reading is most of the cost of processing a message. Two things keep it small: a header is
decoded only when something asks for it (a message carries dozens of ``Received`` and
``DKIM-Signature`` lines that nothing here reads), and a header value is parsed into its
structured form once (``_ReadingPolicy``): a part's ``Content-Type`` is asked for again at
every step of a walk, and the e-mail package would parse it again each time.
"""

import email
import email.policy
import functools
import re
from dataclasses import dataclass, field
from email.headerregistry import BaseHeader
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr

from parvis.mailin.html import html_to_text

_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
FALLBACK_CHARSETS = ("utf-8", "cp1252")
_REPORT_PARTS = ("message/delivery-status", "text/rfc822-headers")
PARSED_HEADERS_KEPT = 4096  # distinct (name, value) pairs: Content-Type values recur across mail


class _ReadingPolicy(email.policy.EmailPolicy):
    """``policy.default``, with each header value parsed once (see the module's docstring)."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        if hasattr(value, "name"):
            return value
        return _parsed_header(name, value)


@functools.lru_cache(maxsize=PARSED_HEADERS_KEPT)
def _parsed_header(name: str, value: str) -> BaseHeader:
    # Header objects are immutable (a str with read-only attributes): sharing them is safe.
    parsed: BaseHeader = email.policy.default.header_fetch_parse(name, value)
    return parsed


READING_POLICY = _ReadingPolicy()


@dataclass(frozen=True)
class Part:
    """An attachment or inline image: its name as the sender gave it, its bytes."""

    name: str
    content_type: str
    data: bytes
    inline: bool = False


@dataclass(frozen=True)
class ParsedMail:
    message_id: str  # with its angle brackets, as in the header; "" if there is none
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    subject: str
    sender: str  # the From address, lower-case; "" if none could be read
    sender_name: str
    recipients: tuple[str, ...]  # To, Cc, Delivered-To, X-Original-To: lower-case
    text: str  # the whole text as written (the plain part, else the HTML part as text)
    html: str  # the HTML part as sent ("" if none): sanitise before showing it
    parts: tuple[Part, ...] = ()
    content_type: str = "text/plain"
    message: Message | None = None  # the parsed tree, for the kinds (bounces, reports)
    raw_headers: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # Lower-case name → decoded value, filled as ``header`` is asked (module's docstring).
    decoded: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def header(self, name: str) -> str:
        key = name.lower()
        if key not in self.decoded:
            self.decoded[key] = _header(self.raw_headers, key)
        return self.decoded[key]


def parse(raw: bytes) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=READING_POLICY)
    raw_headers = _raw_headers(message)
    decoded: dict[str, str] = {}

    def header(name: str) -> str:
        decoded[name] = _header(raw_headers, name)
        return decoded[name]

    sender_name, sender = _address(header("from"))
    text, html = _bodies(message)
    return ParsedMail(
        message_id=_first_id(header("message-id")),
        in_reply_to=tuple(_MESSAGE_ID.findall(header("in-reply-to"))),
        references=tuple(_MESSAGE_ID.findall(header("references"))),
        subject=" ".join(header("subject").split()),
        sender=sender,
        sender_name=sender_name,
        recipients=_recipients({name: header(name) for name in _RECIPIENT_HEADERS}),
        text=text,
        html=html,
        parts=tuple(_attachments(message)),
        content_type=message.get_content_type(),
        message=message,
        raw_headers=raw_headers,
        decoded=decoded,
    )


@dataclass(frozen=True)
class Envelope:
    """Who wrote, to whom, about what, answering which messages: the headers alone."""

    message_id: str
    answered: tuple[str, ...]  # In-Reply-To, then References
    subject: str
    sender: str
    recipients: tuple[str, ...]


_END_OF_HEADERS = re.compile(rb"\r?\n\r?\n")


def read_envelope(raw: bytes, headers: dict[str, str] | None = None) -> Envelope:
    """What ``parse`` says of the headers, without the body, and with the headers' values
    split, not parsed: the addresses by ``email.utils``, only an encoded subject decoded
    (a tenth of the cost of the e-mail package's structured headers). ``headers``: the
    message's ``header_block``, when the caller has read it already."""
    block = header_block(raw) if headers is None else headers
    raw_headers = {name: " ".join(value.split()) for name, value in block.items()}
    subject = raw_headers.get("subject", "")
    if "=?" in subject:
        subject = _header(raw_headers, "subject")
    answered = f"{raw_headers.get('in-reply-to', '')} {raw_headers.get('references', '')}"
    return Envelope(
        message_id=_first_id(raw_headers.get("message-id", "")),
        answered=tuple(_MESSAGE_ID.findall(answered)),
        subject=subject,
        sender=_address(raw_headers.get("from", ""))[1],
        recipients=_recipients(raw_headers),
    )


def header_block(raw: bytes) -> dict[str, str]:
    """The top-level headers as they came (lower-case names, the first of each name), from
    the header block alone: the body is not even split into lines (an attachment's
    thousands of lines of base64)."""
    end = _END_OF_HEADERS.search(raw)
    headers = BytesHeaderParser(policy=READING_POLICY).parsebytes(raw[: end.end()] if end else raw)
    return _raw_headers(headers)


def _header(raw_headers: dict[str, str], name: str) -> str:
    """A header's decoded value (RFC 2047); the raw value if the policy could not decode it."""
    value = raw_headers.get(name)
    if value is None:
        return ""
    try:
        decoded = str(READING_POLICY.header_fetch_parse(name, value))
    except (ValueError, IndexError, TypeError):  # a header the parser chokes on
        decoded = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return " ".join(decoded.split())


def _raw_headers(message: Message) -> dict[str, str]:
    """The message's own headers, first of each name, as they came (nothing parsed yet)."""
    found: dict[str, str] = {}
    for name, value in message.raw_items():
        found.setdefault(name.lower(), value)
    return found


def _first_id(value: str) -> str:
    found = _MESSAGE_ID.search(value)
    if found:
        return found.group(0)
    value = value.strip()
    return f"<{value}>" if value and " " not in value else ""


def _address(value: str) -> tuple[str, str]:
    """(display name, lower-case address) from a From header, even a malformed one."""
    name, address = parseaddr(value)
    if "@" not in address:
        found = _ADDRESS.search(value)
        address = found.group(0) if found else ""
        name = value.split("<")[0].strip().strip('"') if found else name
    return name.strip().strip('"'), address.strip().lower()


_RECIPIENT_HEADERS = ("to", "cc", "delivered-to", "x-original-to")


def _recipients(headers: dict[str, str]) -> tuple[str, ...]:
    names = _RECIPIENT_HEADERS
    seen: list[str] = []
    # One header at a time: Python's strict parsing gives nothing for a list it cannot split.
    pairs = [pair for name in names if headers.get(name) for pair in getaddresses([headers[name]])]
    for _name, address in pairs:
        address = address.strip().lower()
        if "@" in address and address not in seen:
            seen.append(address)
    return tuple(seen)


def decode_part(part: Message) -> str:
    """A text part's characters: its charset, else UTF-8, else Windows-1252; never raises."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        payload = str(part.get_payload() or "").encode("utf-8", "replace")
    declared = part.get_content_charset()
    charsets = ([declared] if declared and declared not in ("us-ascii", "ascii") else []) + list(
        FALLBACK_CHARSETS
    )
    for charset in charsets:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", "replace")


def _bodies(message: Message) -> tuple[str, str]:
    """(text, html): the plain part as written, else the HTML part turned into text."""
    plain: Message | None = None
    html: Message | None = None
    if isinstance(message, EmailMessage):
        try:
            plain = message.get_body(preferencelist=("plain",))
            html = message.get_body(preferencelist=("html",))
        except (KeyError, IndexError, TypeError):
            plain = html = None
    if plain is None and html is None and not message.is_multipart():
        if message.get_content_type() == "text/html":
            html = message
        else:
            plain = message
    html_text = decode_part(html) if html is not None else ""
    if plain is not None and not _is_attachment(plain):
        return _normalise(decode_part(plain)), html_text
    return _normalise(html_to_text(html_text)), html_text


def _normalise(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def _is_attachment(part: Message) -> bool:
    return part.get_content_disposition() == "attachment"


def _attachments(message: Message) -> list[Part]:
    """Files and inline images; text and HTML bodies and multipart containers are not."""
    found: list[Part] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        name = part.get_filename() or ""
        disposition = part.get_content_disposition()
        if content_type in ("text/plain", "text/html") and disposition != "attachment" and not name:
            continue
        if (
            content_type.startswith("message/delivery-status")
            or content_type == "text/rfc822-headers"
        ):
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes) or not data:
            continue
        found.append(
            Part(
                name=name or _default_name(content_type, len(found) + 1),
                content_type=content_type,
                data=data,
                inline=disposition == "inline" or bool(part.get("Content-ID")),
            )
        )
    return found


def _default_name(content_type: str, number: int) -> str:
    extension = {
        "image/jpeg": "jpg",
        "image/png": "png",
        "image/gif": "gif",
        "application/pdf": "pdf",
        "text/calendar": "ics",
        "message/rfc822": "eml",
    }.get(content_type, "bin")
    return f"piece-jointe-{number}.{extension}"
