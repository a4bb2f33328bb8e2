"""`parvis check-translations`: fail on user-visible text not marked for translation.

Run by ``make lint``; what it looks at is in ``parvis.core.untranslated`` and
docs/translation.md.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parvis.core.untranslated import check_tree


class Command(BaseCommand):
    help = _("Signale le texte visible (gabarits, Python) qui n'est pas marqué pour la traduction.")

    def handle(self, *args: Any, **options: Any) -> None:
        findings = check_tree(Path(settings.BASE_DIR))
        for finding in findings:
            self.stderr.write(str(finding))
        if findings:
            raise CommandError(
                ngettext(
                    "%(count)s texte visible n'est pas marqué pour la traduction "
                    "(docs/translation.md).",
                    "%(count)s textes visibles ne sont pas marqués pour la traduction "
                    "(docs/translation.md).",
                    len(findings),
                )
                % {"count": len(findings)}
            )
        self.stdout.write(self.style.SUCCESS(_("Tout le texte visible est marqué.")))
