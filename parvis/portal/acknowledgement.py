"""The "your request is filed" banner, shown once on the tracking page to whoever filed it.

The browser that filed a request gets a signed cookie naming its ticket (its tracking
token, which the page's address holds anyway), read and removed by the tracking page. Not
the session: a citizen filing a request has none, and creating one for the banner cost a
quarter of the CPU of a submission (a SELECT, a transaction and an INSERT into
``django_session``, docs/benchmarks.md "Session 5"). The email the banner shows is the one
typed on this ticket (``Ticket.requester_email``): never that of a requester found by phone.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from parvis.tickets.models import Ticket

COOKIE = "parvis_depot"
_SALT = "parvis.portal.acknowledgement"
_MAX_AGE = 600  # seconds: the redirect follows at once; a banner is not shown days later
_PATH = "/suivi/"  # sent to the tracking pages only


def acknowledgement_set(response: HttpResponse, ticket_token: str) -> HttpResponse:
    """Mark the browser that just filed this ticket (on the redirect to its tracking page)."""
    response.set_signed_cookie(
        COOKIE,
        ticket_token,
        salt=_SALT,
        max_age=_MAX_AGE,
        path=_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def acknowledgement_due(request: HttpRequest, ticket: Ticket) -> bool:
    """Whether this browser just filed this ticket and has not seen the banner yet."""
    token = request.get_signed_cookie(COOKIE, default=None, salt=_SALT, max_age=_MAX_AGE)
    return token is not None and token == ticket.tracking_token


def acknowledgement_shown(response: HttpResponse) -> HttpResponse:
    """The banner was shown: it is not shown again."""
    response.delete_cookie(COOKIE, path=_PATH, samesite="Lax")
    return response
