"""The local outbox: mail Parvis would have sent, readable when no SMTP server is configured.

Every agent reads the mails of the tickets they may open (``outbox_page``), links masked.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from parvis.backoffice.access import AgentRequest, agent_required
from parvis.backoffice.templatetags.backoffice import outbox_enabled
from parvis.notifications.selectors import outbox_page


@require_GET
@agent_required
def outbox(request: AgentRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/outbox.html",
        {
            "page": outbox_page(request.user, request.GET.get("page", "1")),
            "outbox_enabled": outbox_enabled(),
        },
    )
