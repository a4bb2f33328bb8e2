"""Public-space démarches: the radius and window of their nearby reports.

An installation made before this has the default catalogue's public-space démarches without
the settings; they get the values the catalogue now ships, written here (a migration does not
read a file that changes after it). Only the default catalogue's slugs, only where the
démarche is not confidential.
"""

import django.core.validators
from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SHIPPED = {
    "nid-de-poule": (50, 30),
    "eclairage-public": (30, 30),
    "depot-sauvage": (50, 15),
    "graffiti": (50, 60),
    "espaces-verts": (50, 30),
    "stationnement-genant": (30, 7),
}


def set_shipped(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    request_type = apps.get_model("catalog", "RequestType")
    for slug, (radius, window) in SHIPPED.items():
        request_type.objects.filter(slug=slug, is_confidential=False).update(
            nearby_radius_m=radius, nearby_window_days=window
        )


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0007_service_triage_threshold'),
    ]

    operations = [
        migrations.AddField(
            model_name='requesttype',
            name='nearby_radius_m',
            field=models.PositiveIntegerField(blank=True, help_text="Signalement sur l'espace public (nid-de-poule, lampadaire…) : un nouveau signalement à moins de cette distance d'un signalement ouvert de la même démarche est signalé comme doublon probable, et l'usager voit ceux-ci avant d'envoyer le sien. Vide : démarche qui n'est pas un signalement sur l'espace public.", null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1000)], verbose_name='rayon des signalements proches (m)'),
        ),
        migrations.AddField(
            model_name='requesttype',
            name='nearby_window_days',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Seuls les signalements ouverts déposés depuis ce nombre de jours sont comparés. À remplir avec le rayon, ou à laisser vide avec lui.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(365)], verbose_name='période des signalements proches (jours)'),
        ),
        migrations.RunPython(set_shipped, migrations.RunPython.noop),
    ]
