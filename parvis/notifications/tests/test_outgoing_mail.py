"""What a citizen's mail looks like when it leaves: text and HTML, from the service's or the
commune's address, with a reply address that brings the answer back to the ticket."""

import email
import email.policy
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from parvis.catalog.models import Service
from parvis.conftest import run_worker
from parvis.core.actions import commune_update
from parvis.mailin.models import Mailbox
from parvis.notifications.envelope import reply_address
from parvis.notifications.models import Mail
from parvis.tickets.actions import ticket_reply
from parvis.tickets.models import Ticket

pytestmark = pytest.mark.django_db

XSS = "<script>alert('x')</script> & <b>gras</b>"


@pytest.fixture
def commune(django_capture_on_commit_callbacks: Any) -> Any:
    """commune(name=…, email=…, primary_color=…): the commune edited, as committed."""

    def edit(*, name: str = "Ma commune", email: str = "", **more: Any) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            edited = commune_update(name=name, email=email)
            for field, value in more.items():
                setattr(edited, field, value)
            edited.save()

    return edit


def _reply(ticket: Ticket, agent: Any, body: str) -> Any:
    from django.core import mail

    ticket_reply(ticket=ticket, actor=agent, body=body)
    run_worker()
    (sent,) = mail.outbox
    return sent


def _parts(message: EmailMessage) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


def test_a_citizen_mail_goes_as_text_and_html_made_from_the_same_text(
    pothole: Ticket, agent: Any
) -> None:
    body = f"Une équipe passe jeudi. {XSS}\nVoir https://www.ma-commune.fr/travaux?rue=1&n=2."
    sent = _reply(pothole, agent, body)
    message = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)

    assert message.get_content_type() == "multipart/alternative"
    parts = _parts(message)
    assert set(parts) == {"text/plain", "text/html"}
    text, html = parts["text/plain"], parts["text/html"]
    assert text.startswith("— Répondez au-dessus de cette ligne —")
    assert XSS in text
    assert "<script>" not in html and "<b>" not in html, "the agent's text is escaped"
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;gras&lt;/b&gt;" in html
    assert "— Répondez au-dessus de cette ligne —" in html
    assert '<a href="https://www.ma-commune.fr/travaux?rue=1&amp;n=2"' in html
    assert '<html lang="fr">' in html and "Ma commune" in html
    assert "<p>" in html and "<br>" in html, "paragraphs and line breaks kept"
    stored = Mail.objects.get(ticket=pothole, template="reply")
    assert "<p>" not in stored.body and XSS in stored.body, "the record keeps the text"


def test_a_citizen_s_own_text_in_a_mail_is_escaped_in_its_html(
    make_ticket: Any, confirmed_address: Any, mailoutbox: list[Any]
) -> None:
    confirmed_address("camille@example.fr", name="Camille Martin")
    make_ticket("nid-de-poule", subject=f"Trou {XSS}")  # the acknowledgement repeats it
    (ack,) = mailoutbox
    html = _parts(email.message_from_bytes(ack.message().as_bytes(), policy=email.policy.default))[  # type: ignore[arg-type]
        "text/html"
    ]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_unsafe_commune_colour_is_not_written_into_the_html(
    pothole: Ticket, agent: Any, commune: Any
) -> None:
    commune(name="Ma commune", primary_color='red"><i')  # the field holds 7 characters
    html = _parts(_reply(pothole, agent, "Bonjour").message())["text/html"]
    assert "red" not in html and "<i" not in html and "solid #1d4e89" in html


# --- the sender ------------------------------------------------------------------------


def _mailbox(address: str, service_slug: str = "services-techniques", **extra: Any) -> Mailbox:
    return Mailbox.objects.create(
        address=address, service=Service.objects.get(slug=service_slug), **extra
    )


def _envelope(sent: Any) -> tuple[str, str, str, str]:
    headers = sent.extra_headers
    return sent.from_email, headers["Reply-To"], headers["Message-ID"], headers["X-Parvis-Loop"]


def test_a_mail_comes_from_the_address_that_sends_for_the_ticket_s_service(
    pothole: Ticket, agent: Any, commune: Any
) -> None:
    commune(name="Ma commune", email="mairie@ma-commune.fr")
    _mailbox("voirie@services.ma-commune.fr")
    sender, reply_to, message_id, loop = _envelope(_reply(pothole, agent, "Bonjour"))

    assert sender == "Services techniques <voirie@services.ma-commune.fr>"
    assert reply_to == reply_address(pothole.reference, "voirie@services.ma-commune.fr")
    assert reply_to.startswith(f"voirie+t.{pothole.reference}.")
    assert message_id.endswith("@services.ma-commune.fr>")
    assert loop == "services.ma-commune.fr"
    assert Mail.objects.get(template="reply").from_email == sender, "recorded on the mail"


@pytest.mark.parametrize(
    "mailbox",
    [
        {"sends_for_service": False},
        {"is_active": False},
        {"service_slug": "etat-civil"},
        {"address": "ne-pas-repondre@ma-commune.fr"},
    ],
    ids=["does-not-send-for-its-service", "inactive", "another-service", "no-reply"],
)
def test_otherwise_a_mail_comes_from_the_commune_s_address(
    pothole: Ticket, agent: Any, mailbox: dict[str, Any], commune: Any
) -> None:
    commune(name="Mairie de Villeneuve", email="Contact@Ma-Commune.fr")
    _mailbox(mailbox.pop("address", "voirie@ma-commune.fr"), **mailbox)
    sender, reply_to, _message_id, loop = _envelope(_reply(pothole, agent, "Bonjour"))

    assert sender == "Mairie de Villeneuve <contact@ma-commune.fr>"
    assert reply_to == reply_address(pothole.reference, "contact@ma-commune.fr")
    assert loop == "ma-commune.fr"


def test_without_a_commune_address_a_mail_comes_from_default_from_email(
    pothole: Ticket, agent: Any, settings: Any, commune: Any
) -> None:
    settings.DEFAULT_FROM_EMAIL = "Parvis <demarches@ville.example>"
    commune(name="Mairie de Villeneuve", email="")
    sender, reply_to, message_id, loop = _envelope(_reply(pothole, agent, "Bonjour"))

    assert sender == "Mairie de Villeneuve <demarches@ville.example>"
    assert reply_to == reply_address(pothole.reference, "demarches@ville.example")
    assert message_id.endswith("@ville.example>") and loop == "ville.example"


def test_a_commune_s_no_reply_address_is_passed_over(
    pothole: Ticket, agent: Any, settings: Any, commune: Any
) -> None:
    settings.DEFAULT_FROM_EMAIL = "demarches@ville.example"
    commune(name="Mairie de Villeneuve", email="no-reply@ville.example")
    sender, _reply_to, _message_id, _loop = _envelope(_reply(pothole, agent, "Bonjour"))
    assert parseaddr(sender)[1] == "demarches@ville.example"


def test_pressing_reply_on_a_mail_from_the_service_reaches_the_ticket(
    pothole: Ticket, agent: Any
) -> None:
    """The whole loop through the service's address: the answer joins the ticket."""
    from parvis.mailin.actions import mail_process, mail_receive
    from parvis.mailin.models import InboundMessage
    from parvis.tickets.models import Message

    _mailbox("voirie@ma-commune.fr")
    sent = _reply(pothole, agent, "Pouvez-vous préciser le numéro ?")
    answer = (
        f"From: Camille Martin <camille@example.fr>\r\nTo: {sent.extra_headers['Reply-To']}\r\n"
        f"Subject: Re: {sent.subject}\r\nMessage-ID: <answer@example.fr>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nC'est au 12.\r\n"
    ).encode()
    inbound, _new = mail_receive(raw=answer, source=InboundMessage.Source.FILE)
    inbound = mail_process(inbound)

    assert inbound.outcome == InboundMessage.Outcome.APPENDED and inbound.ticket == pothole
    assert Message.objects.filter(ticket=pothole, kind="citizen").get().body == "C'est au 12."


# --- a real SMTP conversation ------------------------------------------------------------


class _Sink:
    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        self.arrived.set()
        return "250 OK"


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[_Sink]:
    """A real SMTP server on loopback, and the mailer pointed at it."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    sink = _Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    yield sink
    controller.stop()


def test_a_mail_sent_by_smtp_arrives_as_text_and_html_from_the_service(
    pothole: Ticket, agent: Any, smtp_server: _Sink
) -> None:
    _mailbox("voirie@ma-commune.fr")
    ticket_reply(ticket=pothole, actor=agent, body=f"Réponse {XSS}")
    run_worker()

    assert smtp_server.arrived.wait(10)
    (mail_from, recipients, raw) = smtp_server.received[-1]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert mail_from == "voirie@ma-commune.fr" and recipients == ["camille@example.fr"]
    assert str(message["From"]) == "Services techniques <voirie@ma-commune.fr>"
    assert str(message["Reply-To"]) == reply_address(pothole.reference, "voirie@ma-commune.fr")
    assert message.get_content_type() == "multipart/alternative"
    parts = _parts(message)  # type: ignore[arg-type]
    assert f"Réponse {XSS}" in parts["text/plain"]
    assert "&lt;script&gt;" in parts["text/html"] and "<script>" not in parts["text/html"]
    assert Mail.objects.get(template="reply").sent_at is not None
