"""Writing articles: who may, what is rendered, what a reading and a vote store."""

import pytest
from django.core.exceptions import PermissionDenied

from parvis.catalog.models import Service
from parvis.knowledge.actions import (
    ArticleContent,
    article_attach_file,
    article_mark_reviewed,
    article_record_feedback,
    article_record_view,
    article_set_state,
    article_update,
)
from parvis.knowledge.markdown import render_markdown
from parvis.knowledge.models import Article, ArticleChange, ArticleFeedback
from parvis.knowledge.search import search_articles
from parvis.tickets.files import check_file

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _content(article: Article, **changes: object) -> ArticleContent:
    values = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "category": article.category,
        "service": article.service,
    }
    values.update(changes)
    return ArticleContent(**values)  # type: ignore[arg-type]


def test_an_agent_of_another_service_cannot_change_an_article(write_article, kb_roads_agent):
    article = write_article()
    with pytest.raises(PermissionDenied):
        article_update(article=article, actor=kb_roads_agent, content=_content(article, title="x"))
    with pytest.raises(PermissionDenied):
        article_set_state(article=article, actor=kb_roads_agent, state=Article.State.DRAFT)
    with pytest.raises(PermissionDenied):
        article_mark_reviewed(article=article, actor=kb_roads_agent)
    article.refresh_from_db()
    assert article.title == "Horaires du cimetière"


def test_an_agent_cannot_give_their_article_to_a_service_they_are_not_in(
    write_article, kb_civil_status_agent
):
    article = write_article()
    roads = Service.objects.get(slug="services-techniques")
    with pytest.raises(PermissionDenied):
        article_update(
            article=article, actor=kb_civil_status_agent, content=_content(article, service=roads)
        )


def test_the_body_is_rendered_without_script_or_raw_html(write_article):
    article = write_article(
        body="# Titre\n\n<script>alert(1)</script> [lien](javascript:alert(1)) "
        '<img src=x onerror="alert(1)"> [ok](https://www.service-public.fr/)'
    )
    assert "<script" not in article.body_html
    assert "<img" not in article.body_html
    assert 'href="javascript' not in article.body_html
    assert '<a href="https://www.service-public.fr/" rel="noopener noreferrer">ok</a>' in (
        article.body_html
    )
    assert "<h2>Titre</h2>" in article.body_html, "the page's h1 is the article's title"


def test_tables_and_lists_are_kept():
    html = render_markdown("- un\n- deux\n\n| Jour | Heures |\n|---|---|\n| Lundi | 9 h |")
    assert "<li>un</li>" in html and "<td>Lundi</td>" in html


def test_a_reading_adds_one_in_one_query(write_article, django_assert_num_queries):
    article = write_article()
    with django_assert_num_queries(1):
        article_record_view(article_id=article.pk)
    article_record_view(article_id=article.pk)
    article.refresh_from_db()
    assert article.view_count == 2


def test_a_vote_counts_and_keeps_the_comment_but_nothing_about_who_gave_it(write_article):
    article = write_article()
    article_record_feedback(article_id=article.pk, helpful=True)
    article_record_feedback(article_id=article.pk, helpful=False, comment="  Il manque le samedi. ")
    article.refresh_from_db()
    assert (article.helpful_yes, article.helpful_no) == (1, 1)
    fields = {f.name for f in ArticleFeedback._meta.get_fields()}
    assert fields == {"id", "article", "helpful", "comment", "given_on"}
    assert ArticleFeedback.objects.get(helpful=False).comment == "Il manque le samedi."


def test_a_file_goes_through_the_one_file_check(write_article, kb_civil_status_agent):
    article = write_article()
    attached = article_attach_file(
        article=article,
        actor=kb_civil_status_agent,
        checked=check_file(name="formulaire.pdf", data=PDF),
    )
    assert attached.content_type == "application/pdf"
    assert attached.file.read() == PDF
    assert article.changes.filter(kind=ArticleChange.Kind.FILE_ADDED).exists()


def test_a_draft_is_not_found_and_a_published_article_is(write_article, kb_civil_status_agent):
    draft = write_article("Horaires de la piscine", state=Article.State.DRAFT)
    assert search_articles("piscine") == []
    article_set_state(article=draft, actor=kb_civil_status_agent, state=Article.State.PUBLISHED)
    assert [a.pk for a in search_articles("piscine")] == [draft.pk]


def test_an_internal_article_is_found_by_agents_only(write_article):
    article = write_article("Procédure interne des mariages", state=Article.State.INTERNAL)
    assert search_articles("procedure interne mariages") == []
    assert [a.pk for a in search_articles("procedure interne mariages", for_agents=True)] == [
        article.pk
    ]


def test_every_change_is_recorded_with_its_actor(write_article, kb_civil_status_agent):
    article = write_article()
    article_mark_reviewed(article=article, actor=kb_civil_status_agent)
    kinds = list(article.changes.values_list("kind", "actor"))
    assert (ArticleChange.Kind.REVIEWED, kb_civil_status_agent.pk) in kinds
    assert (ArticleChange.Kind.CREATED, kb_civil_status_agent.pk) in kinds
