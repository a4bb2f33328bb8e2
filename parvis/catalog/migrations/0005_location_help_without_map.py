"""The two location fields of the default catalogue promised a map that does not exist yet.

Only the shipped wording is replaced: a help text an administrator wrote stays as it is.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

REWORDED = {
    "Adresse ou position du terrain sur la carte.": "Adresse du terrain (numéro et rue, ou lieu-dit).",
    "Placez le repère sur la carte ou saisissez l'adresse la plus proche.": (
        "Saisissez l'adresse la plus proche, ou un repère (devant l'école…)."
    ),
}


def reword(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    form_field = apps.get_model("catalog", "FormField")
    for old, new in REWORDED.items():
        form_field.objects.filter(kind="location", help_text=old).update(help_text=new)


def restore(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    form_field = apps.get_model("catalog", "FormField")
    for old, new in REWORDED.items():
        form_field.objects.filter(kind="location", help_text=new).update(help_text=old)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_service_confidential")]

    operations = [migrations.RunPython(reword, restore)]
