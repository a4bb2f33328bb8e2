"""The local outbox becomes the record of every citizen email: its ticket, event, Message-ID
and whether it was sent."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("tickets", "0004_events_as_facts"),
    ]

    operations = [
        migrations.RenameModel("OutboxMessage", "Mail"),
        migrations.RenameField("mail", "sent_at", "created_at"),
        migrations.AlterField(
            model_name="mail",
            name="created_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="écrit le"),
        ),
        migrations.AlterModelOptions(
            name="mail",
            options={"ordering": ["-created_at", "-pk"], "verbose_name": "courriel", "verbose_name_plural": "courriels"},
        ),
        migrations.AddField(
            model_name="mail",
            name="ticket",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="mails", to="tickets.ticket"),
        ),
        migrations.AddField(
            model_name="mail",
            name="event",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="mails", to="tickets.event"),
        ),
        migrations.AddField(
            model_name="mail",
            name="template",
            field=models.CharField(blank=True, max_length=30, verbose_name="modèle"),
        ),
        migrations.AddField(
            model_name="mail",
            name="message_id",
            field=models.CharField(blank=True, max_length=250, verbose_name="identifiant du message"),
        ),
        migrations.AddField(
            model_name="mail",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="envoyé le"),
        ),
        migrations.AddField(
            model_name="mail",
            name="send_attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="tentatives d'envoi"),
        ),
        migrations.AddField(
            model_name="mail",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="prochaine tentative"),
        ),
        migrations.AddField(
            model_name="mail",
            name="last_error",
            field=models.TextField(blank=True, verbose_name="dernière erreur"),
        ),
        migrations.AddIndex(
            model_name="mail",
            index=models.Index(
                condition=models.Q(("next_attempt_at__isnull", False), ("sent_at__isnull", True)),
                fields=["next_attempt_at"],
                name="mail_to_send_idx",
            ),
        ),
    ]
