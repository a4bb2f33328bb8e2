"""The hook through which a transition's « set a deadline » action reaches the deadlines app.

Workflows store the parameters only (``days``, ``working``, ``deadline_kind``); counting
working days, holidays and pauses is the SLA app's work. It registers a handler in its
``ready()``::

    from parvis.workflows.deadlines import on_deadline

    @on_deadline
    def set_step_deadline(request: DeadlineRequest) -> None: ...

called in the delivery's transaction of the step's event (``subscribers.py``), so that the
deadline it writes is written exactly once. Without a handler, nothing is set: the request is
logged, and the step's event keeps its facts for a handler added later.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from parvis.tickets.models import Event, Ticket

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeadlineRequest:
    """A transition asks for a deadline on its ticket, counted from its event's time."""

    ticket: Ticket
    event: Event
    days: int
    working: bool  # working days (the service's calendar), else calendar days
    deadline_kind: str  # ``vocabulary.DeadlineKind``: the mairie's target or the law's


Handler = Callable[[DeadlineRequest], None]
_handlers: list[Handler] = []


def on_deadline(handler: Handler) -> Handler:
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def deadline_request(request: DeadlineRequest) -> None:
    if not _handlers:
        logger.info(
            "deadline of %s days asked on ticket %s: no handler", request.days, request.ticket.pk
        )
    for handler in _handlers:
        handler(request)
