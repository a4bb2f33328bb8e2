"""Find user-visible text that is not marked for translation, in templates and in Python.

``parvis check-translations`` (run by ``make lint``) and the test suite run it over the tree;
docs/translation.md says what it looks at and how to mark a string.

Templates: every text node with a letter outside ``{% translate %}`` /
``{% blocktranslate %}``, the visible attributes (``alt``, ``title``, ``placeholder``,
``aria-label``…), literal filter arguments (``default:"personne"``: use ``_("personne")``),
date formats that are neither a named format (``DATE_FORMAT``) nor marked, ``pluralize``
(English plurals: use ``{% blocktranslate count %}``), and translation tags used without
``{% load i18n %}``. Text without a letter (``—``, ``→``, ``·``, numbers) needs no marking.

Python (an AST walk; docstrings, logging calls and ``assert`` are never looked at):

- at the places where Django shows a string to a person — ``messages.*``,
  ``ValidationError``, ``CommandError`` and the API's exceptions, ``label=``, ``help_text=``,
  ``verbose_name=``, ``error_messages=``, ``choices``, ``help=``, a ``help`` or
  ``verbose_name`` attribute, the labels of a ``TextChoices`` class… — any literal with a
  letter must be a gettext call, and never an f-string;
- anywhere else, a literal that reads as French (an accented letter, « », an elided
  article such as ``l'`` or ``d'``, or two French function words) must be too.
- a gettext message must use named placeholders (``%(name)s``), which translators can move.

A line carrying ``# i18n: ignore`` (with the reason) is skipped. Single words without an
accent outside those places ("Toutes") escape the Python heuristic; the pseudo-translation
test of the rendered pages (``core/tests/test_translation_catalogue.py``) catches those.
"""

from parvis.core.untranslated.python import check_python_source
from parvis.core.untranslated.templates import check_template_source, visible_texts
from parvis.core.untranslated.text import Finding
from parvis.core.untranslated.tree import EXEMPT, check_tree

__all__ = [
    "EXEMPT",
    "Finding",
    "check_python_source",
    "check_template_source",
    "check_tree",
    "visible_texts",
]
