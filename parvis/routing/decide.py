"""Routing v1: démarche → its service; the mairie's address written to → its service; free
text → keyword rules; else the triage queue."""

import enum
from dataclasses import dataclass, field

from parvis.catalog.models import RequestType, Service
from parvis.core.cache_versions import CATALOGUE, memo
from parvis.core.snapshots import Row
from parvis.core.text import normalize
from parvis.routing.models import KeywordRule

TRIAGE_SERVICE_SLUG = "accueil"


class RoutingReason(enum.StrEnum):
    """Why a new ticket went to its service (stored in its ``routed`` event)."""

    REQUEST_TYPE = "request_type"
    MAILBOX = "mailbox"
    KEYWORD = "keyword"
    TRIAGE = "triage"


@dataclass(frozen=True)
class RoutingDecision:
    """The service chosen, why (a ``RoutingReason``) and the facts behind it (ids, keyword)."""

    service: Service
    reason: RoutingReason
    params: dict[str, object] = field(default_factory=dict)


def route(
    *,
    request_type: RequestType | None,
    text: str,
    service: Service | None = None,
    mailbox: str = "",
) -> RoutingDecision:
    """Choose the service for a new ticket, and say why (shown in the timeline).

    ``service`` is the default service of the mairie's address ``mailbox`` a mail was
    written to (``contact@`` has none, ``etat-civil@`` its service).
    """
    if request_type is not None:
        return RoutingDecision(
            request_type.service, RoutingReason.REQUEST_TYPE, {"request_type_id": request_type.pk}
        )
    if service is not None:
        return RoutingDecision(service, RoutingReason.MAILBOX, {"mailbox": mailbox})
    haystack = f" {normalize(text)} "
    rules = memo(CATALOGUE, "routing-rules", _routing_rules)
    for rule_id, service, keywords in rules.keyword_rules:
        for keyword, needle in keywords:
            if f" {needle} " in haystack:
                return RoutingDecision(
                    service.instance(),
                    RoutingReason.KEYWORD,
                    {"keyword": keyword, "rule_id": rule_id},
                )
    return RoutingDecision(rules.triage.instance(), RoutingReason.TRIAGE)


@dataclass(frozen=True, slots=True)
class _Rules:
    """The rules as a process keeps them (immutable): [(rule id, service, [(keyword, needle)])],
    and the triage service."""

    keyword_rules: tuple[tuple[int, Row[Service], tuple[tuple[str, str], ...]], ...]
    triage: Row[Service]


def _routing_rules() -> _Rules:
    """The active rules in order, their keywords normalised once; the triage service."""
    keyword_rules = []
    for rule in KeywordRule.objects.filter(is_active=True).select_related("service"):
        keywords = [(keyword.strip(), normalize(keyword)) for keyword in rule.keywords.split(",")]
        keyword_rules.append(
            (
                rule.pk,
                Row.of(rule.service),
                tuple((k, needle) for k, needle in keywords if needle),
            )
        )
    triage = Service.objects.get(slug=TRIAGE_SERVICE_SLUG)
    return _Rules(tuple(keyword_rules), Row.of(triage))
