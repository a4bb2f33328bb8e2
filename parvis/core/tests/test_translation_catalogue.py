"""The translation catalogue at work.

French plurals come from ``parvis/locale``; another language is a catalogue away; and every
text of the main pages goes through gettext — checked by rendering them with a
pseudo-translation that wraps each message in ⟦…⟧: whatever is left outside the brackets
must be data (a name, a subject, an address).
"""

import array
import gettext
import re
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import trans_real

from parvis.conftest import verified_login
from parvis.core.untranslated import visible_texts

pytestmark = pytest.mark.django_db

COUNT = Template(
    "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} demande"
    "{% plural %}{{ counter }} demandes{% endblocktranslate %}"
)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # the commune is cached


def counts() -> list[str]:
    return [COUNT.render(Context({"n": n})) for n in (0, 1, 2, 1_000_000)]


def test_french_counts_follow_the_french_plural_rule():
    with translation.override("fr"):
        assert counts() == ["0 demande", "1 demande", "2 demandes", "1000000 demandes"]


def test_without_the_catalogue_gettext_would_count_in_english(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path]
    with translation.override("fr"):
        assert counts()[0] == "0 demandes"


def test_an_empty_queue_says_0_demande(client, catalog, make_agent):
    client.force_login(make_agent("etat-civil"))
    assert re.search(r">\s*0 demande\s*<", client.get(reverse("backoffice:queue")).text)


def test_another_language_is_a_catalogue_away(client, catalog, settings, tmp_path):
    write_mo(
        tmp_path / "en" / "LC_MESSAGES" / "django.mo",
        {
            "Suivre une demande": "Track a request",
            "Les démarches par service": "What you can ask for, by service",
        },
    )
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGES = [("fr", "Français"), ("en", "English")]
    english = client.get(reverse("portal:home"), headers={"accept-language": "en"}).text
    assert '<html lang="en">' in english
    assert "Track a request" in english and "What you can ask for, by service" in english
    assert "Suivre une demande" not in english
    french = client.get(reverse("portal:home"), headers={"accept-language": "fr"}).text
    assert '<html lang="fr">' in french and "Suivre une demande" in french


def write_mo(path: Path, messages: dict[str, str]) -> None:
    """A compiled catalogue (GNU .mo), as msgfmt writes it, without needing gettext."""
    catalog = {"": "Content-Type: text/plain; charset=UTF-8\n", **messages}
    keys = sorted(key.encode() for key in catalog)
    values = [catalog[key.decode()].encode() for key in keys]
    ids = b"".join(key + b"\0" for key in keys)
    strings = b"".join(value + b"\0" for value in values)
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    key_table, value_table, key_at, value_at = [], [], 0, 0
    for key, value in zip(keys, values, strict=True):
        key_table += [len(key), key_start + key_at]
        value_table += [len(value), value_start + value_at]
        key_at, value_at = key_at + len(key) + 1, value_at + len(value) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    path.parent.mkdir(parents=True)
    path.write_bytes(header + array.array("i", key_table + value_table).tobytes() + ids + strings)


# --- every text of the main pages goes through gettext --------------------------------------


class PseudoTranslation(gettext.NullTranslations):
    """Every message comes back as ⟦message⟧, placeholders kept."""

    def gettext(self, message: str) -> str:
        return f"⟦{message.rpartition(trans_real.CONTEXT_SEPARATOR)[2]}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    def to_language(self) -> str:
        return settings.LANGUAGE_CODE


@pytest.fixture
def pseudo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """From now on, the French catalogue is the pseudo-translation (for this test only)."""
    monkeypatch.setitem(trans_real._translations, settings.LANGUAGE_CODE, PseudoTranslation())
    monkeypatch.setattr(trans_real, "_default", None)
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


WRAPPED = re.compile(r"⟦[^⟦⟧]*⟧")
LETTER = re.compile(r"[^\W\d_]")


def unmarked_texts(html: str, data: list[str]) -> list[str]:
    """The visible texts of a page that neither gettext nor the data explain.

    Translated messages are taken out of the page first, markup included (a message may
    hold a link), innermost first (a message may hold a translated value).
    """
    while WRAPPED.search(html):
        html = WRAPPED.sub(" ", html)
    found = []
    for text in visible_texts(html):
        text = " ".join(text.split())
        for value in data:
            text = text.replace(value, " ")
        if LETTER.search(text):
            found.append(" ".join(text.split()))
    return found


def data_texts() -> list[str]:
    """What the pages show that is data, not interface: names, subjects, bodies, addresses."""
    from parvis.accounts.models import Requester, User
    from parvis.catalog.models import FormField, RequestType, Service
    from parvis.core.models import Commune
    from parvis.notifications.models import Mail
    from parvis.tickets.models import Attachment, Message, Ticket

    texts: set[str] = set()
    for model, fields in [
        (Commune, ["name", "email", "phone"]),
        (Service, ["name", "description"]),
        (RequestType, ["name", "description"]),
        (FormField, ["label", "help_text"]),
        (Requester, ["name", "email", "phone"]),
        (User, ["username", "first_name", "last_name"]),
        (Message, ["body"]),
        (Attachment, ["original_name"]),
        (Mail, ["from_email", "to", "subject", "body", "message_id"]),
        (
            Ticket,
            ["reference", "subject", "description", "requester_name", "requester_email"],
        ),
    ]:
        for row in model.objects.values_list(*fields):  # type: ignore[attr-defined]
            texts.update(str(value) for value in row if value)
    texts.update(str(user) for user in User.objects.all())
    texts.update(mail.masked_body for mail in Mail.objects.all())  # as the outbox shows it
    texts.add(Commune.current().name)
    # The catalogue shows the beginning of each description.
    for description in RequestType.objects.values_list("description", flat=True):
        texts.add(Truncator(description).words(24, truncate=" …"))
    for field in FormField.objects.all():
        texts.update(label for _value, label in field.choice_pairs())
    for ticket in Ticket.objects.all():
        texts.update(str(value) for value in ticket.field_values.values())
    return sorted({" ".join(text.split()) for text in texts}, key=len, reverse=True)


@pytest.fixture
def pages(
    client: Client, catalog: None, make_agent: Callable[..., Any], make_ticket: Callable[..., Any]
) -> Callable[[], dict[str, str]]:
    """pages() → the main pages of the portal and the back office, rendered now."""
    from parvis.accounts.models import User

    ticket = make_ticket("nid-de-poule", subject="Trou rue Victor Hugo")
    agent = make_agent("services-techniques", username="victor", is_superuser=True)
    agent.is_staff = True
    agent.save(update_fields=["is_staff"])
    stranger = User.objects.create_user("sans-service", password="x")

    def render() -> dict[str, str]:
        anonymous = {
            "portal home": reverse("portal:home"),
            "catalogue": reverse("portal:catalog"),
            "search": reverse("portal:catalog") + "?q=naissance",
            "search, nothing found": reverse("portal:catalog") + "?q=xyzzy",
            "request form": reverse("portal:request_form", args=["acte-de-naissance"]),
            "tracking look-up": reverse("portal:track_lookup"),
            "tracking page": reverse("portal:track", args=[ticket.tracking_token]),
            "login": reverse("backoffice:login"),
        }
        rendered = {name: client.get(url).text for name, url in anonymous.items()}
        client.force_login(stranger)
        rendered["access refused"] = client.get(reverse("backoffice:queue")).text
        verified_login(client, agent)
        agent_pages = {
            "queue": reverse("backoffice:queue"),
            "ticket page": reverse("backoffice:ticket", args=[ticket.reference]),
            "new ticket": reverse("backoffice:new_ticket") + "?q=Camille",
            "outbox": reverse("backoffice:outbox"),
        }
        rendered |= {name: client.get(url).text for name, url in agent_pages.items()}
        client.logout()
        return rendered

    return render


def test_text_outside_the_brackets_that_is_not_data_is_unmarked():
    html = '<p>⟦Bonjour⟧ Camille</p><p title="Au revoir">⟦Votre demande⟧ Trou</p><p>Merci</p>'
    assert unmarked_texts(html, ["Camille", "Trou"]) == ["Au revoir", "Merci"]


def test_every_text_of_the_main_pages_goes_through_gettext(pages, pseudo):
    rendered = pages()
    data = data_texts()
    unmarked = {name: unmarked_texts(html, data) for name, html in rendered.items()}
    found = [f"{name}: {text!r}" for name, texts in unmarked.items() for text in texts]
    assert not found, "not marked for translation:\n" + "\n".join(found)
    # The pseudo-translation did reach the pages (the test would pass on blank pages too).
    assert all("⟦" in html for html in rendered.values())
