"""Form parts that every web channel shares: the portal and the agents' forms alike.

Files sent through a form are checked by ``tickets.files.check_file``, as a mail part or a
scanned page is; a démarche's fields form comes with its file fields checked the same way;
a follow-up (relance) is one form whoever types it.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from parvis.catalog.forms import fields_form_class
from parvis.catalog.models import RequestType
from parvis.tickets.file_types import accepted_extensions, allowed_types_label
from parvis.tickets.files import CheckedFile, check_file, check_file_size

ACCEPTED_EXTENSIONS = ",".join(accepted_extensions())
FIELDS_PREFIX = "f"  # the démarche's fields, apart from the common form's


def checked_upload(upload: UploadedFile[bytes]) -> CheckedFile:
    """An uploaded file through ``check_file``; an oversized one is refused before it is read."""
    name = upload.name or ""
    check_file_size(name=name, size=upload.size or 0)
    upload.seek(0)
    # The size announced is the parser's count; reading one byte more than the limit lets
    # check_file refuse a file that is larger all the same, without reading all of it.
    return check_file(name=name, data=upload.read(settings.PARVIS_MAX_UPLOAD_BYTES + 1))


def files_help_text() -> str:
    return str(
        _("%(count)s fichiers au plus, %(size)s maximum chacun. Formats acceptés : %(types)s.")
        % {
            "count": settings.PARVIS_MAX_FILES_PER_MESSAGE,
            "size": filesizeformat(settings.PARVIS_MAX_UPLOAD_BYTES),
            "types": allowed_types_label(),
        }
    )


class MultipleFileInput(forms.FileInput):
    """``<input type=file multiple>`` (Django's documented way to accept several files)."""

    allow_multiple_selected = True


class CheckedFileField(forms.FileField):
    """One file, checked by ``check_file``: cleans to a ``CheckedFile``, or None if none came."""

    def __init__(self, **kwargs: Any) -> None:
        # check_file names the empty file in its message; Django's own would not.
        kwargs.setdefault("allow_empty_file", True)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPTED_EXTENSIONS}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> CheckedFile | None:
        upload = super().clean(data, initial)
        return checked_upload(upload) if isinstance(upload, UploadedFile) else None


class CheckedFilesField(forms.FileField):
    """Zero or more files (``PARVIS_MAX_FILES_PER_MESSAGE`` at most), each checked by
    ``check_file``: cleans to a list of ``CheckedFile``, every refusal reported."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_EXTENSIONS}))
        # Lazy: the limits are read from the settings when the form is shown.
        kwargs.setdefault("help_text", lazy(files_help_text, str)())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CheckedFile]:
        items = data if isinstance(data, list | tuple) else [data]
        uploads = [item for item in items if isinstance(item, UploadedFile)]
        if self.required and not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        limit = settings.PARVIS_MAX_FILES_PER_MESSAGE
        if len(uploads) > limit:
            raise ValidationError(
                ngettext(
                    "Vous pouvez joindre %(limit)d fichier au plus "
                    "(vous en avez choisi %(count)d).",
                    "Vous pouvez joindre %(limit)d fichiers au plus "
                    "(vous en avez choisi %(count)d).",
                    limit,
                )
                % {"limit": limit, "count": len(uploads)}
            )
        checked, refusals = [], []
        for upload in uploads:
            try:
                checked.append(checked_upload(upload))
            except ValidationError as error:
                refusals.extend(error.error_list)
        if refusals:
            raise ValidationError(refusals)
        return checked


def demarche_fields_form(
    request_type: RequestType,
    data: Any = None,
    files: Any = None,
    *,
    files_required: bool = True,
) -> forms.Form:
    """The démarche's fields form, its file fields cleaning to checked files."""
    form_class = fields_form_class(
        request_type, files_required=files_required, file_field=CheckedFileField
    )
    return form_class(data, files, prefix=FIELDS_PREFIX)


class FollowUpForm(forms.Form):
    """A follow-up (relance): the citizen asks again, online or to an agent, maybe with a word."""

    body = forms.CharField(
        label=_("Précision (facultatif)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def message_body(self) -> str:
        """What the citizen said, or a plain sentence when they said nothing more."""
        body: str = self.cleaned_data.get("body", "").strip()
        return body or str(_("L'usager a relancé sa demande."))
