"""Decompression bombs: an image's size is checked from its header, before any decoding."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from parvis.tickets.files import check_file
from parvis.tickets.tests import samples

TOO_LARGE = (
    "« {name} » est une image trop grande : {max} mégapixels au maximum. "
    "Réduisez sa taille avant de l'envoyer."
)

# check_file in a process of its own: its peak memory and CPU time. The peak is the kernel's
# high-water mark of resident memory (which counts Pillow's buffers, unlike tracemalloc),
# reset just before the call (Linux: /proc/self/clear_refs).
_MEASURE = """
import json, sys, time
import django
django.setup()
from django.core.exceptions import ValidationError
from parvis.tickets.files import check_file

def kib(field):
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1])

data = open(sys.argv[1], "rb").read()
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")
before = kib("VmRSS")
start = time.process_time()
try:
    check_file(name="plan.png", data=data)
    outcome = "accepted"
except ValidationError as error:
    outcome = error.messages[0]
print(json.dumps({
    "outcome": outcome,
    "cpu_seconds": time.process_time() - start,
    "peak_mib": (kib("VmHWM") - before) / 1024,
}))
"""


def test_a_decompression_bomb_is_refused_in_bounded_memory_and_time(tmp_path: Path) -> None:
    bomb = samples.png_bomb()
    assert len(bomb) < 450_000  # 445 Ko, as in the attack: 432 Mo once decoded
    (tmp_path / "bomb.png").write_bytes(bomb)
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "parvis.settings",
        "PARVIS_DATA_DIR": str(tmp_path),
    }

    measured = json.loads(
        subprocess.run(
            [sys.executable, "-c", _MEASURE, str(tmp_path / "bomb.png")],
            env=environment,
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout
    )

    assert measured["outcome"] == TOO_LARGE.format(name="plan.png", max=50)
    assert measured["peak_mib"] < 20
    assert measured["cpu_seconds"] < 0.5


def test_pillows_own_guard_gives_the_same_message() -> None:
    # Pillow refuses on opening what is more than twice its own limit (about 179 megapixels).
    bomb = samples.png_bomb(width=15_000, height=15_000)

    with pytest.raises(ValidationError) as refused:
        check_file(name="plan.png", data=bomb)

    assert refused.value.messages == [TOO_LARGE.format(name="plan.png", max=50)]


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP", "HEIF"])
def test_an_image_is_refused_above_the_limit_and_accepted_at_it(
    settings: Any, image_format: str
) -> None:
    settings.PARVIS_MAX_IMAGE_PIXELS = 2_000_000
    at_limit = samples.photo(image_format, size=(2000, 1000))
    above = samples.photo(image_format, size=(2000, 1001))

    assert check_file(name="photo", data=at_limit).size > 0
    start = time.process_time()
    with pytest.raises(ValidationError) as refused:
        check_file(name="photo", data=above)

    assert time.process_time() - start < 0.1
    assert refused.value.messages == [TOO_LARGE.format(name="photo", max=2)]


@pytest.mark.parametrize("where", ["screen", "frame"])
def test_a_gif_is_refused_above_the_limit(settings: Any, where: str) -> None:
    settings.PARVIS_MAX_IMAGE_PIXELS = 1_000_000
    data = bytearray(samples.gif())
    # The logical screen's width and height (bytes 6-9), or the first frame's (its 5-8).
    at = 6 if where == "screen" else data.index(b"\x2c\x00\x00\x00\x00") + 5
    data[at : at + 4] = (2000).to_bytes(2, "little") * 2

    with pytest.raises(ValidationError) as refused:
        check_file(name="anim.gif", data=bytes(data))

    assert refused.value.messages == [TOO_LARGE.format(name="anim.gif", max=1)]
