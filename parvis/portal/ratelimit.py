"""A fixed-window attempt counter in the shared cache: every process counts in the same one.

``add`` and ``incr`` are atomic on Redis and on Parvis's database cache, so two workers
counting at once never lose an attempt (docs/decisions/0009-shared-versioned-caches.md).
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the citizen's device.

    Behind ``PARVIS_TRUSTED_PROXIES`` reverse proxies (nginx, a load balancer), REMOTE_ADDR is
    the nearest proxy's: every citizen would share one counter. Each proxy appends the
    address it saw to X-Forwarded-For, so the client is the N-th address from the end; what
    a client writes in that header itself comes before, and is never read.
    """
    proxies: int = settings.PARVIS_TRUSTED_PROXIES
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [address.strip() for address in header.split(",")]
    forwarded = [address for address in forwarded if address]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
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
    if count == 1:
        # Redis's incr() creates a key that expired just after Django checked it was there,
        # with no expiry: that client would be refused for ever.
        cache.touch(key, timeout=window)
    return count <= limit
