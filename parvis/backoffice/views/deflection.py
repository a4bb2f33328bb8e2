"""« Demandes évitées »: what the articles suggested on the request forms achieved.

For administrators and heads of service: counts only (``knowledge.deflection_counts``), per
period, per démarche and per article; nothing in them says who.
"""

import datetime

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from parvis.accounts.models import Membership, User
from parvis.backoffice.access import AgentRequest, agent_required
from parvis.knowledge.deflection_counts import deflection_counts

PERIODS = (7, 30, 90, 365)


def may_read_deflection(user: User) -> bool:
    """Administrators and heads of service."""
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(user_id=user.pk, role=Membership.Role.MANAGER).exists()


@require_GET
@agent_required
def deflection_report(request: AgentRequest) -> HttpResponse:
    if not may_read_deflection(request.user):
        return render(
            request,
            "backoffice/access_denied.html",
            {
                "reason": _(
                    "Cette page est réservée aux administrateurs et responsables de service."
                ),
                "is_agent": True,
            },
            status=403,
        )
    try:
        days = int(request.GET.get("jours", "30"))
    except ValueError:
        days = 30
    days = days if days in PERIODS else 30
    until = timezone.localdate()
    since = until - datetime.timedelta(days=days - 1)
    return render(
        request,
        "backoffice/replies/deflection.html",
        {
            "days": days,
            "periods": PERIODS,
            "since": since,
            "until": until,
            "total": deflection_counts(since=since, until=until)[0],
            "by_demarche": deflection_counts(since=since, until=until, by="demarche"),
            "by_article": deflection_counts(since=since, until=until, by="article"),
            "nav_active": "knowledge",
        },
    )
