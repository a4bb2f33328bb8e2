"""Photos re-encoded on arrival: their metadata (GPS position, device) dropped, their cost bounded.

A compressed image says its size in its header, and decoding it costs memory and time in
proportion to that size, not to the file's: 445 Ko of PNG can be 12 000 × 12 000 pixels,
432 Mo once decoded. The size is read before any decoding, and an image of more than
``PARVIS_MAX_IMAGE_PIXELS`` is refused: decoding one costs at most about 4 bytes a pixel
allowed (about 200 Mo and one or two seconds for the default 50 megapixels).

HEIC/HEIF photos (iPhones) become JPEG: their metadata goes the same way, and the agents'
computers open a JPEG without a paid codec. GIFs are cleaned without decoding (tickets/gif.py),
under the same limit.
"""

import io

import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

ORIENTATION = 0x0112
# Sniffed type → (the only decoder Pillow may try, the format written, the type written).
_REENCODED = {
    "image/jpeg": ("JPEG", "JPEG", "image/jpeg"),
    "image/png": ("PNG", "PNG", "image/png"),
    "image/webp": ("WEBP", "WEBP", "image/webp"),
    "image/heic": ("HEIF", "JPEG", "image/jpeg"),
    "image/heif": ("HEIF", "JPEG", "image/jpeg"),
}
_JPEG_MODES = ("RGB", "L", "CMYK")
_KEPT_INFO = ("transparency", "icc_profile")


def is_reencoded(content_type: str) -> bool:
    return content_type in _REENCODED


def clean_image(*, data: bytes, content_type: str, name: str) -> tuple[bytes, str]:
    """The image without its metadata, and its type (HEIC becomes JPEG).

    Refused with a French message if it cannot be read or has more pixels than allowed.
    """
    decoder, image_format, written_type = _REENCODED[content_type]
    try:
        with Image.open(io.BytesIO(data), formats=[decoder]) as original:
            check_pixels(width=original.width, height=original.height, name=name)
            return _reencode(original, image_format), written_type
    except Image.DecompressionBombError:  # Pillow's own guard, at twice its limit
        raise image_too_large(name) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise ValidationError(
            _("« %(name)s » n'est pas une image lisible.") % {"name": name}
        ) from error


def check_pixels(*, width: int, height: int, name: str) -> None:
    """Refuse an image larger than the limit, from the size its header announces."""
    if width * height > settings.PARVIS_MAX_IMAGE_PIXELS:
        raise image_too_large(name)


def image_too_large(name: str) -> ValidationError:
    return ValidationError(
        _(
            "« %(name)s » est une image trop grande : %(max)s mégapixels au maximum. "
            "Réduisez sa taille avant de l'envoyer."
        )
        % {"name": name, "max": settings.PARVIS_MAX_IMAGE_PIXELS // 1_000_000}
    )


def _reencode(image: Image.Image, image_format: str) -> bytes:
    """The pixels alone, written anew: no EXIF, XMP, comment, nor anything after the image."""
    orientation = image.getexif().get(ORIENTATION, 1)
    exif = Image.Exif()
    if image_format == "JPEG":
        # The orientation stays a tag, as cameras write it (every viewer applies it): turning
        # the pixels would hold a second copy of the picture in memory.
        if orientation != 1:
            exif[ORIENTATION] = orientation
        if image.mode not in _JPEG_MODES:
            image = image.convert("RGB")
    else:
        # A PNG or WebP says its orientation rarely, and not every viewer applies it.
        ImageOps.exif_transpose(image, in_place=True)
    image.load()
    # Pillow writes back some of what it read (a JPEG's comment and XMP): keep only what
    # the picture needs to look the same.
    image.info = {key: image.info[key] for key in _KEPT_INFO if key in image.info}
    output = io.BytesIO()
    image.save(output, format=image_format, quality=90, exif=exif.tobytes() if exif else b"")
    return output.getvalue()
