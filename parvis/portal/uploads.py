"""Checks on the files a citizen sends from the portal, reported on the form field."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import ngettext

from parvis.tickets.files import CheckedFile, check_upload


def checked_files(
    form: forms.Form, field_name: str, uploads: list[UploadedFile[bytes]]
) -> list[CheckedFile]:
    """The uploads that pass ``check_upload``; each refusal becomes an error on the field."""
    limit = settings.PARVIS_MAX_FILES_PER_MESSAGE
    if len(uploads) > limit:
        form.add_error(
            field_name,
            ngettext(
                "Vous pouvez joindre %(limit)d fichier au plus (vous en avez choisi %(count)d).",
                "Vous pouvez joindre %(limit)d fichiers au plus (vous en avez choisi %(count)d).",
                limit,
            )
            % {"limit": limit, "count": len(uploads)},
        )
        return []
    checked = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except ValidationError as error:
            form.add_error(field_name, error)
    return checked


def checked_file(
    form: forms.Form, field_name: str, upload: UploadedFile[bytes] | None
) -> CheckedFile | None:
    """One upload checked, or None (nothing sent, or refused with an error on the field)."""
    if upload is None:
        return None
    try:
        return check_upload(upload)
    except ValidationError as error:
        form.add_error(field_name, error)
        return None
