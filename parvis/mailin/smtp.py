"""``parvis mail serve``: the SMTP (or LMTP) endpoint the mairie's mail server hands mail to.

The message is stored (``mail_receive``, committed) before the endpoint answers ``250``: a
message the peer was told is accepted is never lost, and the peer keeps (and retries) one
it was not told so. Processing is the worker's (``tasks``). Only the commune's domains are
accepted as recipients (``PARVIS_MAIL_DOMAINS``): Parvis never relays, and mail for other
domains is refused at ``RCPT`` instead of becoming tickets.
"""

import asyncio
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections

from parvis.mailin.actions import mail_receive
from parvis.mailin.models import InboundMessage
from parvis.mailin.tasks import process_inbound_soon


def accepted_domains() -> set[str]:
    return {domain.lower() for domain in settings.PARVIS_MAIL_DOMAINS}


class InboundHandler:
    """aiosmtpd's handler: recipients checked at RCPT, the message stored at DATA."""

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        domain = address.rpartition("@")[2].lower()
        if domain not in accepted_domains():
            return "550 5.1.2 Relay access denied: this server receives mail for its commune only"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        data = raw if isinstance(raw, bytes) else str(raw or "").encode("utf-8", "replace")
        recipients = list(envelope.rcpt_tos)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, _store, data, recipients)
        return "250 2.0.0 Message stored"


def _store(data: bytes, recipients: list[str]) -> None:
    close_old_connections()
    try:
        _inbound, new = mail_receive(
            raw=data, source=InboundMessage.Source.SMTP, recipient=",".join(recipients)
        )
        if new:  # stored and committed: the worker may process it now
            process_inbound_soon()
    finally:
        close_old_connections()


class InboundController(Controller):
    """The endpoint, SMTP or LMTP, on its own thread."""

    def __init__(self, *, host: str, port: int, lmtp: bool = False) -> None:
        self.lmtp = lmtp
        super().__init__(
            InboundHandler(),
            hostname=host,
            port=port,
            data_size_limit=settings.PARVIS_MAIL_MAX_BYTES,
        )

    def factory(self) -> SMTP:
        server_class = LMTP if self.lmtp else SMTP
        return server_class(self.handler, **self.SMTP_kwargs)
