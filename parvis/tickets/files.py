"""Checks on every file a channel receives: size, real type sniffed from the bytes, EXIF stripped.

One function, ``check_file``, takes the bytes, whatever brought them: a form upload, a mail
part, a scanned page.
"""

import io
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "image/gif": "GIF",
    "image/heic": "HEIC",
    "text/plain": "texte",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/msword": "DOC",
}
_REENCODED = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, ready to be stored."""

    name: str
    content: ContentFile[bytes]
    content_type: str
    size: int


def allowed_types_label() -> str:
    return ", ".join(sorted(set(ALLOWED_TYPES.values())))


def check_file(*, name: str, data: bytes) -> CheckedFile:
    """Check a file from any channel (form upload, mail part, scanned page) by its bytes.

    Refuse it with a French message if it is too large, empty or of a type not allowed (the
    type is sniffed from the content, never taken from the name); strip photos' metadata.
    """
    name = clean_file_name(name)
    check_file_size(name=name, size=len(data))
    if not data:
        raise ValidationError(_("« %(name)s » est vide.") % {"name": name})
    content_type = magic.from_buffer(data[:8192], mime=True)
    if content_type not in ALLOWED_TYPES:
        raise ValidationError(
            _("« %(name)s » n'est pas d'un type accepté. Types acceptés : %(types)s.")
            % {"name": name, "types": allowed_types_label()}
        )
    if content_type in _REENCODED:
        data = _reencode_image(data, _REENCODED[content_type], name)
    return CheckedFile(
        name=name, content=ContentFile(data, name=name), content_type=content_type, size=len(data)
    )


def clean_file_name(name: str) -> str:
    """A name safe to store and to offer for download ("fichier" when nothing is left)."""
    try:
        return get_valid_filename(name)[:150]
    except SuspiciousFileOperation:  # nothing usable left: "", "..", "/"
        return "fichier"


def check_file_size(*, name: str, size: int) -> None:
    """Refuse a file over the limit; a channel that knows the size calls it before reading."""
    if size > settings.PARVIS_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("« %(name)s » est trop volumineux (%(size)s) : la taille maximale est %(max)s.")
            % {
                "name": clean_file_name(name),
                "size": filesizeformat(size),
                "max": filesizeformat(settings.PARVIS_MAX_UPLOAD_BYTES),
            }
        )


def _reencode_image(data: bytes, image_format: str, name: str) -> bytes:
    """Re-encode a photo: drops EXIF (GPS position, device) and anything hidden after the image."""
    try:
        with Image.open(io.BytesIO(data)) as original:
            image = ImageOps.exif_transpose(original)
            output = io.BytesIO()
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.save(output, format=image_format, quality=90)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("« %(name)s » n'est pas une image lisible.") % {"name": name}
        ) from error
    return output.getvalue()
