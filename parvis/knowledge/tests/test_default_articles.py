"""The default knowledge base: its data file, and `parvis load-catalog` keeping local edits."""

import dataclasses
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from parvis.core.datafiles import DataFileError
from parvis.knowledge import data as data_module
from parvis.knowledge.actions import ArticleContent, article_update
from parvis.knowledge.data import default_articles, knowledge_from_document
from parvis.knowledge.defaults import knowledge_load_defaults
from parvis.knowledge.models import Article, Source


def _document() -> dict[str, Any]:
    return {
        "categories": [{"slug": "etat-civil", "name": "État civil"}],
        "articles": [
            {
                "slug": "acte-de-naissance",
                "category": "etat-civil",
                "service": "etat-civil",
                "title": "Obtenir un acte de naissance",
                "request_types": ["acte-de-naissance"],
                "body": "## Où ?\n\nÀ la mairie du lieu de naissance.",
            }
        ],
    }


def test_the_shipped_file_has_at_least_thirty_articles_in_french():
    kb = default_articles()
    assert len(kb.articles) >= 30
    assert all(len(a.body.split()) >= 80 for a in kb.articles), "every fiche says something"
    wanted = {
        "horaires-et-contacts-de-la-mairie",
        "acte-de-naissance",
        "acte-de-mariage",
        "acte-de-deces",
        "carte-nationale-d-identite",
        "passeport",
        "inscription-sur-les-listes-electorales",
        "collecte-des-encombrants",
        "consulter-le-plu",
        "declaration-prealable-de-travaux",
        "reserver-une-salle-municipale",
        "inscription-scolaire",
        "les-aides-du-ccas",
    }
    assert wanted <= {a.slug for a in kb.articles}


def test_every_public_demarche_of_the_default_catalogue_has_an_article():
    from parvis.catalog.data import default_catalog

    linked = {slug for a in default_articles().articles for slug in a.request_types}
    public = {
        t.slug
        for t in default_catalog().request_types
        if t.visibility == "public" and t.service not in ("informatique", "services-generaux")
    }
    assert public - linked == set()


def test_it_refuses_an_article_naming_an_unknown_demarche():
    document = _document()
    document["articles"][0]["request_types"] = ["acte-de-naisance"]
    with pytest.raises(DataFileError) as error:
        knowledge_from_document(document, source="test.yaml")
    assert "articles[0].request_types[0]" in str(error.value)
    assert "acte-de-naisance" in str(error.value)


def test_it_refuses_an_unknown_category_and_a_slug_given_twice():
    document = _document()
    document["articles"][0]["category"] = "urbanisme"
    with pytest.raises(DataFileError, match=r"articles\[0\]\.category"):
        knowledge_from_document(document, source="test.yaml")
    document = _document()
    document["articles"].append(dict(document["articles"][0]))
    with pytest.raises(DataFileError, match="figure déjà"):
        knowledge_from_document(document, source="test.yaml")


def test_load_catalog_installs_the_articles_published_and_linked_to_their_demarches(db):
    out = StringIO()
    call_command("load-catalog", stdout=out)
    assert "41 fiche(s) ajoutées" in out.getvalue() or "fiche(s) ajoutées" in out.getvalue()
    assert Article.objects.count() == len(default_articles().articles)
    birth = Article.objects.get(slug="acte-de-naissance")
    assert birth.state == Article.State.PUBLISHED
    assert birth.source == Source.DEFAULT
    assert birth.service.slug == "etat-civil"
    assert list(birth.request_types.values_list("slug", flat=True)) == ["acte-de-naissance"]
    assert "<h2>" in birth.body_html and "##" not in birth.body_html


def test_a_second_load_changes_nothing(knowledge):
    report = knowledge_load_defaults()
    assert (report.created, report.updated, report.kept) == (0, 0, [])


def test_an_article_an_agent_edited_is_kept_and_reported_when_the_file_changes(
    knowledge, kb_civil_status_agent, monkeypatch
):
    article = Article.objects.get(slug="acte-de-naissance")
    article_update(
        article=article,
        actor=kb_civil_status_agent,
        content=ArticleContent(
            title=article.title,
            summary=article.summary,
            body="Notre mairie délivre les actes le jour même.",
            category=article.category,
            service=article.service,
        ),
    )
    _change_the_file(monkeypatch, "acte-de-naissance", body="Un texte par défaut plus récent.")
    report = knowledge_load_defaults()
    assert report.kept == ["acte-de-naissance"]
    article.refresh_from_db()
    assert article.body == "Notre mairie délivre les actes le jour même."


def test_an_article_nobody_edited_follows_the_file(knowledge, monkeypatch):
    _change_the_file(monkeypatch, "passeport", body="Le passeport se demande sur rendez-vous.")
    report = knowledge_load_defaults()
    assert report.updated == 1
    assert Article.objects.get(slug="passeport").body == "Le passeport se demande sur rendez-vous."


def _change_the_file(monkeypatch: Any, slug: str, *, body: str) -> None:
    kb = default_articles()
    articles = tuple(
        dataclasses.replace(a, body=body) if a.slug == slug else a for a in kb.articles
    )
    changed = dataclasses.replace(kb, articles=articles)
    monkeypatch.setattr("parvis.knowledge.defaults.default_articles", lambda: changed)
    assert data_module.default_articles() is kb
