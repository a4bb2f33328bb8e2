"""Reading a message as a person would: charsets, headers, HTML, quoted history, robots."""

import pytest

from parvis.mailin.html import html_to_text
from parvis.mailin.kinds import Kind, read
from parvis.mailin.parsing import parse
from parvis.mailin.quotes import visible_text


def _mail(headers: str, body: bytes, *, charset: str | None = "utf-8") -> bytes:
    content_type = "text/plain" + (f'; charset="{charset}"' if charset else "")
    head = (
        "From: Marie Lefèvre <marie.lefevre@orange.fr>\r\n"
        "To: contact@ma-commune.fr\r\n"
        "Subject: Poubelles\r\n"
        "Message-ID: <abc@orange.fr>\r\n"
        f"{headers}"
        f"MIME-Version: 1.0\r\nContent-Type: {content_type}\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode("ascii", "replace") + body


def test_rfc2047_subject_and_name_are_decoded() -> None:
    raw = (
        b"From: =?UTF-8?Q?Marie_Lef=C3=A8vre?= <Marie.Lefevre@Orange.fr>\r\n"
        b"Subject: =?ISO-8859-1?Q?Demande_d'acte_de_naissance_pour_l'=E9t=E9?=\r\n"
        b"Message-ID: <1@orange.fr>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour\r\n"
    )
    mail = parse(raw)
    assert mail.subject == "Demande d'acte de naissance pour l'été"
    assert mail.sender_name == "Marie Lefèvre"
    assert mail.sender == "marie.lefevre@orange.fr"
    assert mail.message_id == "<1@orange.fr>"


def test_latin1_windows1252_and_wrongly_declared_charsets_are_read() -> None:
    assert (
        "été" in parse(_mail("", "Bonjour, cet été".encode("latin-1"), charset="iso-8859-1")).text
    )
    assert "l’œuvre" in parse(_mail("", "l’œuvre".encode("cp1252"), charset="windows-1252")).text
    assert "10 €" in parse(_mail("", "10 €".encode("iso-8859-15"), charset="iso-8859-15")).text
    # Declared us-ascii, sent Latin-1; no charset at all: still read, nothing lost.
    assert "fête" in parse(_mail("", "la fête".encode("latin-1"), charset="us-ascii")).text
    assert "élagage" in parse(_mail("", "élagage".encode(), charset=None)).text


def test_a_malformed_from_still_gives_the_address() -> None:
    raw = b"From: Jean Dupont <jean.dupont@orange.fr\r\nSubject: x\r\n\r\nBonjour\r\n"
    mail = parse(raw)
    assert mail.sender == "jean.dupont@orange.fr"
    assert mail.sender_name == "Jean Dupont"


def test_html_only_mail_becomes_text_without_scripts_or_styles() -> None:
    html = (
        "<html><head><style>p{color:red}</style></head><body><p>Bonjour,</p>"
        "<p>Le lampadaire de la <b>rue des Lilas</b> est éteint.</p>"
        "<script>alert(1)</script><p onclick='x()'>Merci</p></body></html>"
    )
    text = html_to_text(html)
    assert "Bonjour," in text and "rue des Lilas est éteint." in text and "Merci" in text
    assert "alert" not in text and "color" not in text


def test_gmail_html_quote_is_marked_as_quoted() -> None:
    html = (
        '<div dir="ltr">Merci beaucoup !</div><br><div class="gmail_quote">'
        '<div class="gmail_attr">Le lun. 3 févr. 2025 à 10:12, Mairie a écrit :</div>'
        "<blockquote>Votre demande a bien été enregistrée</blockquote></div>"
    )
    assert visible_text(html_to_text(html)) == "Merci beaucoup !"


def test_gmail_thunderbird_apple_and_yahoo_quote_headers_are_cut() -> None:
    for header in (
        "Le lun. 3 févr. 2025 à 10:12, Mairie de Ma commune <contact@ma-commune.fr> a écrit :",
        "Le lun. 3 févr. 2025 à 10:12, Mairie de Ma commune <contact@ma-commune.fr> a\nécrit :",
        "Le 03/02/2025 à 10:12, Mairie a écrit :",
        "Le lundi 3 février 2025 à 10:12:00 UTC+1, Mairie a écrit :",
        "On Mon, Feb 3, 2025 at 10:12 AM Mairie <contact@ma-commune.fr> wrote:",
    ):
        text = (
            f"Oui, samedi me convient.\n\n{header}\n> Votre demande 2026-00042\n> a été enregistrée"
        )
        assert visible_text(text) == "Oui, samedi me convient.", header


def test_outlook_and_webmail_histories_and_signatures_are_cut() -> None:
    outlook = (
        "Voici le document demandé.\n\n"
        "De : Mairie <contact@ma-commune.fr>\nEnvoyé : lundi 3 février 2025 10:12\n"
        "À : Jean Dupont\nObjet : Votre demande\n\nVotre demande a été enregistrée."
    )
    assert visible_text(outlook) == "Voici le document demandé."
    for separator in ("-----Message d'origine-----", "----- Mail original -----"):
        assert visible_text(f"D'accord.\n{separator}\nDe: Mairie") == "D'accord."
    assert visible_text("Bonjour\nMerci\n-- \nJean Dupont\n06 12 34 56 78") == "Bonjour\nMerci"
    assert visible_text("C'est noté.\n\nEnvoyé de mon iPhone") == "C'est noté."
    marker = "Ma réponse\n\n— Répondez au-dessus de cette ligne —\nVotre demande…"
    assert visible_text(marker) == "Ma réponse"


def test_a_forward_is_kept_whole_and_an_all_quoted_message_is_not_emptied() -> None:
    forward = (
        "Pour info.\n---------- Message transféré ---------\n"
        "De : voisin\nObjet : bruit\n\nLe chien aboie."
    )
    assert "Le chien aboie." in visible_text(forward)
    assert visible_text("> seulement une citation") == "> seulement une citation"


def test_out_of_office_lists_spam_and_our_own_mail_are_recognised() -> None:
    assert read(parse(_mail("Auto-Submitted: auto-replied\r\n", b"Absent"))).kind == Kind.AUTO_REPLY
    assert read(parse(_mail("X-Autoreply: yes\r\n", b"Absent"))).kind == Kind.AUTO_REPLY
    assert read(parse(_mail("Precedence: bulk\r\n", b"Absent"))).kind == Kind.AUTO_REPLY
    assert read(parse(_mail("List-Id: <infos.example.fr>\r\n", b"News"))).kind == Kind.LIST
    assert read(parse(_mail("X-Spam-Flag: YES\r\n", b"Gagnez"))).kind == Kind.SPAM
    assert read(parse(_mail("X-Spam-Flag: NO\r\n", b"Bonjour"))).kind == Kind.PERSON
    assert read(parse(_mail("X-Parvis-Loop: ma-commune.fr\r\n", b"x"))).kind == Kind.LOOP
    assert read(parse(_mail("Auto-Submitted: no\r\n", b"Bonjour"))).kind == Kind.PERSON
    subject = _mail("", b"Je suis absente").replace(
        b"Subject: Poubelles", b"Subject: Absence du bureau"
    )
    assert read(parse(subject)).kind == Kind.AUTO_REPLY


DSN = b"""From: Mail Delivery System <MAILER-DAEMON@mx.ma-commune.fr>
To: contact@ma-commune.fr
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn1@mx.ma-commune.fr>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain; charset=utf-8

This is the mail system. Your message could not be delivered.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.ma-commune.fr

Final-Recipient: rfc822; inconnu@orange.fr
Action: failed
Status: 5.1.1
--B
Content-Type: text/rfc822-headers

Message-ID: <20260101.1@ma-commune.fr>
Subject: Votre demande
--B--
"""


def test_a_delivery_status_report_is_a_bounce_with_its_failing_address() -> None:
    reading = read(parse(DSN))
    assert reading.kind == Kind.BOUNCE
    assert reading.failed_recipients == ("inconnu@orange.fr",)
    delayed = DSN.replace(b"Status: 5.1.1", b"Status: 4.4.1").replace(b"failed", b"delayed")
    assert read(parse(delayed)).kind == Kind.DELAY


def test_every_recipient_header_is_read_even_when_one_is_missing_or_odd() -> None:
    raw = (
        b"From: a@example.fr\r\nTo: Mairie <Contact@Ma-Commune.fr>, b@example.fr\r\n"
        b"Cc: \r\nDelivered-To: etat-civil@ma-commune.fr\r\nSubject: x\r\n\r\nBonjour\r\n"
    )
    assert parse(raw).recipients == (
        "contact@ma-commune.fr",
        "b@example.fr",
        "etat-civil@ma-commune.fr",
    )


def test_received_html_is_shown_without_script_style_image_or_handler() -> None:
    from parvis.mailin.html import safe_html

    shown = safe_html(
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head>"
        '<body><p onclick="steal()">Bonjour <b>Madame</b></p>'
        '<img src="https://tracker.example/pixel.gif">'
        '<a href="javascript:alert(1)">piège</a> <a href="https://service-public.fr">lien</a>'
        "<form action=https://x><input name=p></form></body></html>"
    )

    assert "<b>Madame</b>" in shown and "Bonjour" in shown
    for forbidden in ("script", "alert", "style", "onclick", "<img", "tracker", "<form", "<input"):
        assert forbidden not in shown, forbidden
    assert 'href="https://service-public.fr"' in shown and "noopener" in shown


@pytest.mark.parametrize(
    "header",
    [
        b"Message-ID: <a@b>",
        b"Message-ID: (comment) <a@b>",
        b"Message-ID:   <a@b>  \r\n\t(folded)",
        b"message-id:<a@b>",
        b"Message-ID: <1@x>\r\nMessage-ID: <2@x>",
        b"Message-ID: <\xc3\xa9t\xc3\xa9@x>",
        b"Message-ID: =?utf-8?q?=C3=A9t=C3=A9?= <a@b>",
        b"Message-ID:\r\n <x@y>",
        b"Subject: none",
    ],
)
def test_the_stored_message_id_is_what_the_email_package_decodes(header: bytes) -> None:
    # The dedupe key of a message stored by an earlier version must not change.
    from email.parser import BytesHeaderParser
    from email.policy import default

    from parvis.mailin.actions import _message_id

    raw = b"From: a@example.fr\r\n" + header + b"\r\n\r\n" + b"body\r\n" * 100
    decoded = str(BytesHeaderParser(policy=default).parsebytes(raw).get("Message-ID") or "")
    assert _message_id(raw) == " ".join(decoded.split())
