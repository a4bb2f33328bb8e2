"""Articles suggested while a citizen writes a request (deflection), and what came of them.

The request form asks for suggestions as the citizen types its subject and description
(HTMX, debounced); each article suggested links to its page with the form's session, where
« Cette fiche répond à ma question » says the citizen leaves without a request. Every step is
recorded by ``knowledge.deflection`` without personal data. Without JavaScript the form
works as before, with no suggestions.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from parvis.catalog.selectors import request_type_with_fields
from parvis.knowledge.actions import article_record_view
from parvis.knowledge.deflection import (
    deflection_record_answered,
    deflection_record_opened,
    deflection_record_shown,
    deflection_session_read,
)
from parvis.knowledge.search import suggest_articles
from parvis.knowledge.selectors import public_article
from parvis.portal.views.knowledge import FeedbackForm

SUGGESTIONS = 3
QUERY_LENGTH = 500
MIN_LENGTH = 8  # fewer letters say too little to suggest anything useful


@require_GET
def article_suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    """Up to three published articles for what the citizen has written so far."""
    request_type = request_type_with_fields(slug)
    if request_type is None:
        raise Http404
    signed = request.GET.get("deflection_session", "")
    session = deflection_session_read(signed)
    text = " ".join(
        request.GET.get(name, "").strip() for name in ("subject", "description")
    ).strip()[:QUERY_LENGTH]
    articles = []
    if session is not None and len(text) >= MIN_LENGTH and text != request_type.name:
        articles = suggest_articles(text, limit=SUGGESTIONS)
        if articles:
            deflection_record_shown(
                session=session,
                request_type_id=request_type.pk,
                article_ids=[a.pk for a in articles],
            )
    return render(
        request,
        "portal/includes/article_suggestions.html",
        {"articles": articles, "deflection_session": signed},
    )


@require_GET
def suggested_article(request: HttpRequest, slug: str) -> HttpResponse:
    """An article opened from a suggestion: the article's page, and « it answers me »."""
    article = public_article(slug)
    article_record_view(article_id=article.pk)  # a reading like any other
    signed = request.GET.get("session", "")
    session = deflection_session_read(signed)
    context = {"article": article, "feedback_form": FeedbackForm()}
    if session is not None and deflection_record_opened(session=session, article=article):
        context["deflection_session"] = signed
    return render(request, "portal/knowledge/article.html", context)


@require_POST
def answered(request: HttpRequest, slug: str) -> HttpResponse:
    """« Cette fiche répond à ma question »: recorded, and the citizen is told they are done."""
    article = public_article(slug)
    session = deflection_session_read(request.POST.get("session", ""))
    recorded = session is not None and deflection_record_answered(session=session, article=article)
    template = "_deflection.html" if request.headers.get("HX-Request") else "article.html"
    return render(
        request,
        f"portal/knowledge/{template}",
        {"article": article, "feedback_form": FeedbackForm(), "deflection_answered": recorded},
        status=200 if recorded else 400,
    )
