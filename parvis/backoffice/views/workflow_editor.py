"""The workflow editor, for administrators: every démarche's workflow, edited as a new version.

Saving never changes the version tickets already follow: it writes the next one, which new
tickets are filed under (docs/decisions/0026).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from parvis.backoffice.access import AgentRequest, staff_required
from parvis.backoffice.forms.workflow_editor import (
    StatusFormSet,
    TransitionFormSet,
    editor_spec,
    status_choices,
    status_initial,
    transition_initial,
)
from parvis.catalog.models import RequestType
from parvis.workflows.actions import workflow_save_version
from parvis.workflows.selectors import demarches_with_workflows, latest_version, version_spec


@require_GET
@staff_required
def workflow_list(request: AgentRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/workflow_list.html",
        {"rows": demarches_with_workflows(), "nav_active": "workflows"},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def workflow_edit(request: AgentRequest, slug: str) -> HttpResponse:
    try:
        request_type = RequestType.objects.select_related("service").get(slug=slug)
    except RequestType.DoesNotExist:
        raise Http404(_("Cette démarche n'existe pas.")) from None
    version = latest_version(request_type.pk)
    spec = version_spec(version) if version else None
    errors: list[str] = []
    if request.method == "POST":
        statuses = StatusFormSet(request.POST, prefix="statuses")
        transitions = TransitionFormSet(
            request.POST,
            prefix="transitions",
            form_kwargs={"status_choices": status_choices(statuses, spec)},
        )
        if statuses.is_valid() and transitions.is_valid():
            try:
                saved = workflow_save_version(
                    request_type=request_type,
                    spec=editor_spec(statuses, transitions, spec),
                    actor=request.user,
                )
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(
                    request,
                    _("Circuit enregistré : version %(number)s. Les nouvelles demandes la suivent.")
                    % {"number": saved.number},
                )
                return redirect("backoffice:workflow_edit", slug=slug)
        else:
            errors = [_("Corrigez les champs signalés ci-dessous.")]
    else:
        statuses = StatusFormSet(prefix="statuses", initial=status_initial(spec))
        transitions = TransitionFormSet(
            prefix="transitions",
            initial=transition_initial(spec),
            form_kwargs={"status_choices": status_choices(None, spec)},
        )
    return render(
        request,
        "backoffice/workflow_edit.html",
        {
            "request_type": request_type,
            "version": version,
            "statuses": statuses,
            "transitions": transitions,
            "errors": errors,
            "nav_active": "workflows",
        },
        status=400 if errors else 200,
    )
