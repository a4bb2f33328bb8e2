"""Idempotent creation: a request retried with its key creates nothing more and gets the
first response (draft-ietf-httpapi-idempotency-key-header); see docs/decisions/0014.

``respond_once`` inserts the key's row in the same database transaction as the creation
it guards, and fills in the response before that transaction commits. The unique
constraint on (scope, key) is the lock: a retry that arrives while the first request runs
waits on it (PostgreSQL: on the row's index entry; SQLite: writers queue on the database),
then finds the first response. If the first request fails or its process dies, its
transaction rolls back with the row, and the key is free for the retry to create for real.
"""

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from parvis.accounts.models import User
from parvis.intake.models import IdempotencyKey

PORTAL_SCOPE = "portal"
_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: lock_timeout ran out


@dataclass(frozen=True)
class StoredResponse:
    """What a creation answered, kept to answer its retries the same: status and JSON body."""

    status: int
    body: Any


class KeyReusedError(Exception):
    """The key already served for another request (another body, another endpoint)."""

    def __init__(self, first: StoredResponse) -> None:
        super().__init__("idempotency key reused for another request")
        self.first = first


class KeyInProgressError(Exception):
    """The first request with this key is still running after the wait allowed."""


def agent_scope(user: User) -> str:
    """Keys are the client's own: an API client's are scoped by its agent."""
    return f"user:{user.pk}"


def desk_scope(user: User) -> str:
    """The phone / counter form's tokens, scoped by the agent who typed the request in."""
    return f"desk:{user.pk}"


def canonical_json(data: object) -> bytes:
    """One byte string for equal JSON values, whatever their key order and spacing."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    """SHA-256 of what makes a retry the same request: method, path and canonical body."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))  # lengths first: no two splits collide
        digest.update(part)
    return digest.hexdigest()


def respond_once(
    *, scope: str, key: str, fingerprint: str, respond: Callable[[], StoredResponse]
) -> StoredResponse:
    """``respond()`` once per (scope, key); its retries get the response it gave.

    Raises KeyReusedError if the key was used with another fingerprint, KeyInProgressError
    if the first request is still running after ``PARVIS_IDEMPOTENCY_WAIT_SECONDS``.
    Whatever ``respond`` raises rolls its work back with the key, which stays unused.
    """
    with transaction.atomic():
        first = _claim(scope=scope, key=key, fingerprint=fingerprint)
        if first is not None:
            stored = StoredResponse(status=first.response_status or 0, body=first.response_body)
            if first.fingerprint != fingerprint:
                raise KeyReusedError(stored)
            return stored
        response = respond()
        IdempotencyKey.objects.filter(scope=scope, key=key).update(
            response_status=response.status, response_body=response.body
        )
        return response


def idempotency_keys_purge(*, now: datetime | None = None) -> int:
    """Delete the keys older than ``PARVIS_IDEMPOTENCY_KEY_HOURS``; how many were deleted."""
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=_expiry(now)).delete()
    return deleted


def _expiry(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(hours=settings.PARVIS_IDEMPOTENCY_KEY_HOURS)


def _claim(*, scope: str, key: str, fingerprint: str) -> IdempotencyKey | None:
    """Insert the key's row (None), or return the row of the request that used it first.

    An expired row that the purge has not reached yet frees its key: it is replaced.
    """
    for _attempt in range(3):
        try:
            with _bounded_lock_wait(), transaction.atomic():
                IdempotencyKey.objects.create(scope=scope, key=key, fingerprint=fingerprint)
            return None
        except IntegrityError:
            pass
        first = IdempotencyKey.objects.filter(scope=scope, key=key).first()
        if first is not None and first.created_at >= _expiry():
            return first
        IdempotencyKey.objects.filter(scope=scope, key=key, created_at__lt=_expiry()).delete()
    # Three collisions in a row: other requests keep replacing this expired key.
    raise KeyInProgressError


@contextmanager
def _bounded_lock_wait() -> Iterator[None]:
    """On PostgreSQL, wait at most PARVIS_IDEMPOTENCY_WAIT_SECONDS for a request holding
    the key, then KeyInProgressError. SQLite queues every writer on its busy timeout."""
    if connection.vendor != "postgresql":
        yield
        return
    milliseconds = int(settings.PARVIS_IDEMPOTENCY_WAIT_SECONDS * 1000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{milliseconds}ms"])
    try:
        yield
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
            raise KeyInProgressError from error
        raise
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
