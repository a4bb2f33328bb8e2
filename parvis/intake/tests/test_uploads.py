"""A form upload goes through check_file; an oversized one is refused before it is read."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from parvis.intake.forms import CheckedFilesField, checked_upload

PDF = b"%PDF-1.4\n%%EOF\n"


class _UnreadableUpload(SimpleUploadedFile):
    def read(self, *args: Any) -> bytes:
        raise AssertionError("an oversized upload must not be read")


def test_an_upload_is_checked_by_its_bytes() -> None:
    checked = checked_upload(SimpleUploadedFile("plan.pdf", PDF, content_type="image/png"))

    assert (checked.name, checked.content_type, checked.size) == ("plan.pdf", "application/pdf", 15)


def test_an_oversized_upload_is_refused_unread(settings: Any) -> None:
    settings.PARVIS_MAX_UPLOAD_BYTES = 10

    with pytest.raises(ValidationError, match="trop volumineux"):
        checked_upload(_UnreadableUpload("plan.pdf", PDF))


def test_an_upload_larger_than_announced_is_refused_all_the_same(settings: Any) -> None:
    settings.PARVIS_MAX_UPLOAD_BYTES = 100
    upload = SimpleUploadedFile("plan.pdf", PDF + b"0" * 5000)
    upload.size = 20

    with pytest.raises(ValidationError, match="trop volumineux"):
        checked_upload(upload)


def test_every_refused_file_is_reported() -> None:
    field = CheckedFilesField()
    uploads = [
        SimpleUploadedFile("vide.pdf", b""),
        SimpleUploadedFile("plan.pdf", PDF),
        SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 100),
    ]

    with pytest.raises(ValidationError) as refused:
        field.clean(uploads)

    first, second = refused.value.messages
    assert first == "« vide.pdf » est vide."
    assert second.startswith("« virus.exe » n'est pas d'un type accepté.")
