"""Keep the API keys issued before 0002 working, stored as SHA-256 only; drop DRF's table.

Until then keys were DRF's ``authtoken_token`` rows, in clear. Each becomes an ``ApiToken``
holding its hash, so that applications need no new key; the clear keys are then deleted.
"""

import hashlib

from django.db import migrations

DRF_TABLE = "authtoken_token"


def keep_hashed(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if DRF_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id FROM {DRF_TABLE}")  # noqa: S608 - a constant
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        ApiToken(user_id=user_id, key_hash=hashlib.sha256(key.encode()).hexdigest(), prefix=key[:8])
        for key, user_id in rows
    )
    schema_editor.execute(f"DROP TABLE {DRF_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_api_token")]
    operations = [migrations.RunPython(keep_hashed, migrations.RunPython.noop)]
