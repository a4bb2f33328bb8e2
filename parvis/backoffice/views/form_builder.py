"""The form builder, for administrators: a démarche's form as a draft, previewed, published.

Every change is made on the draft (``catalog.FormField`` rows); citizens and agents keep
filling in the published version until « Publier » writes the next one, which new tickets
are filed under; older tickets keep theirs (docs/decisions/0027). Each change is a plain
form post, so the builder works without JavaScript.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parvis.backoffice.access import AgentRequest, staff_required
from parvis.backoffice.forms.form_builder import FormFieldForm
from parvis.catalog.actions import (
    form_field_move,
    form_field_remove,
    form_field_save,
    form_publish,
)
from parvis.catalog.form_specs import check_fields
from parvis.catalog.models import FormField, RequestType
from parvis.catalog.selectors import (
    demarches_with_forms,
    draft_differs,
    form_draft,
    form_versions,
)
from parvis.intake.forms import demarche_fields_form


@require_GET
@staff_required
def form_list(request: AgentRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/form_list.html",
        {"rows": demarches_with_forms(), "nav_active": "forms"},
    )


@require_GET
@staff_required
def form_edit(request: AgentRequest, slug: str) -> HttpResponse:
    request_type = _request_type(slug)
    return _edit_page(request, request_type, FormFieldForm(earlier=form_draft(request_type)))


@require_POST
@staff_required
def form_field_add(request: AgentRequest, slug: str) -> HttpResponse:
    request_type = _request_type(slug)
    draft = form_draft(request_type)
    form = FormFieldForm(request.POST, instance=FormField(request_type=request_type), earlier=draft)
    if form.is_valid():
        try:
            field = form_field_save(field=form.instance)
        except ValidationError as error:
            form.show_errors(error)
        else:
            messages.success(
                request,
                _("Champ « %(label)s » ajouté au brouillon.") % {"label": field.label},
            )
            return redirect("backoffice:form_edit", slug=slug)
    return _edit_page(request, request_type, form, status=400)


@require_http_methods(["GET", "POST"])
@staff_required
def form_field_edit(request: AgentRequest, slug: str, pk: int) -> HttpResponse:
    request_type = _request_type(slug)
    draft = form_draft(request_type)
    field = _draft_field(draft, pk)
    earlier = draft[: draft.index(field)]
    form = FormFieldForm(request.POST or None, instance=field, earlier=earlier)
    if request.method == "POST" and form.is_valid():
        try:
            form_field_save(field=form.instance)
        except ValidationError as error:
            form.show_errors(error)
        else:
            messages.success(
                request,
                _("Champ « %(label)s » modifié dans le brouillon.") % {"label": field.label},
            )
            return redirect("backoffice:form_edit", slug=slug)
    return render(
        request,
        "backoffice/form_field_edit.html",
        {"request_type": request_type, "form": form, "field": field, "nav_active": "forms"},
        status=400 if form.errors else 200,
    )


@require_POST
@staff_required
def form_field_move_view(request: AgentRequest, slug: str, pk: int, up: bool) -> HttpResponse:
    request_type = _request_type(slug)
    field = _draft_field(form_draft(request_type), pk)
    form_field_move(field=field, up=up)
    return redirect(f"{reverse('backoffice:form_edit', args=[slug])}#champ-{field.pk}")


@require_POST
@staff_required
def form_field_remove_view(request: AgentRequest, slug: str, pk: int) -> HttpResponse:
    request_type = _request_type(slug)
    field = _draft_field(form_draft(request_type), pk)
    form_field_remove(field=field)
    messages.success(
        request, _("Champ « %(label)s » retiré du brouillon.") % {"label": field.label}
    )
    return redirect("backoffice:form_edit", slug=slug)


@require_http_methods(["GET", "POST"])
@staff_required
def form_preview(request: AgentRequest, slug: str) -> HttpResponse:
    """The draft as the citizen will see it, rendered by the portal's own form; « Vérifier »
    shows what the citizen would be told, and files nothing."""
    request_type = _request_type(slug)  # read with its draft fields
    if request.method == "POST":
        fields_form = demarche_fields_form(request_type, request.POST, request.FILES)
        checked = fields_form.is_valid()
    else:
        fields_form, checked = demarche_fields_form(request_type), False
    return render(
        request,
        "backoffice/form_preview.html",
        {
            "request_type": request_type,
            "fields_form": fields_form,
            "checked": checked,
            "nav_active": "forms",
        },
    )


@require_POST
@staff_required
def form_publish_view(request: AgentRequest, slug: str) -> HttpResponse:
    request_type = _request_type(slug)
    try:
        version = form_publish(request_type=request_type, actor=request.user)
    except ValidationError as error:
        return _edit_page(
            request,
            request_type,
            FormFieldForm(earlier=form_draft(request_type)),
            publish_errors=error.messages,
            status=400,
        )
    messages.success(
        request,
        _("Formulaire publié : version %(number)s. Les nouvelles demandes la suivent.")
        % {"number": version.number},
    )
    return redirect("backoffice:form_edit", slug=slug)


def _edit_page(
    request: AgentRequest,
    request_type: RequestType,
    add_form: FormFieldForm,
    *,
    publish_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    draft = form_draft(request_type)
    versions = form_versions(request_type)
    version = versions[0] if versions else None
    context: dict[str, Any] = {
        "request_type": request_type,
        "draft": draft,
        "version": version,
        "versions": versions,
        "has_unpublished_changes": draft_differs(draft, version),
        "problems": publish_errors or _problems(draft),
        "publish_refused": bool(publish_errors),
        "add_form": add_form,
        "nav_active": "forms",
    }
    return render(request, "backoffice/form_edit.html", context, status=status)


def _problems(draft: list[FormField]) -> list[str]:
    """What would stop the draft from being published, said before the administrator tries."""
    try:
        check_fields(draft)
    except ValidationError as error:
        return error.messages
    return []


def _request_type(slug: str) -> RequestType:
    try:
        return RequestType.objects.select_related("service").get(slug=slug)
    except RequestType.DoesNotExist:
        raise Http404(_("Cette démarche n'existe pas.")) from None


def _draft_field(draft: list[FormField], pk: int) -> FormField:
    for field in draft:
        if field.pk == pk:
            return field
    raise Http404(_("Ce champ n'existe pas dans le brouillon de cette démarche."))
