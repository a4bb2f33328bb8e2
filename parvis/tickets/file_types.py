"""The kinds of file Parvis accepts: each sniffed type, its name for people, its extensions.

Both the content and the name are checked: a script is plain text to libmagic, and Windows
runs ``avis.js`` or ``avis.vbs`` on a double click. Only the extensions listed here are
accepted, and the name a file is stored and downloaded under always ends with an extension
of its sniffed type, so that the agent's computer opens it with the right program.
"""

from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class FileType:
    """An accepted type: its label in messages and its extensions (the first one is given to a
    file whose name has none, or that of another type)."""

    label: str
    extensions: tuple[str, ...]


FILE_TYPES = {
    "application/pdf": FileType("PDF", (".pdf",)),
    "image/jpeg": FileType("JPEG", (".jpg", ".jpeg")),
    "image/png": FileType("PNG", (".png",)),
    "image/webp": FileType("WebP", (".webp",)),
    "image/gif": FileType("GIF", (".gif",)),
    # iPhones' photos; re-encoded as JPEG on arrival (tickets/images.py).
    "image/heic": FileType("HEIC", (".heic", ".heif")),
    "image/heif": FileType("HEIC", (".heif", ".heic")),
    "text/plain": FileType("texte", (".txt",)),
    "application/vnd.oasis.opendocument.text": FileType("ODT", (".odt",)),
    "application/vnd.oasis.opendocument.spreadsheet": FileType("ODS", (".ods",)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": FileType(
        "DOCX", (".docx",)
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": FileType(
        "XLSX", (".xlsx",)
    ),
    "application/msword": FileType("DOC", (".doc",)),
}
# What a file of no known type is downloaded as: opened by no program.
UNKNOWN_EXTENSION = ".bin"


def allowed_types_label() -> str:
    return ", ".join(sorted({file_type.label for file_type in FILE_TYPES.values()}))


def accepted_extensions() -> list[str]:
    """Every accepted extension, sorted (the ``accept`` of file inputs, and messages)."""
    return sorted({ext for file_type in FILE_TYPES.values() for ext in file_type.extensions})


def name_extension(name: str) -> str:
    """The extension of a name, lower-case; "" for none. Digits after the last dot are not one
    ("scan 12.03.2026"): no program is tied to them."""
    suffix = PurePosixPath(name).suffix.lower()
    return "" if suffix[1:].isdigit() else suffix


def name_for_type(name: str, content_type: str) -> str:
    """The name with an extension of its type: kept if it has one, else the type's own
    extension in place of the name's ("photo.heic" re-encoded → "photo.jpg")."""
    file_type = FILE_TYPES.get(content_type)
    extensions = file_type.extensions if file_type else (UNKNOWN_EXTENSION,)
    extension = name_extension(name)
    if extension in extensions:
        return name
    stem = name[: -len(extension)] if extension else name
    return f"{stem}{extensions[0]}"
