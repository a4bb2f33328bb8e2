"""A good reply becomes a draft article: its text, the requester's personal data taken out.

What is taken out before anything is written: the requester's name (whole, and each part of
it), their email address and phone number, the ticket's reference and tracking links, and
any other email address or French phone number in the text. The article is a draft of the
agent's service, for them to rewrite; it is never published by this action.
"""

import re
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from parvis.accounts.models import User
from parvis.catalog.models import Service
from parvis.knowledge.actions import ArticleContent, article_create
from parvis.knowledge.models import TITLE_LENGTH, Article, Category
from parvis.tickets.models import Message, Ticket
from parvis.tickets.selectors import member_service_ids

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78
_PHONE = re.compile(r"(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}")
_TRACKING_LINK = re.compile(r"\S*/suivi/\S+")


def without_personal_data(text: str, ticket: Ticket) -> str:
    """``text`` with the requester's name, email, phone, the reference and links replaced."""
    text = _TRACKING_LINK.sub(_("[lien de suivi]"), text)
    if ticket.reference:
        text = re.sub(re.escape(ticket.reference), _("[numéro de demande]"), text, flags=re.I)
    text = _EMAIL.sub(_("[adresse électronique]"), text)
    text = _PHONE.sub(_("[téléphone]"), text)
    name = " ".join(ticket.requester_name.split())
    parts = [name] + [part for part in re.split(r"[\s-]+", name) if len(part) > 1]
    for part in dict.fromkeys(p for p in parts if p):
        text = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", _("[nom]"), text, flags=re.I)
    return re.sub(r"(?:\[nom\][\s-]*){2,}", _("[nom]") + " ", text)


def _service_id(actor: User, ticket: Ticket) -> int:
    own = member_service_ids(actor)
    if ticket.service_id in own or (actor.is_superuser and not own):
        return ticket.service_id
    if not own:
        raise PermissionDenied(_("Seuls les agents d'un service peuvent écrire une fiche."))
    return own[0]


def _category(ticket: Ticket) -> Category:
    linked = (
        Category.objects.filter(articles__request_types=ticket.request_type_id).first()
        if ticket.request_type_id
        else None
    )
    found = linked or Category.objects.order_by("position", "name").first()
    if found is None:
        raise PermissionDenied(
            _("La base de connaissances n'a encore aucune catégorie : créez-en une d'abord.")
        )
    return found


@transaction.atomic
def article_draft_from_reply(*, actor: User, message: Message) -> Article:
    """A draft article of the agent's service from a reply of a ticket they may read."""
    ticket = message.ticket
    if message.kind != Message.Kind.REPLY:
        raise ValueError(message.kind)
    service = Service.objects.get(pk=_service_id(actor, ticket))
    title = without_personal_data(ticket.subject, ticket)[:TITLE_LENGTH] or _("Réponse type")
    content = ArticleContent(
        title=title,
        summary="",
        body=without_personal_data(message.body, ticket),
        category=_category(ticket),
        service=service,
        request_types=(ticket.request_type,) if ticket.request_type else (),
    )
    slug = f"{slugify(title)[:60] or 'fiche'}-{secrets.token_hex(3)}"
    return article_create(actor=actor, slug=slug, content=content, state=Article.State.DRAFT)
