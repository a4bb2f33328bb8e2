"""`parvis kb search`: what citizens would find, one JSON line per article, best first."""

import json
from io import StringIO

from django.core.management import call_command

from parvis.knowledge.models import Article


def _search(*args: str) -> list[dict[str, object]]:
    out = StringIO()
    call_command("kb", "search", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_prints_title_url_and_score_best_first(knowledge, settings):
    settings.BASE_URL = "https://mairie.example"
    lines = _search("pasport", "--limit", "2")
    assert len(lines) == 2
    assert lines[0] == {
        "title": "Passeport - demande et renouvellement",
        "url": "https://mairie.example/aide/fiches/passeport/",
        "score": lines[0]["score"],
    }
    assert lines[0]["score"] >= lines[1]["score"]


def test_it_takes_a_query_of_several_words_and_finds_the_right_article(knowledge):
    assert _search("salle", "des", "fêtes", "--limit", "1")[0]["title"] == (
        "Réserver une salle municipale"
    )
    assert _search("chien perdu", "--limit", "1")[0]["title"] == (
        "Chien ou chat perdu, trouvé ou errant"
    )


def test_it_never_prints_a_draft_or_an_internal_article(write_article):
    write_article("Consignes internes du cimetière", state=Article.State.INTERNAL)
    write_article("Brouillon du cimetière", state=Article.State.DRAFT, slug="brouillon")
    assert _search("cimetiere") == []
