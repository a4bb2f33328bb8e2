"""A fixed-window attempt counter in the shared cache: every process counts in the same one.

``add`` and ``incr`` are atomic on Redis and on Parvis's database cache, so two workers
counting at once never lose an attempt (docs/decisions/0009-shared-versioned-caches.md).
Used by the tracking look-up and the public form (per client), by intake (per email
address) and by the acknowledgements (per address and hour): what a person typed (an email
address) is counted under its hash, never kept in clear in the cache.
"""

import hashlib

from django.core.cache import cache


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


def address_key(email: str) -> str:
    """What an email address is counted under: the same for every way of writing its case."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
