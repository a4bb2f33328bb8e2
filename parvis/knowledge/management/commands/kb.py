"""`parvis kb`: the knowledge base from the command line.

``parvis kb search QUERY [--limit N]`` prints what citizens would find, one JSON line per
article, best first: ``{"title": …, "url": …, "score": …}``.

``parvis kb import-dila PATH`` imports or updates service-public.fr fiches (a file, a folder
or the DILA zip), with a progress bar on the error output; a file that cannot be read is
named with the reason and the others are imported all the same.
"""

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.urls import reverse
from django.utils.translation import gettext as _

from parvis.accounts.selectors import system_actor
from parvis.catalog.models import Service
from parvis.knowledge.dila import FicheError, fiche_files, is_fiche, parse_fiche
from parvis.knowledge.imports import Outcome, article_import_fiche, dila_category
from parvis.knowledge.models import Article, Category
from parvis.knowledge.search import search_articles


class Command(BaseCommand):
    help = _("Base de connaissances : rechercher comme un usager, importer des fiches.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        search = commands.add_parser("search", help=_("Les fiches publiques qu'un usager trouve."))
        search.add_argument("query", nargs="+")
        search.add_argument("--limit", type=int, default=10)
        dila = commands.add_parser(
            "import-dila", help=_("Importer les fiches pratiques de service-public.fr (XML).")
        )
        dila.add_argument("path", type=Path)
        dila.add_argument(
            "--service", default="accueil", help=_("Service propriétaire (identifiant).")
        )
        dila.add_argument("--category", default="", help=_("Thème (identifiant)."))
        dila.add_argument(
            "--draft", action="store_true", help=_("Importer en brouillon, sans publier.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "search":
            self._search(" ".join(options["query"]), options["limit"])
        else:
            self._import(options)

    def _search(self, query: str, limit: int) -> None:
        if limit < 1:
            raise CommandError(_("--limit doit être un nombre positif."))
        for article in search_articles(query, limit=limit):
            url = settings.BASE_URL + reverse("portal:kb_article", args=[article.slug])
            line = {"title": article.title, "url": url, "score": round(article.score, 4)}  # type: ignore[attr-defined]
            self.stdout.write(json.dumps(line, ensure_ascii=False))

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(_("« %(path)s » n'existe pas.") % {"path": path})
        service = Service.objects.filter(slug=options["service"]).first()
        if service is None:
            raise CommandError(
                _("Aucun service « %(slug)s » (option --service).") % {"slug": options["service"]}
            )
        if options["category"]:
            category = Category.objects.filter(slug=options["category"]).first()
            if category is None:
                raise CommandError(
                    _("Aucun thème « %(slug)s » (option --category).")
                    % {"slug": options["category"]}
                )
        else:
            category = dila_category()
        state = Article.State.DRAFT if options["draft"] else Article.State.PUBLISHED
        files = list(fiche_files(path))
        actor = system_actor()
        counts = {outcome: 0 for outcome in Outcome}
        kept: list[str] = []
        errors: list[str] = []
        progress = _Progress(len(files), self.stderr)
        for item in files:
            progress.step(item.name)
            if item.data is None:
                errors.append(f"{item.name} : {item.error}")
                continue
            if not is_fiche(item.data) and b"<Publication" in item.data[:2048]:
                continue  # a dossier (N…) or a resource (R…) of the same export: not a fiche
            try:
                fiche = parse_fiche(item.data)
            except FicheError as error:
                errors.append(f"{item.name} : {error}")
                continue
            outcome = article_import_fiche(
                fiche=fiche, category=category, service=service, actor=actor, state=state
            )
            counts[outcome] += 1
            if outcome == Outcome.KEPT:
                kept.append(fiche.id)
        progress.done()
        self.stdout.write(
            _(
                "Fiches service-public.fr : %(created)s ajoutée(s), %(updated)s mise(s) à jour, "
                "%(unchanged)s inchangée(s)."
            )
            % {
                "created": counts[Outcome.CREATED],
                "updated": counts[Outcome.UPDATED],
                "unchanged": counts[Outcome.UNCHANGED],
            }
        )
        if kept:
            self.stdout.write(
                _("Modifiées dans Parvis, gardées telles quelles : %(ids)s")
                % {"ids": ", ".join(kept)}
            )
        for problem in errors:
            self.stderr.write(_("Non importé : %(error)s") % {"error": problem})
        if errors:
            raise CommandError(
                _("%(count)s fichier(s) non importé(s) ; les autres l'ont été.")
                % {"count": len(errors)}
            )


class _Progress:
    """A progress bar on the error output: redrawn in place on a terminal, a few lines else."""

    WIDTH = 30

    def __init__(self, total: int, stream: OutputWrapper) -> None:
        self.total = max(total, 1)
        self.done_count = 0
        self.stream = stream
        self.tty = stream.isatty()
        self.last_tenth = -1

    def step(self, name: str) -> None:
        self.done_count += 1
        filled = self.WIDTH * self.done_count // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = f"[{bar}] {self.done_count}/{self.total} {name[:40]}"
        if self.tty:
            self.stream.write("\r" + line.ljust(self.WIDTH + 60), ending="")
        elif (tenth := 10 * self.done_count // self.total) != self.last_tenth:
            self.last_tenth = tenth
            self.stream.write(line)
        self.stream.flush()

    def done(self) -> None:
        if self.tty:
            self.stream.write("")
