"""The API's JSON parser: a size limit, and French messages for whatever cannot be read."""

import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# A ticket is text: 1 Mo leaves room for a long letter typed in, and keeps a runaway client
# from making the server parse megabytes of JSON.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


def max_body_bytes() -> int:
    return int(getattr(settings, "PARVIS_API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


class LimitedJSONParser(JSONParser):
    """Parse a JSON body of at most ``max_body_bytes()``; every failure is a French 400."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = max_body_bytes()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(
                _("Requête trop volumineuse : %(size)d Ko au maximum.") % {"size": limit // 1024}
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError(_("Le corps de la requête doit être encodé en UTF-8.")) from None
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as error:
            raise ParseError(
                _("JSON mal formé (ligne %(line)d, colonne %(column)d).")
                % {"line": error.lineno, "column": error.colno}
            ) from None
        except (ValueError, RecursionError):
            raise ParseError(
                _("JSON non valide : valeur illisible ou imbrication trop profonde.")
            ) from None
        try:
            # A lone surrogate ("\ud800") parses, then fails when the database encodes it.
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(_("Le texte contient des caractères non valides.")) from None
        return data


def _refuse_constant(name: str) -> None:
    raise ValueError(name)
