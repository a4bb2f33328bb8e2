"""The knowledge base in the back office: agents write the articles of their services.

Every agent reads the list (published and internal articles of every service, drafts of
their own); writing is for the members of the owning service (``knowledge.permissions``):
another service's agent gets a 403 page that says why. Every write is a knowledge action.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.backoffice.access import AgentRequest, agent_required
from parvis.backoffice.forms.knowledge import ArticleFileForm, ArticleForm, ArticleStateForm
from parvis.knowledge.actions import (
    article_attach_file,
    article_create,
    article_mark_reviewed,
    article_remove_file,
    article_set_state,
    article_update,
)
from parvis.knowledge.markdown import render_markdown
from parvis.knowledge.models import Article
from parvis.knowledge.selectors import (
    AgentListFilter,
    article_for_editor,
    article_history,
    articles_for_agent,
)

PER_PAGE = 30


def _denied(request: AgentRequest, error: PermissionDenied) -> HttpResponse:
    return render(
        request,
        "backoffice/access_denied.html",
        {"reason": str(error), "is_agent": True},
        status=403,
    )


@agent_required
def article_list(request: AgentRequest) -> HttpResponse:
    wanted = AgentListFilter(
        mine_only=request.GET.get("tous") != "1",
        state=request.GET.get("etat", ""),
        text=request.GET.get("q", "").strip()[:100],
    )
    page = Paginator(articles_for_agent(request.user, wanted), PER_PAGE).get_page(
        request.GET.get("page", "1")
    )
    return render(
        request,
        "backoffice/knowledge/list.html",
        {
            "page": page,
            "wanted": wanted,
            "states": Article.State.choices,
            "nav_active": "knowledge",
        },
    )


@agent_required
def article_new(request: AgentRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None, user=request.user)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "apercu" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
        else:
            try:
                article = article_create(
                    actor=request.user,
                    slug=_free_slug(form.cleaned_data["title"]),
                    content=form.content(),
                )
            except PermissionDenied as error:
                return _denied(request, error)
            messages.success(request, _("Fiche enregistrée comme brouillon."))
            return redirect("backoffice:article_edit", pk=article.pk)
    return render(
        request,
        "backoffice/knowledge/edit.html",
        {"form": form, "article": None, "preview": preview, "nav_active": "knowledge"},
        status=400 if form.is_bound and form.errors else 200,
    )


@agent_required
def article_edit(request: AgentRequest, pk: int) -> HttpResponse:
    try:
        article = article_for_editor(request.user, pk)
    except PermissionDenied as error:
        return _denied(request, error)
    preview = None
    if request.method == "POST":
        form = ArticleForm(request.POST, user=request.user)
        if form.is_valid():
            if "apercu" in request.POST:
                preview = render_markdown(form.cleaned_data["body"])
            else:
                article_update(article=article, actor=request.user, content=form.content())
                messages.success(request, _("Fiche enregistrée."))
                return redirect("backoffice:article_edit", pk=article.pk)
    else:
        form = ArticleForm(initial=ArticleForm.initial_for(article), user=request.user)
    return render(
        request,
        "backoffice/knowledge/edit.html",
        {
            "form": form,
            "article": article,
            "preview": preview,
            "file_form": ArticleFileForm(),
            "history": article_history(article),
            "states": Article.State.choices,
            "nav_active": "knowledge",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@agent_required
def article_state(request: AgentRequest, pk: int) -> HttpResponse:
    try:
        article = article_for_editor(request.user, pk)
    except PermissionDenied as error:
        return _denied(request, error)
    form = ArticleStateForm(request.POST)
    if form.is_valid():
        article = article_set_state(
            article=article, actor=request.user, state=form.cleaned_data["state"]
        )
        messages.success(
            request,
            _("La fiche est maintenant : %(state)s.") % {"state": article.get_state_display()},
        )
    return redirect("backoffice:article_edit", pk=pk)


@require_POST
@agent_required
def article_reviewed(request: AgentRequest, pk: int) -> HttpResponse:
    try:
        article = article_for_editor(request.user, pk)
    except PermissionDenied as error:
        return _denied(request, error)
    article_mark_reviewed(article=article, actor=request.user)
    messages.success(request, _("Fiche marquée comme relue aujourd'hui."))
    return redirect("backoffice:article_edit", pk=pk)


@require_POST
@agent_required
def article_file_add(request: AgentRequest, pk: int) -> HttpResponse:
    try:
        article = article_for_editor(request.user, pk)
    except PermissionDenied as error:
        return _denied(request, error)
    form = ArticleFileForm(request.POST, request.FILES)
    if form.is_valid():
        attached = article_attach_file(
            article=article, actor=request.user, checked=form.cleaned_data["file"]
        )
        messages.success(
            request, _("Fichier « %(name)s » ajouté.") % {"name": attached.original_name}
        )
    else:
        for refusal in form.errors.get("file", []):
            messages.error(request, str(refusal))
    return redirect("backoffice:article_edit", pk=pk)


@require_POST
@agent_required
def article_file_remove(request: AgentRequest, pk: int, file_id: int) -> HttpResponse:
    try:
        article = article_for_editor(request.user, pk)
    except PermissionDenied as error:
        return _denied(request, error)
    article_remove_file(article=article, actor=request.user, file_id=file_id)
    messages.success(request, _("Fichier retiré."))
    return redirect("backoffice:article_edit", pk=pk)


def _free_slug(title: str) -> str:
    """An identifier from the title, numbered if another article has it."""
    base = slugify(title)[:70] or "fiche"
    slug, number = base, 1
    while Article.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug
