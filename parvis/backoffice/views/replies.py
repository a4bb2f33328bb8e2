"""Help for writing a reply: canned responses of the agent's services, articles to insert,
and a good reply turned into a draft article.

Canned responses are listed and written by the agents of their service (``knowledge.canned``);
an agent of another service gets a 403 page that says why. On the ticket page the reply form
offers them, filled in for the ticket, with a search among articles (HTMX); a small script
inserts the chosen text where the cursor is, and without JavaScript the texts and links are
there to copy.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parvis.backoffice.access import AgentRequest, agent_required
from parvis.backoffice.forms.canned import CannedResponseForm
from parvis.knowledge.canned import (
    canned_response_create,
    canned_response_delete,
    canned_response_for_editor,
    canned_response_update,
    canned_responses_for_agent,
)
from parvis.knowledge.from_reply import article_draft_from_reply
from parvis.knowledge.markdown import plain_text
from parvis.knowledge.search import search_articles
from parvis.privacy.models import AccessContext
from parvis.tickets.selectors import ticket_for_agent, ticket_reply_message

EXCERPT_LENGTH = 400
ARTICLES = 5


def _denied(request: AgentRequest, error: PermissionDenied) -> HttpResponse:
    return render(
        request,
        "backoffice/access_denied.html",
        {"reason": str(error), "is_agent": True},
        status=403,
    )


@require_GET
@agent_required
def canned_list(request: AgentRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/replies/canned_list.html",
        {"responses": list(canned_responses_for_agent(request.user)), "nav_active": "canned"},
    )


@agent_required
def canned_new(request: AgentRequest) -> HttpResponse:
    form = CannedResponseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            canned_response_create(actor=request.user, content=form.content())
        except PermissionDenied as error:
            return _denied(request, error)
        messages.success(request, _("Réponse type enregistrée."))
        return redirect("backoffice:canned_list")
    return _edit_page(request, form, None)


@agent_required
def canned_edit(request: AgentRequest, pk: int) -> HttpResponse:
    try:
        response = canned_response_for_editor(request.user, pk)
    except PermissionDenied as error:
        return _denied(request, error)
    if request.method == "POST" and "supprimer" in request.POST:
        canned_response_delete(response=response, actor=request.user)
        messages.success(request, _("Réponse type supprimée."))
        return redirect("backoffice:canned_list")
    if request.method == "POST":
        form = CannedResponseForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                canned_response_update(
                    response=response, actor=request.user, content=form.content()
                )
            except PermissionDenied as error:
                return _denied(request, error)
            messages.success(request, _("Réponse type enregistrée."))
            return redirect("backoffice:canned_list")
    else:
        form = CannedResponseForm(
            initial=CannedResponseForm.initial_for(response), user=request.user
        )
    return _edit_page(request, form, response)


def _edit_page(request: AgentRequest, form: CannedResponseForm, response: object) -> HttpResponse:
    return render(
        request,
        "backoffice/replies/canned_edit.html",
        {"form": form, "response": response, "nav_active": "canned"},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_GET
@agent_required
def article_search(request: AgentRequest, reference: str) -> HttpResponse:
    """Articles to insert into a reply: a link to the public page, or an excerpt."""
    ticket_for_agent(request.user, reference, context=AccessContext.TICKET_ACTION)
    query = request.GET.get("q", "").strip()[:200]
    found = []
    for article in search_articles(query, limit=ARTICLES) if len(query) > 1 else []:
        url = request.build_absolute_uri(reverse("portal:kb_article", args=[article.slug]))
        excerpt = article.summary or plain_text(article.body)[:EXCERPT_LENGTH]
        found.append(
            {
                "article": article,
                "url": url,
                "link_text": f"{article.title} : {url}",
                "excerpt_text": f"{excerpt}\n{_('En savoir plus')} : {url}",
            }
        )
    template = "_article_results.html" if request.htmx else "article_search.html"
    return render(
        request,
        f"backoffice/replies/{template}",
        {"query": query, "found": found, "reference": reference},
    )


@require_POST
@agent_required
def reply_to_article(request: AgentRequest, reference: str, message_id: int) -> HttpResponse:
    """A reply of this ticket becomes a draft article of the agent's service, to edit."""
    ticket = ticket_for_agent(request.user, reference, context=AccessContext.TICKET_ACTION)
    message = ticket_reply_message(ticket, message_id)
    try:
        article = article_draft_from_reply(actor=request.user, message=message)
    except PermissionDenied as error:
        return _denied(request, error)
    messages.success(
        request,
        _(
            "Brouillon de fiche créé à partir de la réponse, sans les données personnelles de "
            "l'usager. Relisez-le, complétez-le, puis publiez-le."
        ),
    )
    return redirect("backoffice:article_edit", pk=article.pk)
