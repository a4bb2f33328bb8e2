"""A citizen in a real browser: finds the help, searches, reads an article, says it helped."""

import pytest
from playwright.sync_api import expect

from parvis.knowledge.models import Article

pytestmark = pytest.mark.browser


@pytest.fixture
def live_knowledge(live_catalog: None) -> None:
    from parvis.knowledge.defaults import knowledge_load_defaults

    knowledge_load_defaults()


def test_a_citizen_reads_an_article_and_votes(page, live_server, live_knowledge, axe_check):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Aide"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aide et informations pratiques")
    axe_check(page)

    page.get_by_label("Quelle information cherchez-vous ?").fill("renouveler mon pasport")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Passeport - demande et renouvellement").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Passeport - demande et renouvellement"
    )
    expect(page.get_by_role("heading", name="Les pièces à apporter")).to_be_visible()
    axe_check(page)

    page.get_by_label("Un commentaire pour améliorer cette fiche (facultatif)").fill(
        "Très clair, merci."
    )
    page.get_by_role("button", name="Oui, cet article m'a aidé").click()
    thanks = page.get_by_role("status")
    thanks.wait_for()
    expect(thanks).to_contain_text("Merci pour votre avis")
    assert page.get_by_role("button", name="Oui, cet article m'a aidé").count() == 0
    assert page.url.endswith("/aide/fiches/passeport/"), "swapped in place by HTMX"
    axe_check(page)

    article = Article.objects.get(slug="passeport")
    assert (article.view_count, article.helpful_yes, article.helpful_no) == (1, 1, 0)
    assert article.feedback.get().comment == "Très clair, merci."


def test_the_article_reads_on_a_phone_without_sideways_scrolling(page, live_server, live_knowledge):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/aide/fiches/horaires-et-contacts-de-la-mairie/")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow
