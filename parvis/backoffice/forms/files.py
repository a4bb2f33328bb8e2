"""A file input that takes several files and runs each through ``tickets.files.check_upload``."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from parvis.tickets.files import CheckedFile, allowed_types_label, check_upload


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class CheckedFilesField(forms.FileField):
    """Zero or more files; cleans to a list of ``CheckedFile`` (size, type, EXIF checked)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault(
            "help_text",
            f"Facultatif. Jusqu'à {settings.PARVIS_MAX_FILES_PER_MESSAGE} fichiers "
            f"({allowed_types_label()}).",
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CheckedFile]:
        uploads = [u for u in (data if isinstance(data, list | tuple) else [data]) if u]
        if self.required and not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        limit = settings.PARVIS_MAX_FILES_PER_MESSAGE
        if len(uploads) > limit:
            raise ValidationError(f"Joignez au plus {limit} fichier{'s' if limit > 1 else ''}.")
        checked, errors = [], []
        for upload in uploads:
            assert isinstance(upload, UploadedFile)
            try:
                checked.append(check_upload(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked
