"""Received mail in the admin: the quarantine read, retried or set aside by an administrator.

The back office's quarantine page (``/agents/quarantaine/``) does the same and more (assign
to a ticket). Both call the same actions, which record each intervention (who, when, what:
``InboundHandling``), listed here under "Interventions".
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from parvis.mailin.actions import inbound_discard, inbound_retry
from parvis.mailin.models import InboundMessage, Mailbox
from parvis.mailin.parsing import parse
from parvis.mailin.quotes import visible_text

SHOWN: tuple[str, ...] = (
    "received_at",
    "source",
    "recipient",
    "message_id",
    "state",
    "outcome",
    "ticket",
    "error",
    "refused_files",
    "attempts",
    "processed_at",
    "handlings",
    "sender",
    "subject",
    "text",
)


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin[InboundMessage]):
    list_display = ["received_at", "recipient", "message_id", "state", "outcome", "ticket"]
    list_filter = ["state", "outcome", "source"]
    search_fields = ["message_id", "recipient"]
    fields = SHOWN
    readonly_fields = SHOWN
    actions = ["retry", "discard"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InboundMessage]:
        # Messages of confidential tickets are read on their ticket, logged (ADR 0002).
        return super().get_queryset(request).exclude(ticket__is_confidential=True)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # nothing received is lost: a message is set aside, not deleted

    @admin.display(description=_("interventions"))
    def handlings(self, inbound: InboundMessage) -> SafeString:
        rows = inbound.handlings.select_related("actor").order_by("created_at", "pk")
        return format_html_join(
            "\n",
            "<p>{} — {} : {}</p>",
            ((f"{h.created_at:%d/%m/%Y %H:%M}", h.actor, h.get_action_display()) for h in rows),
        )

    @admin.display(description=_("expéditeur"))
    def sender(self, inbound: InboundMessage) -> str:
        return parse(bytes(inbound.raw)).sender

    @admin.display(description=_("objet"))
    def subject(self, inbound: InboundMessage) -> str:
        return parse(bytes(inbound.raw)).subject

    @admin.display(description=_("texte"))
    def text(self, inbound: InboundMessage) -> str:
        return visible_text(parse(bytes(inbound.raw)).text)

    @admin.action(description=_("Réessayer le traitement"))
    def retry(self, request: HttpRequest, queryset: QuerySet[InboundMessage]) -> None:
        done = 0
        for inbound in queryset.filter(state=InboundMessage.State.QUARANTINED):
            after = inbound_retry(inbound, actor=request.user)  # type: ignore[arg-type]
            done += after.state == InboundMessage.State.PROCESSED
        messages.info(
            request,
            ngettext("%(count)d message traité.", "%(count)d messages traités.", done)
            % {"count": done},
        )

    @admin.action(description=_("Écarter (pourriel, message sans objet)"))
    def discard(self, request: HttpRequest, queryset: QuerySet[InboundMessage]) -> None:
        for inbound in queryset.filter(state=InboundMessage.State.QUARANTINED):
            inbound_discard(inbound, actor=request.user)  # type: ignore[arg-type]


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin[Mailbox]):
    list_display = ["address", "service", "request_type", "imap_host", "is_active"]
    list_filter = ["is_active", "service"]
    search_fields = ["address"]
    fieldsets = [
        (
            None,
            {"fields": ["address", "service", "request_type", "sends_for_service", "is_active"]},
        ),
        (
            _("Relève IMAP (facultatif)"),
            {
                "fields": [
                    "imap_host",
                    "imap_port",
                    "imap_security",
                    "imap_user",
                    "imap_password_variable",
                    "imap_folder",
                    "imap_done_folder",
                ],
                "description": _(
                    "Sans serveur IMAP, le courrier de cette adresse arrive par le point SMTP/LMTP "
                    "(parvis mail serve), où le serveur de messagerie de la mairie le remet."
                ),
            },
        ),
    ]
