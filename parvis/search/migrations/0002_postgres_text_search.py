"""PostgreSQL only: unaccent, pg_trgm and the parvis_french text search configuration (the
``french`` one, accents removed before stemming). Nothing on SQLite."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from parvis.search.database import CREATE_CONFIG, DROP_CONFIG


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_CONFIG)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_CONFIG)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create, drop),
    ]
