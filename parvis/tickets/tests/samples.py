"""Files made for the tests, as attackers and phones make them: no file is downloaded."""

import io
import struct
import zlib

import pillow_heif
from PIL import Image

SECRET = "Telephone de Camille"
CAMERA_MODEL = 0x0110
ORIENTATION = 0x0112
GPS_IFD = 0x8825
GPS_POSITION = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)}
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    f"<rdf:Description>{SECRET}</rdf:Description></rdf:RDF></x:xmpmeta>"
).encode()


def camera_exif(orientation: int = 1) -> Image.Exif:
    """What a phone writes: its model, the GPS position, the orientation."""
    exif = Image.Exif()
    exif[CAMERA_MODEL] = SECRET
    exif[GPS_IFD] = GPS_POSITION
    if orientation != 1:
        exif[ORIENTATION] = orientation
    return exif


def photo(image_format: str, size: tuple[int, int] = (16, 8), orientation: int = 1) -> bytes:
    """A photo with EXIF (GPS position), and XMP and a comment where the format has them."""
    output = io.BytesIO()
    image = Image.new("RGB", size, "red")
    exif = camera_exif(orientation)
    if image_format == "HEIF":
        pillow_heif.register_heif_opener()
        image.save(output, format="HEIF", exif=exif.tobytes(), xmp=XMP)
    elif image_format == "JPEG":
        image.save(output, format="JPEG", exif=exif, comment=SECRET.encode(), xmp=XMP)
    else:
        image.save(output, format=image_format, exif=exif)
    return output.getvalue()


def gif(size: tuple[int, int] = (8, 8), frames: int = 2) -> bytes:
    """An animated GIF carrying a comment, an XMP block and bytes after its end."""
    output = io.BytesIO()
    colours = ["red", "green", "blue", "white"][:frames]
    pictures = [Image.new("RGB", size, colour) for colour in colours]
    pictures[0].save(
        output,
        format="GIF",
        save_all=True,
        append_images=pictures[1:],
        loop=0,
        duration=100,
        comment=SECRET.encode(),
    )
    data = output.getvalue()
    xmp_block = b"\x21\xff\x0bXMP DataXMP" + _sub_blocks(XMP)
    screen_end = 13 + 3 * 2 ** ((data[10] & 7) + 1)
    return data[:screen_end] + xmp_block + data[screen_end:] + SECRET.encode()


def _sub_blocks(data: bytes) -> bytes:
    blocks = [data[i : i + 255] for i in range(0, len(data), 255)]
    return b"".join(bytes([len(block)]) + block for block in blocks) + b"\x00"


def png_bomb(width: int = 12_000, height: int = 12_000) -> bytes:
    """A PNG of 400 Ko that is 432 Mo once decoded (12 000 × 12 000 black RGB pixels).

    The same rows compress to the same bytes after a full flush: one block is compressed and
    repeated, so that making the bomb costs the tests no more than a fraction of a second.
    """
    rows = 100
    block = bytes(1 + 3 * width) * rows  # each row: filter type 0, then black pixels
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressed = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(height // rows):
        checksum = zlib.adler32(block, checksum)
    idat = (
        b"\x78\xda"
        + compressed * (height // rows)
        + compressor.flush()
        + struct.pack(">I", checksum)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND")


def _chunk(kind: bytes, data: bytes = b"") -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
