"""PostgreSQL only: the indexes of the agents' ticket search (parvis/search/ticket_search.py):
GIN on the stored search vectors of tickets and messages, trigrams for parts of a reference,
an email or a phone number. Nothing on SQLite (GIN does not exist there)."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations
from django.db.models.functions import Upper

from parvis.search.database import phone_digits


def _indexes():
    return {
        "Ticket": [
            GinIndex(fields=["search_vector"], name="ticket_search_vector_idx"),
            GinIndex(OpClass(Upper("reference"), name="gin_trgm_ops"), name="ticket_reference_trgm_idx"),
            GinIndex(OpClass(Upper("requester_email"), name="gin_trgm_ops"), name="ticket_email_trgm_idx"),
            GinIndex(OpClass(phone_digits(), name="gin_trgm_ops"), name="ticket_phone_trgm_idx"),
        ],
        "Message": [GinIndex(fields=["search_vector"], name="message_search_vector_idx")],
    }


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
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


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_postgres_text_search"),
        ("tickets", "0012_search_vectors"),
    ]

    operations = [migrations.RunPython(create, drop)]
