"""`parvis recompute-deadlines`: the due dates of every open ticket, computed again."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from parvis.sla.actions import deadlines_refresh_open


class Command(BaseCommand):
    help = _(
        "Recalcule les échéances de toutes les demandes ouvertes (après une modification des "
        "délais, des horaires ou des fermetures)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = deadlines_refresh_open()
        self.stdout.write(_("Échéances recalculées : %(count)s demande(s).") % {"count": count})
