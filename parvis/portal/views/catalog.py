"""The home page and the search among démarches (parvis.search, through the catalogue)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parvis.catalog.selectors import public_catalog, search_request_types
from parvis.knowledge.selectors import public_categories

GENERAL_QUESTION_SLUG = "question-generale"


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {"services": public_catalog(), "kb_categories": public_categories()},
    )


def catalog(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    context: dict[str, object] = {"query": query, "general_question_slug": GENERAL_QUESTION_SLUG}
    if query:
        context["results"] = search_request_types(query)
    else:
        context["services"] = public_catalog()
    return render(request, "portal/catalog.html", context)


SUGGESTIONS = 5


def catalog_suggestions(request: HttpRequest) -> HttpResponse:
    """Démarches suggested as the citizen types (HTMX, debounced), the last word completed."""
    query = request.GET.get("q", "").strip()[:200]
    suggestions = (
        search_request_types(query, limit=SUGGESTIONS, as_you_type=True) if len(query) > 1 else []
    )
    return render(
        request,
        "portal/includes/demarche_suggestions.html",
        {"query": query, "suggestions": suggestions},
    )
