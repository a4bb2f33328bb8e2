"""What citizens said of closed tickets: results per service and démarche, and comments.

Every agent sees the results of their own services (an administrator, every service) and
the comments on their own services' tickets (``satisfaction.selectors``).
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from parvis.backoffice.access import AgentRequest, agent_required
from parvis.satisfaction.selectors import (
    recent_comments,
    satisfaction_by_demarche,
    satisfaction_by_service,
)

PERIODS = {"30": _("30 derniers jours"), "90": _("3 derniers mois"), "365": _("12 derniers mois")}
ALL = "tout"


@require_GET
@agent_required
def satisfaction(request: AgentRequest) -> HttpResponse:
    period = request.GET.get("periode", "90")
    if period not in PERIODS and period != ALL:
        period = "90"
    days = None if period == ALL else int(period)
    context = {
        "nav_active": "satisfaction",
        "periods": [*PERIODS.items(), (ALL, _("depuis le début"))],
        "period": period,
        "by_service": satisfaction_by_service(user=request.user, days=days),
        "by_demarche": satisfaction_by_demarche(user=request.user, days=days),
        "comments": recent_comments(user=request.user, days=days),
    }
    return render(request, "backoffice/satisfaction.html", context)
