"""Tickets in the admin are read-only: agents work in the back office, through the actions."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from parvis.tickets.models import EventDelivery, Ticket
from parvis.tickets.outbox import deliveries_retry


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    list_display = ["reference", "subject", "service", "status", "channel", "created_at"]
    list_filter = ["status", "channel", "service"]
    search_fields = ["reference", "subject"]
    list_select_related = ["service"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        # Confidential tickets stay out of the admin: only their service reads them, logged.
        return super().get_queryset(request).filter(is_confidential=False)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class DeliveryState(admin.SimpleListFilter):
    title = _("état")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [
            ("failed", str(_("en échec (abandonnée)"))),
            ("retrying", str(_("en attente d'une nouvelle tentative"))),
            ("pending", str(_("à remettre"))),
            ("delivered", str(_("remise"))),
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[EventDelivery]
    ) -> QuerySet[EventDelivery]:
        pending = queryset.filter(delivered_at__isnull=True, failed_at__isnull=True)
        match self.value():
            case "failed":
                return queryset.filter(failed_at__isnull=False)
            case "retrying":
                return pending.filter(attempts__gt=0)
            case "pending":
                return pending
            case "delivered":
                return queryset.filter(delivered_at__isnull=False)
        return queryset


@admin.register(EventDelivery)
class EventDeliveryAdmin(admin.ModelAdmin[EventDelivery]):
    """What each subscriber (citizen emails…) still has to do, and what keeps failing."""

    list_display = [
        "event",
        "subscriber",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "failed_at",
    ]
    list_filter = [DeliveryState, "subscriber"]
    readonly_fields = ["last_error"]
    fields = [
        "subscriber",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "failed_at",
        "last_error",
    ]
    list_select_related = ["event"]
    show_full_result_count = False
    actions = ["retry"]

    @admin.action(description=_("Réessayer maintenant"))
    def retry(self, request: HttpRequest, queryset: QuerySet[EventDelivery]) -> None:
        count = deliveries_retry(delivery_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext(
                "%(count)d remise sera réessayée.", "%(count)d remises seront réessayées.", count
            )
            % {"count": count},
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
