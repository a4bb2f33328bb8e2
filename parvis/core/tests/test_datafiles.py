"""Reading a YAML data file: plain values only, no key written twice, errors that say where."""

from pathlib import Path

import pytest

from parvis.core.datafiles import DataFileError, Entry, read_yaml


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "donnees.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_is_read_as_plain_values(tmp_path):
    path = _file(tmp_path, "services:\n  - slug: accueil\n    is_internal: false\n")
    assert read_yaml(path) == {"services": [{"slug": "accueil", "is_internal": False}]}


def test_a_key_written_twice_is_refused_with_its_path_and_line(tmp_path):
    path = _file(
        tmp_path,
        "services:\n  - slug: accueil\n    name: Accueil\n    name: Mairie\n",
    )
    with pytest.raises(DataFileError) as raised:
        read_yaml(path)
    assert str(raised.value) == "donnees.yaml: services[0].name: clé écrite deux fois (ligne 4)"


def test_a_python_tag_is_refused_not_run(tmp_path):
    path = _file(tmp_path, "commune: !!python/object/apply:os.getcwd []\n")
    with pytest.raises(DataFileError, match=r"^donnees\.yaml: YAML illisible : "):
        read_yaml(path)


def test_broken_yaml_is_refused_naming_the_file(tmp_path):
    path = _file(tmp_path, "services: [accueil\n")
    with pytest.raises(DataFileError, match=r"^donnees\.yaml: YAML illisible : "):
        read_yaml(path)


def test_a_misspelt_optional_key_is_refused_rather_than_ignored():
    entry = Entry("donnees.yaml", "fields[0]", {"key": "a", "help_txt": "Aide"})
    with pytest.raises(DataFileError) as raised:
        entry.mapping(["key"], {"help_text": ""})
    assert str(raised.value) == (
        "donnees.yaml: fields[0].help_txt: clé inconnue (attendues : key, help_text)"
    )


def test_an_absent_optional_key_takes_its_default():
    entries = Entry("donnees.yaml", "", {"key": "a"}).mapping(["key"], {"help_text": ""})
    assert entries["help_text"].text(blank=True) == ""
    assert entries["help_text"].path == "help_text"


def test_a_number_where_a_text_is_expected_is_refused_with_a_hint():
    with pytest.raises(DataFileError) as raised:
        Entry("donnees.yaml", "caf_number", 3704512).text()
    assert str(raised.value) == (
        "donnees.yaml: caf_number: attendu : un texte ; trouvé « 3704512 » (entre guillemets)"
    )


def test_a_text_with_a_trailing_newline_is_refused():
    # What a folded block written ">" instead of ">-" gives.
    with pytest.raises(DataFileError, match="en trop au début ou à la fin"):
        Entry("donnees.yaml", "description", "Une démarche.\n").text()
