"""The API's JSON parser: French messages for whatever cannot be read.

A body over the API's limit never reaches it: parvis/request_limits.py refuses it (413)
from its announced length, and Django reads no more than that.
"""

import json
from collections.abc import Mapping
from typing import IO, Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class FrenchJSONParser(JSONParser):
    """Parse a JSON body; every failure is a French 400."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = stream.read() if stream is not None else b""
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
