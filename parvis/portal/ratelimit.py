"""A fixed-window attempt counter in the Django cache: per process with locmem, shared on Redis."""

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client as the WSGI server saw it.

    X-Forwarded-For is not trusted: behind a reverse proxy, the proxy must set REMOTE_ADDR
    (gunicorn ``--forwarded-allow-ips``) so that clients are not all counted as one.
    """
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def attempt_allowed(scope: str, client: str, *, limit: int, window: int) -> bool:
    """Count one attempt for this client; False once more than ``limit`` were made in the window."""
    key = f"parvis:ratelimit:{scope}:{client}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
