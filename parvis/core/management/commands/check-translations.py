"""`parvis check-translations`: fail on user-visible text not marked for translation.

Run by ``make lint``; what it looks at is in ``parvis.core.untranslated`` and
docs/translation.md. Strings of the files on its ``PENDING`` list are reported, not refused.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parvis.core.untranslated import check_tree


class Command(BaseCommand):
    help = _("Signale le texte visible (gabarits, Python) qui n'est pas marqué pour la traduction.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--pending",
            action="store_true",
            help=_("Lister aussi les textes des fichiers à marquer après la fusion."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = check_tree(Path(settings.BASE_DIR))
        for entry, findings in report.pending.items():
            if findings:
                self.stdout.write(
                    ngettext(
                        "%(entry)s : %(count)s texte à marquer après la fusion",
                        "%(entry)s : %(count)s textes à marquer après la fusion",
                        len(findings),
                    )
                    % {"entry": entry, "count": len(findings)}
                )
            if options["pending"]:
                for finding in findings:
                    self.stdout.write(f"    {finding}")
        for entry in report.stale:
            self.stderr.write(
                _("%(entry)s : plus rien à marquer, retirez-le de PENDING (%(module)s).")
                % {"entry": entry, "module": "parvis/core/untranslated.py"}
            )
        for finding in report.findings:
            self.stderr.write(str(finding))
        if report.findings:
            raise CommandError(
                ngettext(
                    "%(count)s texte visible n'est pas marqué pour la traduction "
                    "(docs/translation.md).",
                    "%(count)s textes visibles ne sont pas marqués pour la traduction "
                    "(docs/translation.md).",
                    len(report.findings),
                )
                % {"count": len(report.findings)}
            )
        if report.stale:
            raise CommandError(_("La liste PENDING nomme des fichiers déjà marqués."))
        self.stdout.write(self.style.SUCCESS(_("Tout le texte visible est marqué.")))
