"""The access log: an entry may hold several tickets (a list shown) and may be a refusal.

Each existing entry keeps its one ticket, moved to the new table.
"""

import django.db.models.deletion
from django.db import migrations, models


def move_tickets(apps, schema_editor):  # type: ignore[no-untyped-def]
    AccessLog = apps.get_model("privacy", "AccessLog")
    AccessLogTicket = apps.get_model("privacy", "AccessLogTicket")
    rows = AccessLog.objects.values_list("pk", "ticket_id").iterator(chunk_size=2000)
    batch = []
    for log_id, ticket_id in rows:
        batch.append(AccessLogTicket(access_log_id=log_id, ticket_id=ticket_id))
        if len(batch) == 2000:
            AccessLogTicket.objects.bulk_create(batch)
            batch = []
    AccessLogTicket.objects.bulk_create(batch)


def restore_tickets(apps, schema_editor):  # type: ignore[no-untyped-def]
    AccessLog = apps.get_model("privacy", "AccessLog")
    AccessLogTicket = apps.get_model("privacy", "AccessLogTicket")
    for row in AccessLogTicket.objects.order_by("access_log_id", "pk").iterator():
        AccessLog.objects.filter(pk=row.access_log_id).update(ticket_id=row.ticket_id)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("tickets", "0005_mail_resent_event"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="accesslog",
            options={
                "ordering": ["-accessed_at", "-pk"],
                "verbose_name": "consultation d'une demande confidentielle",
                "verbose_name_plural": "journal des consultations confidentielles",
            },
        ),
        migrations.AddField(
            model_name="accesslog",
            name="granted",
            field=models.BooleanField(
                default=True,
                help_text="Décoché : une tentative refusée.",
                verbose_name="accès accordé",
            ),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="context",
            field=models.CharField(
                choices=[
                    ("ticket_page", "fiche de la demande"),
                    ("ticket_action", "action sur la demande"),
                    ("attachment", "pièce jointe"),
                    ("api", "API"),
                    ("queue", "liste des demandes"),
                    ("api_list", "liste des demandes (API)"),
                    ("outbox", "courriels envoyés"),
                    ("admin", "administration"),
                    ("tracking_page", "lien de suivi de l'usager"),
                ],
                default="ticket_page",
                max_length=60,
                verbose_name="contexte",
            ),
        ),
        migrations.CreateModel(
            name="AccessLogTicket",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "access_log",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="privacy.accesslog",
                    ),
                ),
                (
                    "ticket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="tickets.ticket",
                        verbose_name="demande",
                    ),
                ),
            ],
            options={
                "verbose_name": "demande consultée",
                "verbose_name_plural": "demandes consultées",
            },
        ),
        migrations.AddConstraint(
            model_name="accesslogticket",
            constraint=models.UniqueConstraint(
                fields=("access_log", "ticket"), name="one_row_per_logged_ticket"
            ),
        ),
        migrations.RunPython(move_tickets, restore_tickets),
        migrations.RemoveField(model_name="accesslog", name="ticket"),
        migrations.AddField(
            model_name="accesslog",
            name="tickets",
            field=models.ManyToManyField(
                related_name="access_logs",
                through="privacy.AccessLogTicket",
                to="tickets.ticket",
                verbose_name="demandes",
            ),
        ),
    ]
