"""Checks on uploaded files: size, real type sniffed from the bytes, EXIF stripped from photos."""

import io
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
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


def check_upload(upload: UploadedFile[bytes]) -> CheckedFile:
    """Refuse oversized or forbidden files with a French message; strip metadata from photos."""
    name = get_valid_filename(upload.name or "fichier")[:150] or "fichier"
    size = upload.size or 0
    if size > settings.PARVIS_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("« %(name)s » est trop volumineux (%(size)s) : la taille maximale est %(max)s.")
            % {
                "name": name,
                "size": filesizeformat(size),
                "max": filesizeformat(settings.PARVIS_MAX_UPLOAD_BYTES),
            }
        )
    data = upload.read()
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
