"""The error pages (400, 403, 404, 500, CSRF failure): in French, in the site's look, each
saying what to do next.

Django calls these for every error it does not let a view answer (``handler400`` …
``handler500`` in ``parvis.urls``, ``CSRF_FAILURE_VIEW``). The look follows the address:
the agents' pages (``/agents/``, ``/admin/``) get the back office's, with a way back to the
queue; the API (``/api/``) gets a JSON body like its other errors; everything else the
citizens' portal's, with the démarche search and the way to find a request by its number.

Only an ``ExplainedNotFound`` says why a page is missing (a ticket transferred away); any
other exception's message is for developers and never shown. If the 500 page cannot be
rendered in the site's look (the database is what failed), it is plain HTML.
"""

import enum
import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from parvis.core.errors import ExplainedNotFound

logger = logging.getLogger(__name__)


class Room(enum.StrEnum):
    """Which part of the site an address belongs to, hence the look of its error page."""

    PORTAL = "portal"
    BACKOFFICE = "backoffice"
    API = "api"


_PREFIXES = {"/api/": Room.API, "/agents/": Room.BACKOFFICE, "/admin/": Room.BACKOFFICE}


def room_of(request: HttpRequest) -> Room:
    path = request.path_info
    for prefix, room in _PREFIXES.items():
        if path.startswith(prefix):
            return room
    return Room.PORTAL


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, _("La demande envoyée au serveur n'est pas valide."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, _("Vous n'avez pas accès à cette page."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    explanation = exception.explanation if isinstance(exception, ExplainedNotFound) else ""
    return _page(request, 404, _("Page introuvable."), explanation=explanation)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _page(request, 500, _("Une erreur est survenue de notre côté."))
    except Exception:  # the page itself failed (database down…): say it plainly
        logger.exception("The 500 page could not be rendered")
        return HttpResponse(_plain_500(), status=500, content_type="text/html; charset=utf-8")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check: almost always a page left open too long, or cookies
    refused. ``reason`` is for developers (Django logs it)."""
    return _page(
        request, 403, _("Ce formulaire a expiré ou n'a pas pu être vérifié."), template="csrf"
    )


def _page(
    request: HttpRequest,
    status: int,
    message: str,
    *,
    explanation: str = "",
    template: str | None = None,
) -> HttpResponse:
    room = room_of(request)
    if room == Room.API:
        return JsonResponse({"detail": explanation or message}, status=status)
    context = {
        "base_template": f"{room}/base.html",
        "room": str(room),
        "status": status,
        "message": message,
        "explanation": explanation,
        "topic": _topic(request),
    }
    html = loader.render_to_string(f"errors/{template or status}.html", context, request)
    return HttpResponse(html, status=status)


# What a missing page was about, from the address's view, for a 404 that says more.
_TOPICS = {
    "portal:track": "tracking",
    "portal:add_message": "tracking",
    "portal:follow_up": "tracking",
    "portal:attachment": "tracking",
    "portal:request_form": "demarche",
}


def _topic(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is None:
        return ""
    if match.namespace == "backoffice" and "reference" in match.kwargs:
        return "ticket"
    return _TOPICS.get(match.view_name, "")


def _plain_500() -> str:
    """The 500 page when the site's look cannot be rendered: no template, no database."""
    title = _("Une erreur est survenue")
    text = _("Le service est momentanément indisponible. Réessayez dans quelques minutes.")
    return (
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1><p>{text}</p></body></html>"
    )
