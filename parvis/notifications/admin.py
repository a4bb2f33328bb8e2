"""The mails in the admin (read-only), with the visibility of their tickets.

Mails of confidential tickets stay out of the admin, as those tickets do (ADR 0002): their
service reads them on the outbox page, logged. Tracking links are masked.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from parvis.accounts.models import User
from parvis.notifications.models import Mail
from parvis.notifications.selectors import mails_visible_to
from parvis.privacy.actions import access_log_record
from parvis.privacy.models import AccessContext

SHOWN: tuple[str, ...] = (
    "created_at",
    "audience",
    "from_email",
    "to",
    "subject",
    "text",
    "template",
    "message_id",
    "sent_at",
    "bounced_at",
    "send_attempts",
    "next_attempt_at",
    "last_error",
)


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin[Mail]):
    list_display = ["created_at", "audience", "to", "subject", "sent_at", "bounced_at"]
    list_filter = ["audience"]
    search_fields = ["to", "subject"]
    fields = SHOWN
    readonly_fields = SHOWN

    def get_queryset(self, request: HttpRequest) -> QuerySet[Mail]:
        assert isinstance(request.user, User)
        return mails_visible_to(request.user).exclude(ticket__is_confidential=True)

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Mail | None:
        mail = super().get_object(request, object_id, from_field)
        if mail is None and object_id.isdigit():
            # A mail of a confidential ticket asked for by its number: refused, and logged.
            refused = Mail.objects.filter(pk=object_id, ticket__is_confidential=True)
            assert isinstance(request.user, User)
            access_log_record(
                user=request.user,
                ticket_ids=refused.values_list("ticket_id", flat=True),
                context=AccessContext.ADMIN,
                granted=False,
            )
        return mail

    @admin.display(description=_("texte"))
    def text(self, mail: Mail) -> str:
        return mail.masked_body

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
