"""Agents write the articles of their own service in the back office; no one else can."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parvis.catalog.models import RequestType, Service
from parvis.knowledge.models import Article, Category

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Horaires du cimetière",
        "summary": "Quand le cimetière est ouvert.",
        "body": "## Horaires\n\nDe 8 h à 18 h.",
        "category": Category.objects.get(slug="etat-civil").pk,
        "service": Service.objects.get(slug="etat-civil").pk,
        "keywords": "cimetiere horaires",
        "review_every_days": 180,
        "request_types": [RequestType.objects.get(slug="acte-de-deces").pk],
    }
    data.update(changes)
    return data


def test_the_list_shows_the_agents_articles_in_few_queries(
    login, knowledge, kb_civil_status_agent, django_assert_max_num_queries
):
    client = login(kb_civil_status_agent)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("backoffice:articles"))
    page = response.content.decode()
    assert "Obtenir un acte de naissance" in page
    assert "Collecte des encombrants" not in page, "another service's, shown with « tous »"
    everything = client.get(reverse("backoffice:articles"), {"tous": "1"}).content.decode()
    assert "Collecte des encombrants" in everything


def test_an_agent_writes_a_draft_previews_it_then_publishes_it(
    login, knowledge, kb_civil_status_agent
):
    client = login(kb_civil_status_agent)
    preview = client.post(reverse("backoffice:article_new"), {**_form(), "apercu": "1"})
    assert preview.status_code == 200
    assert "<h2>Horaires</h2>" in preview.content.decode()
    assert not Article.objects.filter(title="Horaires du cimetière").exists()

    response = client.post(reverse("backoffice:article_new"), _form())
    article = Article.objects.get(title="Horaires du cimetière")
    assert response.url == reverse("backoffice:article_edit", args=[article.pk])
    assert article.state == Article.State.DRAFT
    assert article.review_every_days == 180
    assert [t.slug for t in article.request_types.all()] == ["acte-de-deces"]
    assert client.get(reverse("portal:kb_article", args=[article.slug])).status_code == 404

    client.post(reverse("backoffice:article_state", args=[article.pk]), {"state": "published"})
    article.refresh_from_db()
    assert article.state == Article.State.PUBLISHED
    assert client.get(reverse("portal:kb_article", args=[article.slug])).status_code == 200


def test_an_agent_edits_marks_reviewed_and_attaches_a_form(login, knowledge, kb_civil_status_agent):
    client = login(kb_civil_status_agent)
    article = Article.objects.get(slug="acte-de-naissance")
    page = client.get(reverse("backoffice:article_edit", args=[article.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("backoffice:article_edit", args=[article.pk]),
        _form(title="Obtenir un acte de naissance", body="La mairie répond en trois jours."),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body_html == "<p>La mairie répond en trois jours.</p>\n"
    assert article.edited_locally, "load-catalog will keep this text"

    client.post(reverse("backoffice:article_reviewed", args=[article.pk]))
    assert article.changes.filter(kind="reviewed").exists()

    upload = SimpleUploadedFile("demande.pdf", PDF, content_type="application/pdf")
    client.post(reverse("backoffice:article_file_add", args=[article.pk]), {"file": upload})
    assert article.files.get().original_name == "demande.pdf"


def test_a_file_that_fails_the_check_is_refused_in_french(login, knowledge, kb_civil_status_agent):
    client = login(kb_civil_status_agent)
    article = Article.objects.get(slug="acte-de-naissance")
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 50, content_type="application/pdf")
    response = client.post(
        reverse("backoffice:article_file_add", args=[article.pk]), {"file": upload}, follow=True
    )
    assert "n&#x27;est pas d&#x27;un type accepté" in response.content.decode()
    assert not article.files.exists()


def test_an_agent_of_another_service_cannot_edit(login, knowledge, kb_roads_agent):
    client = login(kb_roads_agent)
    article = Article.objects.get(slug="acte-de-naissance")
    for url, data in [
        (reverse("backoffice:article_edit", args=[article.pk]), None),
        (reverse("backoffice:article_edit", args=[article.pk]), _form(title="Piraté")),
        (reverse("backoffice:article_state", args=[article.pk]), {"state": "draft"}),
        (reverse("backoffice:article_reviewed", args=[article.pk]), {}),
    ]:
        response = client.get(url) if data is None else client.post(url, data)
        assert response.status_code == 403, url
        assert "Seuls les agents du service propriétaire" in response.content.decode()
    article.refresh_from_db()
    assert (article.title, article.state) == ("Obtenir un acte de naissance", "published")


def test_an_agent_cannot_create_an_article_for_another_service(login, knowledge, kb_roads_agent):
    client = login(kb_roads_agent)
    response = client.post(reverse("backoffice:article_new"), _form())
    assert response.status_code == 400
    assert not Article.objects.filter(title="Horaires du cimetière").exists()


def test_drafts_of_other_services_are_not_listed(login, write_article, kb_roads_agent):
    write_article("Brouillon de l'état civil", state=Article.State.DRAFT)
    client = login(kb_roads_agent)
    page = client.get(reverse("backoffice:articles"), {"tous": "1"}).content.decode()
    assert "Brouillon de l&#x27;état civil" not in page
