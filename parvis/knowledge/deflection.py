"""Deflection: articles suggested while a citizen writes a request, and what came of them.

Each form shown draws a random session id (``deflection_session_new``), signed so that a
made-up one is refused; the form carries it, the suggestions and the article pages opened
from them send it back. What is recorded is a fact per step (``Deflection``): shown, opened,
answered (« Cette fiche répond à ma question »), submitted. Nothing else: no address, no text
typed, no account. A request sent from a form after its suggestions is not a request avoided
(``deflection_counts``).
"""

import secrets

from django.core import signing
from django.db import IntegrityError, transaction

from parvis.knowledge.models import Article, Deflection

SALT = "parvis.knowledge.deflection"
SESSION_LENGTH = 22  # secrets.token_urlsafe(16)


def deflection_session_new() -> str:
    """A signed random id for one display of a request form."""
    return signing.Signer(salt=SALT).sign(secrets.token_urlsafe(16))


def deflection_session_read(signed: str) -> str | None:
    """The random id of a signed session, or None if it was not one of ours."""
    try:
        session = signing.Signer(salt=SALT).unsign(signed[:200])
    except signing.BadSignature:
        return None
    return session if len(session) == SESSION_LENGTH else None


def _record(session: str, kind: str, article_id: int | None, request_type_id: int | None) -> None:
    # A savepoint of its own: a second showing of the same article is a conflict to ignore,
    # not an error to break the caller's transaction.
    try:
        with transaction.atomic():
            Deflection.objects.create(
                session=session, kind=kind, article_id=article_id, request_type_id=request_type_id
            )
    except IntegrityError:
        pass


def deflection_record_shown(
    *, session: str, request_type_id: int | None, article_ids: list[int]
) -> None:
    """These articles were suggested on this form (each counted once per form)."""
    known = set(
        Deflection.objects.filter(
            session=session, kind=Deflection.Kind.SHOWN, article_id__in=article_ids
        ).values_list("article_id", flat=True)
    )
    fresh = [pk for pk in article_ids if pk not in known]
    if fresh:
        Deflection.objects.bulk_create(
            [
                Deflection(
                    session=session,
                    kind=Deflection.Kind.SHOWN,
                    article_id=pk,
                    request_type_id=request_type_id,
                )
                for pk in fresh
            ],
            ignore_conflicts=True,
        )


def _shown(session: str, article: Article) -> Deflection | None:
    return Deflection.objects.filter(
        session=session, kind=Deflection.Kind.SHOWN, article=article
    ).first()


def deflection_record_opened(*, session: str, article: Article) -> bool:
    """The citizen opened an article suggested on their form; False if it was not suggested."""
    shown = _shown(session, article)
    if shown is None:
        return False
    _record(session, Deflection.Kind.OPENED, article.pk, shown.request_type_id)
    return True


def deflection_record_answered(*, session: str, article: Article) -> bool:
    """« Cette fiche répond à ma question »: the citizen means to leave without a request."""
    shown = _shown(session, article)
    if shown is None:
        return False
    _record(session, Deflection.Kind.ANSWERED, article.pk, shown.request_type_id)
    return True


def deflection_record_submitted(*, session: str, request_type_id: int | None) -> None:
    """The form was sent: if it had shown suggestions, that request was not avoided."""
    if not Deflection.objects.filter(session=session, kind=Deflection.Kind.SHOWN).exists():
        return
    if Deflection.objects.filter(session=session, kind=Deflection.Kind.SUBMITTED).exists():
        return
    _record(session, Deflection.Kind.SUBMITTED, None, request_type_id)
