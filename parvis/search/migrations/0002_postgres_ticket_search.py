"""PostgreSQL only: unaccent, pg_trgm, the parvis_french configuration and the indexes of
the agents' ticket search (parvis/search/ticket_search.py). Nothing on SQLite."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models.functions import Upper

from parvis.search.database import CREATE_CONFIG, DROP_CONFIG, TEXT_SEARCH_CONFIG, phone_digits


def _indexes():
    return {
        "Ticket": [
            GinIndex(
                SearchVector("subject", "description", "requester_name", config=TEXT_SEARCH_CONFIG),
                name="ticket_search_vector_idx",
            ),
            GinIndex(OpClass(Upper("reference"), name="gin_trgm_ops"), name="ticket_reference_trgm_idx"),
            GinIndex(OpClass(Upper("requester_email"), name="gin_trgm_ops"), name="ticket_email_trgm_idx"),
            GinIndex(OpClass(phone_digits(), name="gin_trgm_ops"), name="ticket_phone_trgm_idx"),
        ],
        "Message": [
            GinIndex(SearchVector("body", config=TEXT_SEARCH_CONFIG), name="message_search_vector_idx"),
        ],
    }


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_CONFIG)
    for model_name, indexes in _indexes().items():
        model = apps.get_model("tickets", model_name)
        for index in indexes:
            schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, indexes in _indexes().items():
        model = apps.get_model("tickets", model_name)
        for index in indexes:
            schema_editor.remove_index(model, index)
    schema_editor.execute(DROP_CONFIG)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("tickets", "0010_event_kind_same_matter"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create, drop),
    ]
