"""`parvis kb import-dila`: service-public.fr fiches as articles, safely parsed, never twice."""

import datetime
import shutil
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from parvis.knowledge.dila import FicheError, parse_fiche
from parvis.knowledge.models import Article, Source

FICHES = Path(__file__).parent / "fiches"
GOOD = ["F1342.xml", "F1427.xml", "F2183.xml"]


def _import(path: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("kb", "import-dila", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_fiche_becomes_markdown_with_its_sections_lists_cases_and_links():
    fiche = parse_fiche((FICHES / "F1427.xml").read_bytes())
    assert fiche.id == "F1427"
    assert fiche.title == "Acte de naissance : comment en obtenir une copie ?"
    assert fiche.date == datetime.date(2026, 3, 2)
    assert fiche.url == "https://www.service-public.fr/particuliers/vosdroits/F1427"
    body = fiche.body
    assert "## Vous êtes né en France" in body  # ListeSituations/Situation
    assert "### Informations à fournir" in body  # Chapitre/Titre
    assert "#### Cas particulier : la personne est décédée" in body  # SousChapitre
    assert "- Date de naissance" in body  # Liste/Item
    assert "### Demande par courrier" in body  # BlocCas/Cas
    assert "[service en ligne](https://www.diplomatie.gouv.fr/)" in body
    assert "(https://www.service-public.fr/particuliers/vosdroits/F1431)" in body
    assert "[Demande d'acte de naissance](https://www.service-public.fr/" in body  # ServiceEnLigne
    assert "- Mairie (du lieu de naissance)" in body  # OuSAdresser
    assert "[Code civil : articles 34 à 54](https://www.legifrance.gouv.fr/" in body
    assert "> **À noter :** La délivrance est gratuite" in body


def test_a_table_and_a_numbered_list_are_kept():
    body = parse_fiche((FICHES / "F1342.xml").read_bytes()).body
    assert "1. Faire la pré-demande en ligne" in body
    assert "| Perte ou vol | **25 €** |" in body


def test_a_file_declaring_entities_is_refused_unexpanded():
    with pytest.raises(FicheError, match="entités"):
        parse_fiche((FICHES / "F9998-entites.xml").read_bytes())


def test_a_folder_is_imported_the_bad_files_named_in_french_and_the_others_kept(catalog, tmp_path):
    with pytest.raises(CommandError, match=r"2 fichier\(s\) non importé\(s\)"):
        _import(FICHES)
    assert sorted(Article.objects.values_list("source_id", flat=True)) == [
        "F1342",
        "F1427",
        "F2183",
    ]
    article = Article.objects.get(source_id="F1427")
    assert article.source == Source.DILA
    assert article.source_date == datetime.date(2026, 3, 2)
    assert article.state == Article.State.PUBLISHED
    assert article.category.slug == "service-public"
    assert article.service.slug == "accueil"
    assert "<h2>Vous êtes né en France</h2>" in article.body_html


def test_the_error_output_names_each_bad_file_and_why(catalog, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    shutil.copy(FICHES / "F1427.xml", folder)
    shutil.copy(FICHES / "F9999-malformee.xml", folder)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("kb", "import-dila", str(folder), stdout=StringIO(), stderr=err)
    assert "F9999-malformee.xml : XML illisible" in err.getvalue()
    assert "[" in err.getvalue() and "2/2" in err.getvalue(), "a progress bar"
    assert Article.objects.filter(source_id="F1427").exists()


def test_the_zip_is_read_and_a_second_import_updates_without_duplicating(catalog, tmp_path):
    archive = tmp_path / "vosdroits-latest.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in GOOD:
            zipped.write(FICHES / name, f"vosdroits/{name}")
        zipped.writestr("vosdroits/N19810.xml", '<Publication ID="N19810"><Texte/></Publication>')
    out, _err = _import(archive)
    assert "3 ajoutée(s)" in out
    out, _err = _import(archive)
    assert "0 ajoutée(s), 0 mise(s) à jour, 3 inchangée(s)" in out
    assert Article.objects.count() == 3

    newer = (FICHES / "F2183.xml").read_text(encoding="utf-8")
    newer = newer.replace("2025-11-20", "2026-02-01").replace("amende", "amende de 68 €")
    single = tmp_path / "F2183.xml"
    single.write_text(newer, encoding="utf-8")
    out, _err = _import(single)
    assert "1 mise(s) à jour" in out
    article = Article.objects.get(source_id="F2183")
    assert "68 €" in article.body and article.source_date == datetime.date(2026, 2, 1)
    assert Article.objects.count() == 3


def test_an_article_edited_here_is_not_overwritten_by_a_new_version(catalog, tmp_path, admin_user):
    from parvis.knowledge.actions import ArticleContent, article_update

    _import(FICHES / "F2183.xml")
    article = Article.objects.get(source_id="F2183")
    article_update(
        article=article,
        actor=admin_user,
        content=ArticleContent(
            title=article.title,
            summary=article.summary,
            body="Notre texte, adapté à la commune.",
            category=article.category,
            service=article.service,
        ),
    )
    newer = (FICHES / "F2183.xml").read_text(encoding="utf-8").replace("2025-11-20", "2026-02-01")
    single = tmp_path / "F2183.xml"
    single.write_text(newer.replace("amende", "amende forfaitaire"), encoding="utf-8")
    out, _err = _import(single)
    assert "gardées telles quelles : F2183" in out
    article.refresh_from_db()
    assert article.body == "Notre texte, adapté à la commune."


def test_an_unknown_service_is_a_clear_error(catalog):
    with pytest.raises(CommandError, match="Aucun service « mairie »"):
        _import(FICHES / "F1427.xml", "--service", "mairie")
