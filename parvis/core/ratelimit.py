"""Fixed-window counters in the shared cache: every process counts in the same one.

``attempt_allowed`` counts every attempt (the tracking look-up); ``failure_record`` and
``failures_retry_after`` count failures only, and say how long a client must wait (failed
API keys).

Parvis's two shared caches count atomically in one call (``count``: one round trip on Redis,
one upsert in the database's ``core.RateCounter``), so two workers counting at once never
lose an attempt (docs/decisions/0009-shared-versioned-caches.md); other backends (the
tests' memory cache) count with ``add`` and ``incr``. ``attempts_allowed`` counts several
clients at once: one round trip for them all on Redis, an upsert each in the database.
Used by the tracking look-up and the public form (per client), by intake (per email
address) and by the acknowledgements (per address and hour): what a person typed (an email
address) is counted under its hash (``address_key``), never kept in clear in the cache.
"""

import hashlib
import ipaddress
import time
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.http import HttpRequest

from parvis.core.cache_backend import DatabaseCache, RedisCache
from parvis.core.models import RateCounter


def client_ip(request: HttpRequest) -> str:
    """The address of the client's device (a citizen's, an agent's, an API client's).

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


def client_ip_address(request: HttpRequest) -> str | None:
    """``client_ip`` if it is an IP address, else None: what the login records (django-axes)
    store in an address column, which PostgreSQL checks (a proxy may send anything)."""
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None


def attempt_allowed(scope: str, client: str, *, limit: int, window: int) -> bool:
    """Count one attempt for this client; False once more than ``limit`` were made in the window."""
    return _count(f"parvis:ratelimit:{scope}:{client}", window) <= limit


def attempts_allowed(scope: str, clients: Sequence[str], *, limit: int, window: int) -> list[bool]:
    """``attempt_allowed`` for each of these clients, in order (a client named twice counts
    twice): one round trip on Redis for them all (a worker's batch of acknowledgements)."""
    keys = [f"parvis:ratelimit:{scope}:{client}" for client in clients]
    return [count <= limit for count in _count_many(keys, window)]


def failures_retry_after(scope: str, client: str, *, limit: int, window: int) -> int:
    """Seconds until this client may try again (0: now): ``limit`` failures in this window."""
    count = _counted(_failures_key(scope, client, window))
    return _window_left(window) if count >= limit else 0


def failure_record(scope: str, client: str, *, window: int) -> None:
    """Count one failure for this client in the current window."""
    _count(_failures_key(scope, client, window), window)


def _failures_key(scope: str, client: str, window: int) -> str:
    # The window's number in the key: every process agrees on when it ends (Retry-After).
    return f"parvis:failures:{scope}:{client}:{int(time.time()) // window}"


def _window_left(window: int) -> int:
    return window - int(time.time()) % window


def _count(key: str, window: int) -> int:
    """Add one to the counter under ``key`` (created for ``window`` seconds) and return it."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, DatabaseCache | RedisCache):
        return backend.count(key, window)
    if cache.add(key, 1, timeout=window):
        return 1  # the first attempt of the window: created with its expiry, nothing to add
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    if count == 1:
        # Redis's incr() creates a key that expired just after Django checked it was there,
        # with no expiry: that client would be refused for ever.
        cache.touch(key, timeout=window)
    return count


def _count_many(keys: Sequence[str], window: int) -> list[int]:
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, DatabaseCache | RedisCache):
        return backend.count_many(keys, window)
    return [_count(key, window) for key in keys]


def _counted(key: str) -> int:
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, DatabaseCache | RedisCache):
        return backend.counted(key)
    return int(cache.get(key, 0))


def rate_counters_purge() -> int:
    """Delete the database's counters whose window has ended (those never counted again
    stay otherwise: a failed key's counter is named by its window); how many."""
    deleted, _by_model = RateCounter.objects.filter(expires__lte=int(time.time())).delete()
    return deleted


def address_key(email: str) -> str:
    """What an email address is counted under: the same for every way of writing its case."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
