"""The public knowledge base: browse by category, search, read an article, say if it helped.

Only published articles are shown (``knowledge.selectors``). A reading counts one view and a
vote moves one counter, each in one UPDATE (``F()``): no row is read to be written back.
Votes are limited per client address in the shared cache; nothing about the voter is kept.
"""

from django import forms
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parvis.core.ratelimit import attempt_allowed, client_ip
from parvis.knowledge.actions import article_record_feedback, article_record_view
from parvis.knowledge.models import COMMENT_LENGTH
from parvis.knowledge.search import search_articles
from parvis.knowledge.selectors import (
    public_article,
    public_article_file,
    public_categories,
    public_category,
)
from parvis.tickets.file_types import name_for_type

QUERY_LENGTH = 200
RESULTS = 20
VOTES_PER_HOUR = 30


class FeedbackForm(forms.Form):
    """« Cet article vous a-t-il aidé ? »: the button pressed, and an optional comment."""

    helpful = forms.ChoiceField(
        choices=[("oui", gettext_lazy("oui")), ("non", gettext_lazy("non"))]
    )
    comment = forms.CharField(
        label=gettext_lazy("Un commentaire pour améliorer cette fiche (facultatif)"),
        help_text=gettext_lazy(
            "N'indiquez pas d'informations personnelles : ce commentaire n'est pas une demande "
            "et ne recevra pas de réponse."
        ),
        required=False,
        max_length=COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def knowledge_home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:QUERY_LENGTH]
    context: dict[str, object] = {"query": query, "categories": public_categories()}
    if query:
        context["results"] = search_articles(query, limit=RESULTS)
    return render(request, "portal/knowledge/home.html", context)


def knowledge_category(request: HttpRequest, slug: str) -> HttpResponse:
    category, articles = public_category(slug)
    return render(
        request, "portal/knowledge/category.html", {"category": category, "articles": articles}
    )


def knowledge_article(request: HttpRequest, slug: str) -> HttpResponse:
    article = public_article(slug)
    article_record_view(article_id=article.pk)
    return render(
        request,
        "portal/knowledge/article.html",
        {"article": article, "feedback_form": FeedbackForm()},
    )


@require_POST
def knowledge_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    article = public_article(slug)
    form = FeedbackForm(request.POST)
    status = 200
    if not form.is_valid():
        status = 400
    elif not attempt_allowed("kb-feedback", client_ip(request), limit=VOTES_PER_HOUR, window=3600):
        form.add_error(None, _("Trop d'avis envoyés depuis votre connexion : réessayez plus tard."))
        status = 429
    else:
        article_record_feedback(
            article_id=article.pk,
            helpful=form.cleaned_data["helpful"] == "oui",
            comment=form.cleaned_data["comment"],
        )
    # HTMX swaps the block in place; without JavaScript the whole page comes back.
    template = "_feedback.html" if request.headers.get("HX-Request") else "article.html"
    return render(
        request,
        f"portal/knowledge/{template}",
        {"article": article, "feedback_form": form, "thanked": status == 200},
        status=status,
    )


def knowledge_file(request: HttpRequest, slug: str, file_id: int) -> FileResponse:
    found = public_article_file(slug, file_id)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=name_for_type(found.original_name, found.content_type),
        content_type=found.content_type or "application/octet-stream",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
