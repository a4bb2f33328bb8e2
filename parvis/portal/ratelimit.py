"""Who a web client is, for the rate limits of the public pages (``parvis.core.ratelimit``)."""

from django.conf import settings
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
