"""`parvis purge-idempotency-keys`: delete the idempotency keys past their delay.

The job worker runs the same purge every hour (``parvis.intake.tasks``); the command is for
a deployment that runs no worker, or to purge at once.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parvis.intake.idempotency import idempotency_keys_purge


class Command(BaseCommand):
    help = _(
        "Supprime les clés d'idempotence (en-tête Idempotency-Key de l'API, jeton du "
        "formulaire du portail) plus anciennes que PARVIS_IDEMPOTENCY_KEY_HOURS "
        "(%(hours)s h)."
    ) % {"hours": settings.PARVIS_IDEMPOTENCY_KEY_HOURS}

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = idempotency_keys_purge()
        self.stdout.write(
            ngettext(
                "%(count)d clé d'idempotence expirée supprimée.",
                "%(count)d clés d'idempotence expirées supprimées.",
                deleted,
            )
            % {"count": deleted}
        )
