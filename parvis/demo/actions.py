"""The demo commune: agents, requesters and ~200 realistic tickets with their history.

Tickets are created through the real actions (routing, references, events, emails), then
moved back in time so that the queues look like a few weeks of a real mairie's work.
"""

import datetime
import random
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.actions import agent_create
from parvis.accounts.models import Membership, User
from parvis.bookings.actions import resource_load_defaults
from parvis.catalog.actions import catalog_load_defaults
from parvis.catalog.models import FormField, RequestType, Service
from parvis.core.actions import commune_update
from parvis.core.text import unaccent
from parvis.demo.data import DemoAgent, Scenario, demo_corpus
from parvis.demo.data import Location as ScenarioLocation
from parvis.intake.pipeline import intake_submit
from parvis.knowledge.defaults import knowledge_load_defaults
from parvis.mailin.actions import mail_process, mail_receive
from parvis.mailin.models import InboundMessage
from parvis.notifications.envelope import sender_address
from parvis.notifications.models import Mail
from parvis.routing.actions import classifier_retrain
from parvis.routing.models import ClassifierVersion
from parvis.sla.actions import deadlines_refresh_open
from parvis.tickets import actions as ticket_actions
from parvis.tickets.models import Channel, Event, Message, Priority, Status, Ticket
from parvis.tickets.outbox import deliveries_drop_pending
from parvis.tickets.structures import IncomingRequest, Location, RequesterData
from parvis.workflows.actions import workflows_load_defaults

DEMO_PASSWORD = "parvis-demo"  # noqa: S105 - published demo password, demo data only
ADMIN_USERNAME = "admin"
# What the demo's citizens and agents write: content, like the corpus, not interface.
_DEMO_FOLLOW_UP = "Bonjour, avez-vous pu avancer sur ma demande ? Merci."  # i18n: ignore
_DEMO_REPLY = "Bonjour, votre demande est en cours de traitement."  # i18n: ignore


@dataclass(frozen=True)
class DemoLogin:
    username: str
    service: str


def demo_logins() -> list[DemoLogin]:
    logins = [DemoLogin(ADMIN_USERNAME, _("administrateur (tous les services non confidentiels)"))]
    for service in Service.objects.order_by("position"):
        logins.append(DemoLogin(f"agent.{service.slug}", service.name))
    return logins


def demo_load(*, ticket_count: int = 200, seed: int = 2026) -> int:
    """Load the demo commune. Idempotent: returns the number of tickets created (0 if present)."""
    catalog_load_defaults()
    knowledge_load_defaults()
    resource_load_defaults()  # its rooms: the booking scenarios ask for their slots
    workflows_load_defaults()
    commune_update(
        name=demo_corpus().commune_name,
        email="mairie@saint-aubin-sur-loire.example",
        phone="02 47 00 00 00",
        website="https://saint-aubin-sur-loire.example",
    )
    agents = _ensure_agents()
    if Ticket.objects.exists():
        return 0
    if not ClassifierVersion.objects.exists():  # the demo's mails are routed as they will be
        classifier_retrain()
    rng = random.Random(seed)
    types = list(
        RequestType.objects.filter(is_active=True)
        .select_related("service")
        .prefetch_related("fields")
    )
    now = timezone.now()
    with transaction.atomic():  # one transaction: seconds instead of a minute on SQLite
        for index in range(ticket_count):
            request_type = types[index % len(types)]
            created_at = now - datetime.timedelta(minutes=rng.randint(10, 60 * 24 * 45))
            _make_ticket(rng, request_type, agents.get(request_type.service.slug), created_at, now)
        _make_free_text_tickets(rng, now)
    # The demo's own acknowledgements would drown the mail a newcomer triggers next.
    deliveries_drop_pending()
    deadlines_refresh_open()  # their due dates, which the dropped deliveries would have set
    Mail.objects.all().delete()
    return Ticket.objects.count()


def _ensure_agents() -> dict[str, User]:
    agents: dict[str, User] = {}
    services = list(Service.objects.order_by("position"))
    for service in services:
        username = f"agent.{service.slug}"
        user = User.objects.filter(username=username).first()
        if user is None:
            name = demo_corpus().agent_for(service.slug) or DemoAgent(
                service.slug, "Agent", service.name
            )
            user = agent_create(
                username=username,
                first_name=name.first_name,
                last_name=name.last_name,
                email=f"{username}@saint-aubin-sur-loire.example",
                password=DEMO_PASSWORD,
                services=[service],
                role=Membership.Role.MANAGER,
            )
        agents[service.slug] = user
    if not User.objects.filter(username=ADMIN_USERNAME).exists():
        User.objects.create_superuser(
            username=ADMIN_USERNAME,
            email="admin@saint-aubin-sur-loire.example",
            password=DEMO_PASSWORD,
            first_name="Administratrice",
            last_name="Parvis",
        )
        admin = User.objects.get(username=ADMIN_USERNAME)
        Membership.objects.bulk_create(
            Membership(user=admin, service=s) for s in services if s.slug != "ccas"
        )
    # Published password: no second factor asked (accounts.selectors.must_use_two_factor).
    User.objects.filter(
        username__in=[ADMIN_USERNAME, *(a.username for a in agents.values())]
    ).update(is_demo=True)
    return agents


def _requester(rng: random.Random, association: bool = False) -> RequesterData:
    corpus = demo_corpus()
    first, last = rng.choice(corpus.first_names), rng.choice(corpus.last_names)
    email = unaccent(f"{first}.{last}@courriel.example".lower().replace(" ", "-"))
    phone = "06 " + " ".join(str(rng.randint(10, 99)) for _ in range(4))
    if association:
        name = rng.choice(corpus.associations)
        return RequesterData(
            name,
            email=f"contact@{name.lower().replace(' ', '-')[:20]}.example",
            is_association=True,
        )
    if rng.random() < 0.15:
        return RequesterData(f"{first} {last}", phone=phone)
    return RequesterData(f"{first} {last}", email=email, phone=phone if rng.random() < 0.5 else "")


def _scenario_values(request_type: RequestType, scenario: Scenario) -> dict[str, object]:
    # The démarche in the database may have been edited since the corpus was written.
    kinds = {f.key: f.kind for f in request_type.fields.all()}
    values: dict[str, object] = {}
    for key, value in scenario.fields:
        if key not in kinds or kinds[key] == FormField.Kind.FILE:
            continue
        values[key] = value.address if isinstance(value, ScenarioLocation) else value
    return values


def _location(scenario: Scenario) -> Location | None:
    for _key, value in scenario.fields:
        if isinstance(value, ScenarioLocation):
            return Location(address=value.address, lat=value.lat, lon=value.lon)
    return None


def _make_ticket(
    rng: random.Random,
    request_type: RequestType,
    agent: User | None,
    created_at: datetime.datetime,
    now: datetime.datetime,
) -> None:
    scenarios = demo_corpus().scenarios_for(request_type.slug) or (
        Scenario(request_type.slug, request_type.name, request_type.description, (), "", ""),
    )
    scenario = rng.choice(scenarios)
    # A démarche's tickets come by its form, the phone or a letter; the demo's mails come
    # through the email channel itself (``_make_free_text_tickets``).
    channel = rng.choices([Channel.WEB, Channel.PHONE, Channel.POSTAL], weights=[65, 28, 7])[0]
    # Only an association asks for a subsidy: its name is the requester's, as on the portal.
    association = request_type.service.slug == "vie-associative" and (
        rng.random() < 0.7 or request_type.slug == "demande-subvention"
    )
    if request_type.visibility == RequestType.Visibility.INTERNAL:
        channel = Channel.WEB
    incoming = IncomingRequest(
        channel=channel,
        requester=_requester(rng, association),
        subject=scenario.subject,
        description=scenario.description,
        request_type=request_type,
        field_values=_scenario_values(request_type, scenario),
        location=_location(scenario),
        priority=rng.choices(list(Priority), weights=[10, 70, 15, 5])[0],
    )
    submitted = intake_submit(
        incoming=incoming, actor=None, rate_limited=False, append_repeats=False
    )
    ticket = submitted.ticket
    age_days = (now - created_at).days
    if agent is not None:
        _play_history(rng, ticket, agent, scenario, age_days)
    _backdate(ticket, created_at, now)


def _play_history(
    rng: random.Random, ticket: Ticket, agent: User, scenario: Scenario, age_days: int
) -> None:
    """Older tickets have moved further: assigned, noted, answered, resolved, closed."""
    stage = rng.random() * min(1.0, age_days / 20 + 0.2)
    if stage < 0.15:
        return
    ticket_actions.ticket_assign(ticket=ticket, actor=agent, assignee=agent)
    if rng.random() < 0.4 and scenario.note:
        ticket_actions.ticket_add_note(ticket=ticket, actor=agent, body=scenario.note)
    if stage < 0.3:
        ticket_actions.ticket_change_status(ticket=ticket, actor=agent, status=Status.IN_PROGRESS)
        if rng.random() < 0.3:
            ticket_actions.ticket_add_citizen_message(
                ticket=ticket,
                body=_DEMO_FOLLOW_UP,
                is_follow_up=True,
            )
        return
    reply = scenario.reply or _DEMO_REPLY
    ticket_actions.ticket_reply(
        ticket=ticket, actor=agent, body=reply, wait_for_citizen=stage < 0.45
    )
    if stage < 0.45:
        return
    ticket_actions.ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    if stage > 0.85:
        ticket_actions.ticket_change_status(ticket=ticket, actor=agent, status=Status.CLOSED)


def _make_free_text_tickets(rng: random.Random, now: datetime.datetime) -> None:
    """Mails without a démarche, through the email channel as any mail: stored, read, routed
    by the classifier or left in the triage queue with its suggestions, acknowledged."""
    for number, email in enumerate(demo_corpus().free_text_emails):
        raw = _demo_mail(_requester(rng), email.subject, email.body, number)
        inbound, _new = mail_receive(raw=raw, source=InboundMessage.Source.FILE)
        ticket = mail_process(inbound).ticket
        if ticket is not None:
            _backdate(ticket, now - datetime.timedelta(hours=rng.randint(1, 72)), now)


def _demo_mail(requester: RequesterData, subject: str, body: str, number: int) -> bytes:
    """The bytes of a citizen's mail to the commune, as their mail client would send them."""
    mail = EmailMessage()
    mail["From"] = formataddr((requester.name, requester.email))
    mail["To"] = sender_address()
    mail["Subject"] = subject
    mail["Message-ID"] = make_msgid(idstring=f"demo{number}", domain="courriel.example")
    mail["Date"] = formatdate(localtime=True)
    mail.set_content(body)
    return mail.as_bytes()


def _backdate(ticket: Ticket, created_at: datetime.datetime, now: datetime.datetime) -> None:
    """Spread the ticket's history between created_at and now, keeping its order."""
    events = list(ticket.events.order_by("pk"))
    span = (now - created_at) * 0.8
    step = span / max(len(events), 1)
    for position, event in enumerate(events):
        moment = created_at + step * position
        Event.objects.filter(pk=event.pk).update(created_at=moment)
        if event.message_id:
            Message.objects.filter(pk=event.message_id).update(created_at=moment)
    last = created_at + step * max(len(events) - 1, 0)
    resolved_at = last if ticket.status in (Status.RESOLVED, Status.CLOSED) else None
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=created_at, updated_at=last, resolved_at=resolved_at
    )
