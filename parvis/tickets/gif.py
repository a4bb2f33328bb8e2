"""A GIF's metadata removed by walking its blocks, without decoding a pixel.

A GIF keeps text in extension blocks: comments, plain text, application data (XMP, a
program's own). Only what draws the picture is copied: the header and colour tables, each
frame's control block and image data, and the looping of an animation; nothing after the
end. The cost is the file's length, and an animation stays exactly as it was sent, which a
decoding and re-encoding would not keep (its palette would be reduced again).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parvis.tickets.images import check_pixels

_EXTENSION, _IMAGE, _TRAILER = 0x21, 0x2C, 0x3B
_GRAPHIC_CONTROL, _APPLICATION = 0xF9, 0xFF
_LOOPING = (b"NETSCAPE2.0", b"ANIMEXTS1.0")


class _Unreadable(Exception):
    pass


def strip_gif_metadata(data: bytes, *, name: str) -> bytes:
    """The GIF with only its pictures; refused if unreadable or larger than the pixel limit."""
    try:
        return _Walk(data, name).run()
    except (_Unreadable, IndexError):
        raise ValidationError(
            _("« %(name)s » n'est pas une image lisible.") % {"name": name}
        ) from None


class _Walk:
    def __init__(self, data: bytes, name: str) -> None:
        self.data, self.name, self.at = data, name, 0
        self.kept: list[bytes] = []

    def run(self) -> bytes:
        if self.data[:6] not in (b"GIF87a", b"GIF89a"):
            raise _Unreadable
        self._keep(13)  # header and logical screen descriptor
        check_pixels(width=self._u16(6), height=self._u16(8), name=self.name)
        self._keep(_colour_table_length(self.data[10]))
        while (block := self.data[self.at]) != _TRAILER:
            if block == _IMAGE:
                check_pixels(
                    width=self._u16(self.at + 5), height=self._u16(self.at + 7), name=self.name
                )
                self._keep(10 + _colour_table_length(self.data[self.at + 9]) + 1)
                self._keep(self._sub_blocks_length())
            elif block == _EXTENSION:
                self._extension()
            else:
                raise _Unreadable
        self._keep(1)
        return b"".join(self.kept)

    def _extension(self) -> None:
        label = self.data[self.at + 1]
        start = self.at
        self.at += 2
        length = self._sub_blocks_length()
        body = self.data[self.at : self.at + length]
        self.at += length
        if label == _GRAPHIC_CONTROL or (label == _APPLICATION and body[1:12] in _LOOPING):
            self.kept.append(self.data[start : self.at])

    def _sub_blocks_length(self) -> int:
        """The length of the data sub-blocks from here, their terminating zero included."""
        end = self.at
        while size := self.data[end]:  # past the end: IndexError, an unreadable file
            end += 1 + size
        return end + 1 - self.at

    def _keep(self, length: int) -> None:
        if self.at + length > len(self.data):
            raise _Unreadable
        self.kept.append(self.data[self.at : self.at + length])
        self.at += length

    def _u16(self, at: int) -> int:
        return int.from_bytes(self.data[at : at + 2], "little")


def _colour_table_length(packed: int) -> int:
    """The length of the colour table a descriptor's packed byte announces (0 if none)."""
    return 3 * 2 ** ((packed & 0x07) + 1) if packed & 0x80 else 0
