"""A citizen in a real browser: the request form suggests the article that answers them."""

import pytest
from playwright.sync_api import expect

from parvis.knowledge.deflection_counts import deflection_counts
from parvis.knowledge.models import Deflection

pytestmark = pytest.mark.browser

ID_CARD_TITLE = "Carte nationale d'identité - demande et renouvellement"


@pytest.fixture
def live_knowledge(live_catalog: None) -> None:
    from parvis.knowledge.defaults import knowledge_load_defaults

    knowledge_load_defaults()


def test_a_citizen_is_offered_the_id_card_article_and_leaves_without_a_request(
    page, live_server, live_knowledge, axe_check
):
    page.goto(live_server.url + "/demarches/question-generale/")
    page.get_by_label("Décrivez votre demande").press_sequentially(
        "je voudrais refaire ma carte d'identité", delay=20
    )
    region = page.locator("#fiches-suggerees")
    assert region.get_attribute("aria-live") == "polite"
    suggestion = region.get_by_role("link", name=ID_CARD_TITLE)
    suggestion.wait_for()
    assert region.get_by_role("link").count() <= 3
    axe_check(page)

    with page.context.expect_page() as opened:
        suggestion.focus()
        page.keyboard.press("Enter")  # by keyboard, as anyone may
    article = opened.value
    article.wait_for_load_state()
    expect(article.get_by_role("heading", level=1)).to_have_text(ID_CARD_TITLE)
    axe_check(article)
    article.get_by_role("button", name="Cette fiche répond à ma question").click()
    done = article.get_by_role("status")
    done.wait_for()
    expect(done).to_contain_text("Vous n'avez pas besoin d'envoyer votre demande")

    answered = Deflection.objects.get(kind=Deflection.Kind.ANSWERED)
    assert answered.article.title == ID_CARD_TITLE
    assert answered.request_type.slug == "question-generale"
    today = answered.occurred_on
    total = deflection_counts(since=today, until=today)[0]
    assert (total.shown, total.opened, total.answered) == (1, 1, 1)
    # What typed in the form is still there, in the first tab.
    assert "carte d'identité" in page.get_by_label("Décrivez votre demande").input_value()


def test_the_suggestions_read_on_a_phone(page, live_server, live_knowledge):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/demarches/question-generale/")
    page.get_by_label("Décrivez votre demande").press_sequentially(
        "refaire mon passeport", delay=20
    )
    page.locator("#fiches-suggerees").get_by_role("link").first.wait_for()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow
