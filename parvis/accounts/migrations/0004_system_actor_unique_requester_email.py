"""The system actor ("Parvis (automatique)"), and one requester per email.

Requesters sharing an email (made by two channels at once before the constraint) are merged
into the oldest: their tickets move to it, then the constraint makes it impossible again.
"""

from django.db import migrations, models


def create_system_actor(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    if not User.objects.filter(is_system=True).exists():
        username = "parvis"
        while User.objects.filter(username=username).exists():
            username += "-auto"
        User.objects.create(
            username=username,
            first_name="Parvis",
            last_name="(automatique)",
            is_active=False,
            is_system=True,
            password="!",
        )


def merge_requesters_sharing_an_email(apps, schema_editor):
    Requester = apps.get_model("accounts", "Requester")
    Ticket = apps.get_model("tickets", "Ticket")
    emails = (
        Requester.objects.exclude(email="")
        .values("email")
        .annotate(n=models.Count("pk"))
        .filter(n__gt=1)
        .values_list("email", flat=True)
    )
    for email in list(emails):
        keep, *others = Requester.objects.filter(email=email).order_by("pk")
        Ticket.objects.filter(requester__in=others).update(requester=keep)
        Requester.objects.filter(pk__in=[r.pk for r in others]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_tokens_from_drf"),
        ("tickets", "0003_priority_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="is_system",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Parvis lui-même : les tâches de fond et les règles automatiques.",
                verbose_name="acteur automatique",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_system", True)),
                fields=("is_system",),
                name="one_system_actor",
            ),
        ),
        migrations.RunPython(create_system_actor, migrations.RunPython.noop),
        migrations.RunPython(merge_requesters_sharing_an_email, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="requester",
            constraint=models.UniqueConstraint(
                condition=models.Q(("email", ""), _negated=True),
                fields=("email",),
                name="unique_requester_email",
            ),
        ),
    ]
