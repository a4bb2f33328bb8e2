"""Articles suggested on the request form, and the counts of requests they avoided."""

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parvis.knowledge.deflection import deflection_session_new, deflection_session_read
from parvis.knowledge.deflection_counts import deflection_counts
from parvis.knowledge.models import Deflection

QUESTION = "/demarches/question-generale/"
ID_CARD = "carte-nationale-d-identite"


def _session(client: Client) -> str:
    page = client.get(QUESTION).content.decode()
    found = re.search(r'name="deflection_session" value="([^"]+)"', page)
    assert found, "the form carries its deflection session"
    return found.group(1)


def _suggest(client: Client, session: str, text: str) -> Any:
    return client.get(
        QUESTION + "fiches-suggerees/",
        {"subject": "Question générale", "description": text, "deflection_session": session},
        headers={"HX-Request": "true"},
    )


def _today() -> datetime.date:
    return timezone.localdate()


def _counts(by: str | None = None) -> Any:
    return deflection_counts(since=_today(), until=_today(), by=by)


def test_the_id_card_article_is_suggested_for_a_citizen_wording(client, knowledge):
    session = _session(client)
    response = _suggest(client, session, "je voudrais refaire ma carte d'identité")
    assert response.status_code == 200
    assert f"/aide/fiches/{ID_CARD}/suggestion/" in response.content.decode()
    assert response.content.decode().count("<li>") <= 3
    shown = Deflection.objects.filter(kind=Deflection.Kind.SHOWN)
    assert ID_CARD in {d.article.slug for d in shown}
    assert {d.request_type.slug for d in shown} == {"question-generale"}


def test_typing_on_shows_each_article_once_per_form(client, knowledge):
    session = _session(client)
    _suggest(client, session, "je voudrais refaire ma carte d'identité")
    _suggest(client, session, "je voudrais refaire ma carte d'identité svp")
    article_ids = list(
        Deflection.objects.filter(kind=Deflection.Kind.SHOWN).values_list("article_id", flat=True)
    )
    assert len(article_ids) == len(set(article_ids))
    assert _counts()[0].shown == 1


def test_a_made_up_session_records_nothing(client, knowledge):
    response = _suggest(client, "abc:def", "je voudrais refaire ma carte d'identité")
    assert response.status_code == 200
    assert not Deflection.objects.exists()
    assert deflection_session_read("x" * 22) is None
    assert deflection_session_read(deflection_session_new()) is not None


def test_nothing_personal_is_stored(client, knowledge):
    session = _session(client)
    _suggest(client, session, "Camille Martin 06 12 34 56 78 carte d'identité perdue")
    row = Deflection.objects.first()
    assert row is not None
    stored = " ".join(str(getattr(row, f.attname)) for f in Deflection._meta.concrete_fields)
    assert "Camille" not in stored and "06 12" not in stored and "127.0.0.1" not in stored


def _open_and_answer(client: Client, session: str, slug: str = ID_CARD) -> None:
    page = client.get(f"/aide/fiches/{slug}/suggestion/", {"session": session})
    assert "Cette fiche répond à ma question" in page.content.decode()
    response = client.post(f"/aide/fiches/{slug}/reponse-trouvee/", {"session": session})
    assert response.status_code == 200
    assert "Tant mieux" in response.content.decode()


def test_an_answered_form_counts_as_a_request_avoided(client, knowledge):
    session = _session(client)
    _suggest(client, session, "je voudrais refaire ma carte d'identité")
    _open_and_answer(client, session)
    total = _counts()[0]
    assert (total.shown, total.opened, total.answered) == (1, 1, 1)
    by_article = {c.label: c for c in _counts("article")}
    id_card = by_article["Carte nationale d'identité - demande et renouvellement"]
    assert (id_card.shown, id_card.opened, id_card.answered) == (1, 1, 1)
    (question,) = _counts("demarche")
    assert question.label == "Question générale" and question.answered == 1


def test_a_request_sent_after_its_suggestions_is_not_avoided(client, knowledge):
    session = _session(client)
    _suggest(client, session, "je voudrais refaire ma carte d'identité")
    _open_and_answer(client, session)
    response = client.post(
        QUESTION,
        {
            "name": "Camille Martin",
            "email": "camille@example.fr",
            "subject": "Carte d'identité",
            "description": "je voudrais refaire ma carte d'identité",
            "consent": "on",
            "submission_token": _token(client),
            "deflection_session": session,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    total = _counts()[0]
    assert (total.shown, total.opened, total.answered) == (1, 1, 0)
    assert Deflection.objects.filter(kind=Deflection.Kind.SUBMITTED).count() == 1


def _token(client: Client) -> str:
    page = client.get(QUESTION).content.decode()
    found = re.search(r'name="submission_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_answering_needs_a_suggestion_first(client, knowledge):
    session = _session(client)
    response = client.post(f"/aide/fiches/{ID_CARD}/reponse-trouvee/", {"session": session})
    assert response.status_code == 400
    assert not Deflection.objects.exists()


def test_the_article_opened_without_a_suggestion_offers_no_answer_button(client, knowledge):
    page = client.get(f"/aide/fiches/{ID_CARD}/suggestion/", {"session": "faux"})
    assert page.status_code == 200
    assert "Cette fiche répond à ma question" not in page.content.decode()


@pytest.mark.parametrize("days_ago", [40])
def test_counts_keep_to_their_period(client, knowledge, days_ago):
    session = _session(client)
    _suggest(client, session, "je voudrais refaire ma carte d'identité")
    Deflection.objects.update(occurred_on=_today() - datetime.timedelta(days=days_ago))
    assert _counts()[0].shown == 0
