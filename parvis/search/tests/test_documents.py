"""The document index any app uses: index, search, suggest, remove (parvis.search)."""

import pytest

from parvis.search.actions import document_index, document_remove, documents_reindex
from parvis.search.models import SearchDocument
from parvis.search.selectors import search_documents, suggest

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    document_index(
        kind="article",
        object_id=1,
        title="Renouveler sa carte d'identité",
        body="Prenez rendez-vous à la mairie avec votre ancienne carte et une photo.",
        keywords="cni",
    )
    document_index(
        kind="article",
        object_id=2,
        title="Éclairage public",
        body="Signalez un lampadaire éteint : les services techniques interviennent sous 48 h.",
    )
    document_index(
        kind="article",
        object_id=3,
        title="Horaires de la mairie",
        body="La mairie est ouverte du lundi au vendredi. Le passeport se demande sur rendez-vous.",
    )
    document_index(
        kind="article",
        object_id=4,
        title="Procédure interne : clôturer une demande de passeport",
        body="Réservé aux agents.",
        audience="agents",
    )


def _ids(kind="article", **kwargs):
    return [hit.object_id for hit in search_documents(kind=kind, **kwargs)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eclairage", 2),
        ("ECLAIRAGE PUBLIC", 2),
        ("lampadaires éteints", 2),
        ("renouvellement carte identité", 1),
        ("je voudrais renouveler ma cni", 1),
        ("horaire", 3),
        ("pasport", 3),
    ],
)
def test_accents_case_plurals_conjugations_and_typos_find_the_article(articles, text, expected):
    assert _ids(text=text)[0] == expected


def test_a_word_in_the_title_ranks_above_the_same_word_in_a_body(articles):
    document_index(kind="article", object_id=5, title="Passeport", body="Les pièces à fournir.")
    assert _ids(text="passeport")[:2] == [5, 3]


def test_any_word_may_match_and_more_matching_words_rank_first(articles):
    found = _ids(text="rendez-vous carte")
    assert found[0] == 1
    assert 3 in found


def test_stop_words_alone_find_nothing(articles):
    assert _ids(text="je voudrais de la") == []
    assert _ids(text="") == []


def test_documents_for_agents_only_are_found_only_when_asked(articles):
    assert 4 not in _ids(text="clôturer passeport")
    assert _ids(text="clôturer passeport", audiences=("public", "agents"))[0] == 4


def test_kinds_are_searched_apart(articles):
    document_index(kind="faq", object_id=1, title="Éclairage de Noël", body="")
    assert _ids(kind="faq", text="eclairage") == [1]
    assert _ids(kind="nothing", text="eclairage") == []


def test_indexing_again_replaces_and_removing_forgets(articles):
    document_index(kind="article", object_id=2, title="Voirie", body="Nids de poule.")
    assert 2 not in _ids(text="eclairage")
    assert _ids(text="nid de poule") == [2]
    document_remove(kind="article", object_id=2)
    assert _ids(text="nid de poule") == []
    assert SearchDocument.objects.filter(kind="article").count() == 3


def test_suggestions_complete_the_word_being_typed(articles):
    assert suggest(kind="article", text="renouv")[0].object_id == 1
    assert suggest(kind="article", text="lampad")[0].object_id == 2
    assert suggest(kind="article", text="horaires de la mai")[0].object_id == 3


@pytest.mark.django_db(transaction=True)
def test_the_index_is_read_once_per_version_and_again_after_a_change(django_assert_num_queries):
    document_index(kind="article", object_id=1, title="Passeport", body="")
    assert _ids(text="passeport") == [1]
    with django_assert_num_queries(0):
        search_documents(kind="article", text="passeport")
    document_index(kind="article", object_id=2, title="Éclairage public", body="")
    assert _ids(text="eclairage") == [2]
    with django_assert_num_queries(0):
        search_documents(kind="article", text="eclairage")


def test_reindexing_analyses_every_document_again(articles):
    SearchDocument.objects.update(title_terms="", body_terms="", keyword_terms="")
    assert documents_reindex() == 4
    assert _ids(text="eclairage") == [2]


def test_an_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="audience"):
        document_index(kind="article", object_id=1, title="x", body="", audience="elus")
