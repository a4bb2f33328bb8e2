"""Confidentiality follows the service (ADR 0015): existing data brought in line.

A service that handles a confidential démarche (the CCAS of the default catalogue) is marked
confidential; every ticket that is in such a service, or was routed or transferred to or
from one, becomes confidential. Nothing is made less confidential, in either direction.
"""

from django.db import migrations
from django.db.models import Q


def mark_confidential(apps, schema_editor):  # type: ignore[no-untyped-def]
    Service = apps.get_model("catalog", "Service")
    RequestType = apps.get_model("catalog", "RequestType")
    Ticket = apps.get_model("tickets", "Ticket")
    Event = apps.get_model("tickets", "Event")
    handling = RequestType.objects.filter(is_confidential=True).values("service_id")
    Service.objects.filter(pk__in=handling).update(is_confidential=True)
    for service_id in Service.objects.filter(is_confidential=True).values_list("pk", flat=True):
        passed = Event.objects.filter(
            Q(kind="routed", data__service_id=service_id)
            | Q(kind="transferred", data__from_service_id=service_id)
            | Q(kind="transferred", data__to_service_id=service_id)
        ).values("ticket_id")
        Ticket.objects.filter(Q(service_id=service_id) | Q(pk__in=passed)).filter(
            is_confidential=False
        ).update(is_confidential=True)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_service_confidential"),
        ("tickets", "0005_mail_resent_event"),
    ]

    operations = [migrations.RunPython(mark_confidential, migrations.RunPython.noop)]
