"""The director's overview of deadlines: per service, open tickets, overdue and due soon.

Each agent sees the services they may see (a director, as administrator, every one that is
not confidential); each figure links to the queue filtered on it.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from parvis.backoffice.access import AgentRequest, agent_required
from parvis.sla.selectors import lateness_by_service
from parvis.tickets.selectors import tickets_visible_to


@require_GET
@agent_required
def lateness(request: AgentRequest) -> HttpResponse:
    rows = lateness_by_service(tickets_visible_to(request.user))
    return render(
        request,
        "backoffice/lateness.html",
        {
            "rows": rows,
            "total_overdue": sum(row.overdue for row in rows),
            "nav_active": "lateness",
        },
    )
