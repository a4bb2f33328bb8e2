"""The agents' full-text search over tickets: reference, subject, description, messages,
the requester's name, email and phone — accents and case ignored, every word required (as
the beginning of a word: "lampad" finds "lampadaire").

``ticket_search(tickets, text, indexed_order=…)`` narrows a queryset that already applies
the agent's visibility and filters (``tickets.selectors.queue_tickets``): it never widens it.
It answers a ``TicketSearch``: the tickets, and on PostgreSQL how many match (up to ``FEW``),
which the queue shows instead of counting them again.

PostgreSQL (built for 1,000,000 tickets, docs/search.md): GIN indexes on the stored
``to_tsvector('parvis_french', …)`` of the ticket and of each message (``search_vector``,
generated columns: a row filtered costs no stemming), trigram indexes for
parts of a reference, an email or a phone number; the matching messages are looked up first
(their most recent tickets, at most ``MESSAGE_TICKETS``) so that the ticket query is one
bitmap OR of indexes.

Which plan, PostgreSQL cannot tell (its estimate for two words of a subject was 1,422 tickets
for 23,561): so the matching ids are first asked for without an order, from the GIN and
trigram indexes, at most ``FEW + 1``. Few: the page is read among them (a dozen matches
found by walking the date index took a second over 1,000,000 tickets). Many: matches are
dense, and the page is read by walking the caller's order (``indexed_order``) with each row's
stored vector checked — ``ts_match_vq``, the ``@@`` that the planner cannot answer from the
GIN index, or it reads and sorts every match again (0.4 s for 23,561; the walk 2–7 ms).
Measured in docs/benchmarks.md (Session 7).

SQLite (one machine, a few tens of thousands of tickets): the same words, normalised and
stemmed in Python, as substrings of the normalised text; nothing counted on the way.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat

from parvis.core.text import normalize, normalize_phone
from parvis.search.analysis import stem, words
from parvis.search.database import SQLITE_SEARCH_TEXT, TEXT_SEARCH_CONFIG, phone_digits
from parvis.tickets.models import TICKET_SEARCH_FIELDS, Message, Ticket

MESSAGE_TICKETS = 2000  # tickets found through their messages, the most recent first
FEW = 2000  # matching tickets read by their ids rather than by walking the queue's order
_PHONE = re.compile(r"^[\d\s.+()-]{6,}$")


@dataclass(frozen=True)
class TicketSearch:
    """What a search found: the tickets, and how many when it counted them on the way
    (exact up to ``FEW``, ``FEW + 1`` for more; None: not counted)."""

    tickets: QuerySet[Ticket]
    count: int | None = None


def ticket_search(
    tickets: QuerySet[Ticket], text: str, *, indexed_order: bool = False
) -> TicketSearch:
    """The tickets of ``tickets`` that ``text`` finds (all of them for a blank text).

    ``indexed_order``: the caller orders them by a column an index keeps (a date, the
    reference), so that, when many tickets match, walking that index finds a page at once.
    """
    text = " ".join(text.split())[:200]
    if not text:
        return TicketSearch(tickets)
    if connections[tickets.db].vendor == "postgresql":
        return _postgres(tickets, text, indexed_order)
    return TicketSearch(_sqlite(tickets, text))


def _identifiers(text: str) -> Q:
    """A reference, an email or a phone number, whole or in part."""
    if len(text) < 3 or (" " in text.strip() and not _PHONE.match(text)):
        return Q(pk__in=[])
    found = Q(reference__icontains=text) | Q(requester_email__icontains=text)
    digits = normalize_phone(text)
    if _PHONE.match(text) and len(digits) >= 4:
        # Without the leading 0, a national number is found in its +33 form too.
        national = digits[1:] if digits.startswith("0") else digits
        found |= Q(phone_digits__contains=national)
    return found


def _postgres(tickets: QuerySet[Ticket], text: str, indexed_order: bool) -> TicketSearch:
    # Every word, as the beginning of a word ("5001" finds "50010", as SQLite's does). The
    # words are normalised to [a-z0-9]: nothing typed can be read as a tsquery operator.
    prefixes = [word for word in normalize(text).split() if len(word) > 1]
    if not prefixes:
        return TicketSearch(tickets.alias(phone_digits=phone_digits()).filter(_identifiers(text)))
    query = SearchQuery(
        " & ".join(f"{word}:*" for word in prefixes), config=TEXT_SEARCH_CONFIG, search_type="raw"
    )
    through_messages = list(
        Message.objects.filter(search_vector=query)
        .order_by("-ticket_id")
        .values_list("ticket_id", flat=True)
        .distinct()[:MESSAGE_TICKETS]
    )
    others = _identifiers(text) | Q(pk__in=through_messages)
    matching = tickets.alias(phone_digits=phone_digits())
    if not _dense(matching, prefixes):
        ids = list(
            matching.filter(Q(search_vector=query) | others)
            .order_by()
            .values_list("pk", flat=True)[: FEW + 1]
        )
        if len(ids) <= FEW:
            return TicketSearch(tickets.filter(pk__in=ids), len(ids))
    # Many: the page is read by walking the caller's order, each row's stored vector checked
    # (``ts_match_vq`` is ``@@`` that the planner cannot answer from the GIN index).
    many = Q(_matches(query)) if indexed_order else Q(search_vector=query)
    return TicketSearch(matching.filter(many | others), FEW + 1)


def _dense(matching: QuerySet[Ticket], prefixes: list[str]) -> bool:
    """More than ``FEW`` of ``matching`` hold the typed words themselves (not only as
    beginnings of words): then more than ``FEW`` match.

    Those words are read from the GIN index ten times faster than word beginnings (20 ms
    against 200 ms for 46,000 tickets, measured), and PostgreSQL estimates them well. Read
    among all tickets, then kept if visible: with the visibility filter, PostgreSQL ANDed a
    bitmap of the whole service index (200 ms for an agent of every service).
    """
    words = SearchQuery(" & ".join(prefixes), config=TEXT_SEARCH_CONFIG, search_type="raw")
    some = Ticket.objects.filter(search_vector=words).order_by().values("pk")[: FEW + 1]
    return matching.filter(pk__in=some).order_by().count() > FEW


def _matches(query: SearchQuery) -> Func:
    return Func(F("search_vector"), query, function="ts_match_vq", output_field=BooleanField())


def _normalised(*fields: str) -> Func:
    if len(fields) == 1:
        return Func(F(fields[0]), function=SQLITE_SEARCH_TEXT, output_field=TextField())
    parts: list[F | Value] = []
    for field in fields:
        parts += [F(field), Value(" ")]
    text = Concat(*parts[:-1], output_field=TextField())
    return Func(text, function=SQLITE_SEARCH_TEXT, output_field=TextField())


def _sqlite(tickets: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    stems = [stem(word) for word in words(text)]
    if not stems:
        return tickets.alias(phone_digits=phone_digits()).filter(_identifiers(text))
    in_ticket = Q()
    in_message = Q()
    for word_stem in stems:
        in_ticket &= Q(search_text__contains=f" {word_stem}")
        in_message &= Q(search_text__contains=f" {word_stem}")
    through_messages = list(
        Message.objects.alias(search_text=_normalised("body"))
        .filter(in_message)
        .order_by("-ticket_id")
        .values_list("ticket_id", flat=True)
        .distinct()[:MESSAGE_TICKETS]
    )
    tickets = tickets.alias(phone_digits=phone_digits())
    return tickets.alias(search_text=_normalised(*TICKET_SEARCH_FIELDS)).filter(
        in_ticket | _identifiers(text) | Q(pk__in=through_messages)
    )
