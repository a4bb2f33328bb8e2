"""The daily digest: each morning, to each agent who asked for it, their open tickets that are
overdue or due soon — one mail a day at most, also with several workers running.

An agent subscribes on their account page (``digest_subscribe``). The job (``tasks``) writes
each digest in the transaction that records it as sent (``DigestSent``, unique per agent and
day): a second worker finds the row and writes nothing. Nothing is written to an agent with
nothing due. A confidential ticket is listed by its reference only, as every agent notice
says no more of it (an agent's mailbox is outside the back office's access log).
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from parvis.accounts.models import User
from parvis.notifications.actions import agent_notice_write_unattached
from parvis.notifications.links import backoffice_url
from parvis.notifications.models import Template
from parvis.sla.models import DigestSent, DigestSubscription
from parvis.sla.selectors import due_soon_q, overdue_q
from parvis.tickets.models import Ticket

LISTED = 50  # tickets named in one digest; the rest are counted


def digest_subscribe(*, user: User, subscribed: bool) -> bool:
    """Subscribe the agent to the daily digest, or not; whether they are subscribed now."""
    if subscribed:
        DigestSubscription.objects.get_or_create(user=user)
    else:
        DigestSubscription.objects.filter(user=user).delete()
    return subscribed


def is_subscribed(user: User) -> bool:
    return DigestSubscription.objects.filter(user=user).exists()


def _tickets(user: User, q: Q) -> list[dict[str, object]]:
    """The agent's tickets matching ``q``, soonest due first, as the digest lists them."""
    tickets = (
        Ticket.objects.filter(q, assignee=user)
        .select_related("deadline")
        .order_by("deadline__due_at")
        .only("reference", "subject", "is_confidential", "deadline__due_at")[: LISTED + 1]
    )
    return [
        {
            "reference": ticket.reference,
            "subject": "" if ticket.is_confidential else ticket.subject,
            "due_at": ticket.deadline.due_at,
            "url": backoffice_url(ticket),
        }
        for ticket in tickets
    ]


def digests_send(*, now: datetime.datetime | None = None) -> int:
    """Write today's digests not written yet; how many were written."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    subscribers = User.objects.filter(is_active=True, digest_subscription__isnull=False).exclude(
        pk__in=DigestSent.objects.filter(day=day).values("user_id")
    )
    written = 0
    for user in subscribers:
        overdue = _tickets(user, overdue_q(now))
        soon = _tickets(user, due_soon_q(now))
        if not overdue and not soon:
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, day=day, tickets=len(overdue) + len(soon))
                agent_notice_write_unattached(
                    template=Template.AGENT_DIGEST,
                    context={
                        "agent": user,
                        "overdue": overdue[:LISTED],
                        "soon": soon[:LISTED],
                        "more": len(overdue) > LISTED or len(soon) > LISTED,
                    },
                    agents=[user],
                )
        except IntegrityError:
            continue  # another worker wrote it
        written += 1
    return written
