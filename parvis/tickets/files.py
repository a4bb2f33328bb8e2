"""Checks on every file a channel receives: size, real type sniffed from the bytes, EXIF stripped.

One function, ``check_file``, takes the bytes, whatever brought them: a form upload, a mail
part, a scanned page.
"""

from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from parvis.tickets import images
from parvis.tickets.file_types import (
    FILE_TYPES,
    accepted_extensions,
    allowed_types_label,
    name_extension,
    name_for_type,
)
from parvis.tickets.gif import strip_gif_metadata


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, ready to be stored."""

    name: str
    content: ContentFile[bytes]
    content_type: str
    size: int


def check_file(*, name: str, data: bytes) -> CheckedFile:
    """Check a file from any channel (form upload, mail part, scanned page) by its bytes.

    Refuse it with a French message if it is too large, empty, of a type not allowed (the
    type is sniffed from the content, never taken from the name) or named with an extension
    not allowed; strip photos' metadata. The name kept ends with an extension of its type.
    """
    name = clean_file_name(name)
    check_file_size(name=name, size=len(data))
    if not data:
        raise ValidationError(_("« %(name)s » est vide.") % {"name": name})
    content_type = magic.from_buffer(data[:8192], mime=True)
    if content_type not in FILE_TYPES:
        raise ValidationError(
            _("« %(name)s » n'est pas d'un type accepté. Types acceptés : %(types)s.")
            % {"name": name, "types": allowed_types_label()}
        )
    if (extension := name_extension(name)) and extension not in accepted_extensions():
        raise ValidationError(
            _(
                "« %(name)s » : les fichiers « %(extension)s » ne sont pas acceptés. "
                "Extensions acceptées : %(extensions)s."
            )
            % {
                "name": name,
                "extension": extension,
                "extensions": ", ".join(accepted_extensions()),
            }
        )
    if content_type == "image/gif":
        data = strip_gif_metadata(data, name=name)
    elif images.is_reencoded(content_type):
        data, content_type = images.clean_image(data=data, content_type=content_type, name=name)
    name = name_for_type(name, content_type)
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
