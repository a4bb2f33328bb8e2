"""Events hold facts, not display text; the requester as given on each ticket; the outbox.

Existing events are rewritten: service names become service ids, an assignee's display
name the agent's id, the routing sentence a reason code with its parameters; a reply
records the service that answered. A name that matches nothing becomes an unknown id
(shown as "service inconnu"), never a wrong one.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def fill_requester_as_given(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    Requester = apps.get_model("accounts", "Requester")
    for requester in Requester.objects.all().iterator():
        Ticket.objects.filter(requester=requester).update(
            requester_name=requester.name[:200],
            requester_email=requester.email,
            requester_phone=requester.phone,
        )


def _person_ids(apps):
    User = apps.get_model("accounts", "User")
    ids = {}
    for user in User.objects.all():
        full = f"{user.first_name} {user.last_name}".strip()
        ids.setdefault(full or user.username, user.pk)
        ids.setdefault(user.username, user.pk)
    return ids


def events_as_facts(apps, schema_editor):
    Event = apps.get_model("tickets", "Event")
    Service = apps.get_model("catalog", "Service")
    services = dict(Service.objects.values_list("name", "pk"))
    people = _person_ids(apps)
    current_service = {}
    kinds = ["routed", "transferred", "assigned", "reply"]
    events = Event.objects.filter(kind__in=kinds).select_related("ticket").order_by("ticket_id", "created_at", "pk")
    for event in events.iterator():
        data = dict(event.data or {})
        ticket = event.ticket
        if event.kind == "routed":
            service_id = services.get(data.get("service"), ticket.service_id)
            reason = str(data.get("reason", ""))
            facts = {"service_id": service_id}
            if reason.startswith("démarche"):
                facts |= {"reason": "request_type", "request_type_id": ticket.request_type_id}
            elif reason.startswith("mot-clé"):
                keyword = reason.partition("«")[2].rpartition("»")[0].strip()
                facts |= {"reason": "keyword", "keyword": keyword}
            else:
                facts |= {"reason": "triage"}
            current_service[ticket.pk] = service_id
        elif event.kind == "transferred":
            facts = {
                "from_service_id": services.get(data.get("from"), 0),
                "to_service_id": services.get(data.get("to"), 0),
                "reason": data.get("reason", ""),
            }
            current_service[ticket.pk] = facts["to_service_id"]
        elif event.kind == "assigned":
            name = data.get("assignee", "")
            facts = {"assignee_id": people.get(name, 0) if name else None}
        else:  # reply: the service in charge when it was written
            facts = {"service_id": current_service.get(ticket.pk, ticket.service_id)}
        event.data = facts
        event.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_system_actor_unique_requester_email"),
        ("catalog", "0002_catalog_revision"),
        ("tickets", "0003_priority_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="requester_name",
            field=models.CharField(default="", max_length=200, verbose_name="nom donné"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="ticket",
            name="requester_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="courriel donné"),
        ),
        migrations.AddField(
            model_name="ticket",
            name="requester_phone",
            field=models.CharField(blank=True, max_length=30, verbose_name="téléphone donné"),
        ),
        migrations.RunPython(fill_requester_as_given, migrations.RunPython.noop),
        migrations.RunPython(events_as_facts, migrations.RunPython.noop),
        migrations.RemoveField(model_name="event", name="is_public"),
        migrations.AlterField(
            model_name="event",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "demande reçue"),
                    ("routed", "orientée"),
                    ("status", "statut modifié"),
                    ("assigned", "attribuée"),
                    ("transferred", "transférée"),
                    ("priority", "priorité modifiée"),
                    ("reply", "réponse envoyée"),
                    ("note", "note interne"),
                    ("citizen_message", "message de l'usager"),
                    ("follow_up", "relance de l'usager"),
                    ("requester_created", "usager enregistré"),
                    ("tracking_link_sent", "lien de suivi envoyé"),
                ],
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="EventDelivery",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("subscriber", models.CharField(max_length=60, verbose_name="abonné")),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="tentatives")),
                ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="prochaine tentative")),
                ("delivered_at", models.DateTimeField(blank=True, null=True, verbose_name="remis le")),
                ("failed_at", models.DateTimeField(blank=True, null=True, verbose_name="abandonné le")),
                ("last_error", models.TextField(blank=True, verbose_name="dernière erreur")),
                ("event", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="deliveries", to="tickets.event")),
            ],
            options={
                "verbose_name": "remise d'événement",
                "verbose_name_plural": "remises d'événements",
                "indexes": [
                    models.Index(
                        condition=models.Q(("delivered_at__isnull", True), ("failed_at__isnull", True)),
                        fields=["next_attempt_at"],
                        name="delivery_pending_idx",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("event", "subscriber"), name="one_delivery_per_sub")
                ],
            },
        ),
    ]
