"""The check that no user-visible text is left unmarked: what it refuses, what it lets by."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from parvis.core.untranslated import check_python_source, check_template_source, check_tree


def template_findings(source: str) -> list[str]:
    return [finding.text for finding in check_template_source(source, "t.html")]


def python_findings(source: str) -> list[str]:
    return [finding.text for finding in check_python_source(source, "m.py")]


# --- templates ------------------------------------------------------------------------------


def test_it_refuses_a_template_text_outside_translate():
    found = check_template_source(
        '{% load i18n %}\n<p>{% translate "Bonjour" %}</p>\n<p>Au revoir {{ name }}</p>',
        "t.html",
    )
    assert [(finding.line, finding.text) for finding in found] == [(3, "Au revoir")]


def test_it_accepts_translated_text_symbols_and_variables():
    source = (
        '{% load i18n %}{% block title %}{% translate "Accueil" %} — {{ commune.name }}'
        "{% endblock %}<p>{% blocktranslate trimmed with name=user.name %}Bonjour "
        "<strong>{{ name }}</strong>{% endblocktranslate %} → · ({{ count }})</p>"
        "{# a comment #}{% comment %}Notes for developers{% endcomment %}"
        '<script>const label = "not looked at";</script>'
    )
    assert template_findings(source) == []


def test_it_refuses_visible_attributes_and_accepts_marked_ones():
    source = (
        '{% load i18n %}<nav aria-label="Navigation principale"></nav>'
        '<input placeholder="{% translate "Votre nom" %}" type="text" name="nom-usager">'
        '<img alt="Logo de la mairie" src="x.png"><input type="submit" value="Envoyer">'
    )
    assert template_findings(source) == ["Navigation principale", "Logo de la mairie", "Envoyer"]


def test_it_refuses_literal_text_given_to_a_filter():
    source = '{{ ticket.assignee|default:"personne n\'est chargé" }}{{ x|default:_("aucune") }}'
    assert template_findings(source) == ['"personne n\'est chargé"']


def test_it_refuses_pluralize_and_unmarked_date_formats():
    source = (
        '{{ n }} demande{{ n|pluralize }} {{ d|date:"d/m/Y à H:i" }} {{ d|date:"DATE_FORMAT" }}'
        " {{ d|date:'c' }} {{ d|date:_(\"d/m/Y à H:i\") }}"
    )
    whys = sorted(finding.why for finding in check_template_source(source, "t.html"))
    assert whys == [
        'date format: a named format or _("…")',
        "text outside {% translate %}",
        "|pluralize: use {% blocktranslate count %}",
    ]


def test_it_refuses_translation_tags_without_load_i18n():
    assert template_findings('<p>{% translate "Bonjour" %}</p>') == ["{% load i18n %}"]


def test_it_refuses_literal_text_in_a_tag_but_not_names():
    source = (
        '{% include "portal/includes/field.html" with title="Vos coordonnées" %}'
        "{% if kind == 'checkbox' %}{% url 'portal:home' %}{% endif %}"
    )
    assert template_findings(source) == ["Vos coordonnées"]


def test_blocks_that_fill_an_attribute_are_not_text():
    source = "{% block body_class %}backoffice{% endblock %}{% block content %}Texte{% endblock %}"
    assert template_findings(source) == ["Texte"]


# --- Python ---------------------------------------------------------------------------------


def test_it_refuses_unmarked_strings_where_django_shows_them():
    source = """
from django.contrib import messages

def view(request, form):
    messages.success(request, "Done")
    form.fields["name"].label = "Name"
    raise ValidationError({"name": ["Wrong name"]})

class Form:
    name = forms.CharField(label="Full name", help_text=_("Marked"), error_messages={
        "required": "Type it",
    })
"""
    assert python_findings(source) == ["Done", "Name", "Wrong name", "Full name", "Type it"]


def test_a_label_built_in_a_function_is_a_label_but_an_app_label_is_a_name():
    source = """
class ParvisConfig(AppConfig):
    label = "parvis_core"

def choices(request_type):
    label = request_type.name if request_type.public else f"{request_type.name} (interne)"
    return label
"""
    assert python_findings(source) == ["{…} (interne)"]


def test_it_refuses_f_strings_and_unnamed_placeholders():
    source = """
messages.error(request, f"La demande {reference} est close")
raise CommandError(_("Le compte « %s » est inconnu.") % username)
"""
    found = check_python_source(source, "m.py")
    assert [finding.why for finding in found] == [
        "not marked for translation (messages.error(): f-string)",
        "unnamed placeholder: use %(name)s",
    ]


def test_it_refuses_choice_labels_but_not_choice_values():
    source = """
class Status(models.TextChoices):
    NEW = "new", "nouvelle"
    DONE = "done", _("terminée")

field = forms.ChoiceField(choices=[("phone", "par téléphone"), ("mail", _("par courrier"))])
"""
    assert python_findings(source) == ["nouvelle", "par téléphone"]


def test_it_refuses_french_prose_anywhere_else():
    source = '''
"""Docstrings are for developers: é, « », l'usager."""

LABELS = {"open": "Ouvertes", "late": "En retard de l'usager"}

def describe():
    """Also a docstring."""
    logger.warning("mail non envoyé : %s", error)
    assert ok, "n'arrive jamais"
    raise ValueError("unknown status code")
'''
    assert python_findings(source) == ["En retard de l'usager"]


def test_a_pragma_lets_a_line_by():
    source = 'BODY = "Bonjour, votre demande est en cours."  # i18n: ignore — demo content\n'
    assert python_findings(source) == []


def test_help_texts_of_commands_and_their_arguments_must_be_marked():
    source = """
class Command(BaseCommand):
    help = "Lance Parvis."

    def add_arguments(self, parser):
        parser.add_argument("--port", help="Port d'écoute.")
"""
    assert python_findings(source) == ["Lance Parvis.", "Port d'écoute."]


# --- the tree -------------------------------------------------------------------------------


def test_the_project_has_no_unmarked_text():
    assert check_tree(Path(settings.BASE_DIR)) == []


def test_the_command_fails_on_unmarked_text(tmp_path, settings, capsys):
    templates = tmp_path / "parvis" / "portal" / "templates" / "portal"
    templates.mkdir(parents=True)
    (templates / "page.html").write_text("<h1>Bienvenue</h1>")
    settings.BASE_DIR = tmp_path
    with pytest.raises(CommandError, match="1 texte visible"):
        call_command("check-translations")
    assert "parvis/portal/templates/portal/page.html:1" in capsys.readouterr().err
