"""What every request must respect before any view, query or read of its body.

- A NUL byte in the address (its path or query string) names nothing: 404. PostgreSQL
  refuses a text holding NUL, so a lookup with one was a 500 wherever a parameter reached a
  query (``/suivi/%00/``); refused here, it reaches none. A cookie holding one (a quoted
  ``"\000"``) is dropped: it was a 500 where the session key reached its query.
- A body larger than the limit is refused from its announced length (413), before a byte of
  it is read: the API's (``PARVIS_API_MAX_BODY_KB``, its requests are JSON text) under
  ``/api/``, as JSON, and ``PARVIS_MAX_REQUEST_MB`` elsewhere (a form and its files), as a
  French page. Django reads no more than the announced length, and none of a body sent
  without one (chunked): nothing larger ever reaches a parser. The reverse proxy's own limit
  (nginx: ``client_max_body_size``) should be the same, so that it refuses first.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

API_PREFIX = "/api/"  # where parvis.urls mounts the API


class RequestLimitsMiddleware:
    """Refuse a request whose address holds a NUL byte (404) or whose body is too large (413);
    forget a cookie that holds a NUL byte."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul_byte(request):
            raise Http404  # answered by handler404, as any page not found
        request.COOKIES = {
            name: value
            for name, value in request.COOKIES.items()
            if "\x00" not in name and "\x00" not in value
        }
        is_api = request.path_info.startswith(API_PREFIX)
        limit = settings.PARVIS_API_MAX_BODY_BYTES if is_api else settings.PARVIS_MAX_REQUEST_BYTES
        if announced_length(request) > limit:
            return request_too_large(request, limit=limit, as_json=is_api)
        return self.get_response(request)


def _has_nul_byte(request: HttpRequest) -> bool:
    return "\x00" in request.path or any(
        "\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values
    )


def announced_length(request: HttpRequest) -> int:
    """The body's length as the client announced it (Django reads no more); 0 if none."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def request_too_large(request: HttpRequest, *, limit: int, as_json: bool) -> HttpResponse:
    message = _("La requête est trop volumineuse : %(max)s au maximum.") % {
        "max": filesizeformat(limit)
    }
    if as_json:
        return JsonResponse({"detail": message}, status=413)
    context = {
        "message": message,
        "max_file": filesizeformat(settings.PARVIS_MAX_UPLOAD_BYTES),
        "max_total": filesizeformat(limit),
    }
    return HttpResponse(loader.render_to_string("errors/413.html", context, request), status=413)
