"""The public knowledge base: browse, search, read, vote; drafts and internal articles hidden."""

from django.urls import reverse

from parvis.knowledge.actions import article_attach_file
from parvis.knowledge.models import Article, ArticleFeedback
from parvis.tickets.files import check_file

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_portal_home_links_to_the_help_and_its_categories(client, knowledge):
    page = client.get(reverse("portal:home")).content.decode()
    assert 'href="/aide/"' in page
    assert 'href="/aide/themes/papiers-identite/"' in page


def test_the_help_home_lists_the_categories_in_few_queries(
    client, knowledge, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get(reverse("portal:kb_home"))
    assert response.status_code == 200
    assert "Papiers d&#x27;identité" in response.content.decode()


def test_a_category_lists_its_published_articles_in_few_queries(
    client, knowledge, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get(reverse("portal:kb_category", args=["papiers-identite"]))
    page = response.content.decode()
    assert "Passeport - demande et renouvellement" in page
    assert "Obtenir un acte de naissance" not in page


def test_a_search_finds_the_article_despite_a_typo(
    client, knowledge, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("portal:kb_home"), {"q": "pasport"})
    page = response.content.decode()
    assert 'href="/aide/fiches/passeport/"' in page


def test_a_search_that_finds_nothing_says_so_and_offers_the_demarches(client, knowledge):
    page = client.get(reverse("portal:kb_home"), {"q": "zzzzqqq"}).content.decode()
    assert "Aucune fiche ne correspond" in page
    assert 'href="/demarches/"' in page


def test_an_article_is_read_in_few_queries_and_its_view_counted(
    client, knowledge, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("portal:kb_article", args=["passeport"]))
    page = response.content.decode()
    assert '<h1 id="titre-fiche">Passeport - demande et renouvellement</h1>' in page
    assert "Cet article vous a-t-il aidé ?" in page
    assert Article.objects.get(slug="passeport").view_count == 1


def test_a_draft_and_an_internal_article_are_not_found(client, write_article):
    write_article("Brouillon", slug="brouillon", state=Article.State.DRAFT)
    write_article("Note interne", slug="note-interne", state=Article.State.INTERNAL)
    assert client.get(reverse("portal:kb_article", args=["brouillon"])).status_code == 404
    assert client.get(reverse("portal:kb_article", args=["note-interne"])).status_code == 404
    assert (
        client.post(
            reverse("portal:kb_feedback", args=["brouillon"]), {"helpful": "oui"}
        ).status_code
        == 404
    )


def test_a_vote_through_htmx_thanks_in_place(client, knowledge):
    response = client.post(
        reverse("portal:kb_feedback", args=["passeport"]),
        {"helpful": "non", "comment": "Le tarif pour un enfant n'est pas clair."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Merci pour votre avis" in response.content.decode()
    assert "<html" not in response.content.decode()
    article = Article.objects.get(slug="passeport")
    assert (article.helpful_yes, article.helpful_no) == (0, 1)
    assert ArticleFeedback.objects.get().comment == "Le tarif pour un enfant n'est pas clair."


def test_a_vote_without_javascript_comes_back_to_the_whole_page(client, knowledge):
    response = client.post(reverse("portal:kb_feedback", args=["passeport"]), {"helpful": "oui"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page and "Merci pour votre avis" in page


def test_votes_are_limited_per_connection(client, knowledge, settings):
    from parvis.portal.views import knowledge as views

    url = reverse("portal:kb_feedback", args=["passeport"])
    for _ in range(views.VOTES_PER_HOUR):
        client.post(url, {"helpful": "oui"})
    response = client.post(url, {"helpful": "oui"})
    assert response.status_code == 429
    assert "Trop d&#x27;avis" in response.content.decode()
    assert Article.objects.get(slug="passeport").helpful_yes == views.VOTES_PER_HOUR


def test_an_attached_form_is_offered_for_download(client, write_article, kb_civil_status_agent):
    article = write_article()
    attached = article_attach_file(
        article=article, actor=kb_civil_status_agent, checked=check_file(name="cerfa.pdf", data=PDF)
    )
    page = client.get(reverse("portal:kb_article", args=[article.slug])).content.decode()
    url = reverse("portal:kb_file", args=[article.slug, attached.pk])
    assert url in page
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_a_demarche_page_shows_its_linked_articles(client, knowledge):
    page = client.get(reverse("portal:request_form", args=["rendez-vous-cni-passeport"])).content
    page = page.decode()
    assert "ces fiches peuvent vous répondre" in page
    assert 'href="/aide/fiches/carte-nationale-d-identite/"' in page
    assert 'href="/aide/fiches/passeport/"' in page
