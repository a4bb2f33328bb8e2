"""The agents' full-text search over tickets: reference, subject, description, messages,
the requester's name, email and phone — accents and case ignored, every word required (as
the beginning of a word: "lampad" finds "lampadaire").

``ticket_search(tickets, text)`` narrows a queryset that already applies the agent's
visibility and filters (``tickets.selectors.queue_tickets``): it never widens it.

PostgreSQL (built for 1,000,000 tickets, docs/search.md): GIN indexes on the stored
``to_tsvector('parvis_french', …)`` of the ticket and of each message (``search_vector``,
generated columns: a row filtered costs no stemming), trigram indexes for
parts of a reference, an email or a phone number; the matching messages are looked up first
(their most recent tickets, at most ``MESSAGE_TICKETS``) so that the ticket query is one
bitmap OR of indexes. SQLite (one machine, a few tens of thousands of tickets): the same
words, normalised and stemmed in Python, as substrings of the normalised text.
"""

import re

from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat

from parvis.core.text import normalize, normalize_phone
from parvis.search.analysis import stem, words
from parvis.search.database import SQLITE_SEARCH_TEXT, TEXT_SEARCH_CONFIG, phone_digits
from parvis.tickets.models import TICKET_SEARCH_FIELDS, Message, Ticket

MESSAGE_TICKETS = 2000  # tickets found through their messages, the most recent first
FEW = 1000  # matching tickets read by their ids rather than by walking the queue's order
_PHONE = re.compile(r"^[\d\s.+()-]{6,}$")


def ticket_search(tickets: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """The tickets of ``tickets`` that ``text`` finds (all of them for a blank text)."""
    text = " ".join(text.split())[:200]
    if not text:
        return tickets
    if connections[tickets.db].vendor == "postgresql":
        return _postgres(tickets, text)
    return _sqlite(tickets, text)


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


def _postgres(tickets: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    # Every word, as the beginning of a word ("5001" finds "50010", as SQLite's does). The
    # words are normalised to [a-z0-9]: nothing typed can be read as a tsquery operator.
    prefixes = [word for word in normalize(text).split() if len(word) > 1]
    if not prefixes:
        return tickets.alias(phone_digits=phone_digits()).filter(_identifiers(text))
    query = SearchQuery(
        " & ".join(f"{word}:*" for word in prefixes), config=TEXT_SEARCH_CONFIG, search_type="raw"
    )
    through_messages = list(
        Message.objects.filter(search_vector=query)
        .order_by("-ticket_id")
        .values_list("ticket_id", flat=True)
        .distinct()[:MESSAGE_TICKETS]
    )
    matching = tickets.alias(phone_digits=phone_digits()).filter(
        Q(search_vector=query) | _identifiers(text) | Q(pk__in=through_messages)
    )
    return _few_first(tickets, matching)


def _few_first(tickets: QuerySet[Ticket], matching: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """``matching``, read so that PostgreSQL takes the indexes when few tickets match.

    The queue is ordered by date and paged: for a search, the planner then walks the date
    index and filters each row, which is fast when many rows match and takes a second over
    1,000,000 tickets when a dozen do (it cannot tell which: measured, a part of a phone
    number or of a reference). So the matching ids are first asked for without an order,
    which the planner answers from the GIN and trigram indexes; when there are at most
    ``FEW`` of them, the page is read among them; otherwise matches are dense and the date
    walk finds a page of them at once.
    """
    ids = list(matching.order_by().values_list("pk", flat=True)[: FEW + 1])
    if len(ids) <= FEW:
        return tickets.filter(pk__in=ids)
    return matching


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
