"""Photos lose what they say about their author: GPS position, device, comments, XMP."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from parvis.tickets.files import check_file
from parvis.tickets.tests import samples
from parvis.tickets.tests.samples import GPS_IFD, ORIENTATION, SECRET


def test_a_heic_photo_becomes_a_jpeg_without_its_gps_position() -> None:
    original = samples.photo("HEIF", size=(64, 48))
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(GPS_IFD) == samples.GPS_POSITION
    assert SECRET.encode() in original

    checked = check_file(name="IMG_0042.HEIC", data=original)

    stored = checked.content.read()
    assert (checked.name, checked.content_type) == ("IMG_0042.jpg", "image/jpeg")
    assert SECRET.encode() not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size) == ("JPEG", (64, 48))
        assert not image.getexif()
        assert "xmp" not in image.info


def test_a_heic_photo_is_turned_the_way_it_was_taken() -> None:
    checked = check_file(name="IMG_0043.heic", data=samples.photo("HEIF", (64, 48), 6))

    with Image.open(checked.content) as image:
        assert image.size == (48, 64)
        assert image.getexif().get(ORIENTATION, 1) == 1


def test_a_jpeg_keeps_only_its_orientation() -> None:
    original = samples.photo("JPEG", orientation=6)

    checked = check_file(name="IMG_0044.jpg", data=original)

    stored = checked.content.read()
    assert SECRET.encode() not in stored  # EXIF camera model, XMP and the JPEG comment
    with Image.open(io.BytesIO(stored)) as image:
        assert dict(image.getexif()) == {ORIENTATION: 6}
        assert "comment" not in image.info
        assert "xmp" not in image.info


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_a_png_or_webp_is_turned_and_loses_its_exif(image_format: str) -> None:
    original = samples.photo(image_format, size=(16, 8), orientation=6)

    checked = check_file(name="capture", data=original)

    stored = checked.content.read()
    assert SECRET.encode() not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (8, 16)
        assert not image.getexif()


def test_a_gif_loses_its_comment_its_xmp_and_what_follows_it() -> None:
    original = samples.gif(frames=3)
    assert original.count(SECRET.encode()) == 3  # comment, XMP, after the end

    checked = check_file(name="anim.gif", data=original)

    stored = checked.content.read()
    assert SECRET.encode() not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert "comment" not in image.info
        assert (image.n_frames, image.info["loop"], image.info["duration"]) == (3, 0, 100)
        frames = []
        for frame in range(3):
            image.seek(frame)
            frames.append(image.convert("RGB").getpixel((0, 0)))
    with Image.open(io.BytesIO(original)) as image:
        expected = []
        for frame in range(3):
            image.seek(frame)
            expected.append(image.convert("RGB").getpixel((0, 0)))
    assert frames == expected


@pytest.mark.parametrize(
    "data",
    [b"GIF89a\x08\x00", samples.gif()[:40], b"GIF89a" + samples.gif()[6:30] + b"\x99"],
    ids=["cut in its header", "cut in a block", "an unknown block"],
)
def test_a_broken_gif_is_refused(data: bytes) -> None:
    with pytest.raises(ValidationError) as refused:
        check_file(name="anim.gif", data=data)

    assert refused.value.messages == ["« anim.gif » n'est pas une image lisible."]
