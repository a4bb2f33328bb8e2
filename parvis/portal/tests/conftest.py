"""Portal test fixtures: sample files, a valid birth-certificate form."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png_bytes(size: tuple[int, int] = (4, 4)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(output, format="PNG")
    return output.getvalue()


@pytest.fixture
def png() -> Callable[..., SimpleUploadedFile]:
    """png("photo.png") → a small real PNG upload."""

    def make(name: str = "photo.png") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, png_bytes(), content_type="image/png")

    return make


@pytest.fixture
def birth_form() -> Callable[..., dict[str, Any]]:
    """birth_form(**overrides) → POST data that files a valid birth-certificate request."""

    def make(**overrides: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": "Camille Martin",
            "email": "camille@example.fr",
            "phone": "",
            "subject": "",
            "description": "Pour un dossier de mariage.",
            "consent": "on",
            "f-birth_last_name": "Martin",
            "f-first_names": "Camille Jeanne",
            "f-birth_date": "1990-05-12",
            "f-birth_place": "Ma commune",
            "f-copy_type": "copie-integrale",
            "f-requester_relation": "titulaire",
            "f-copies": "1",
            "f-delivery_mode": "retrait-mairie",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return make
