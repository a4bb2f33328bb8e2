"""The HTML alternative of a mail, made from its text: the text is what was written and kept.

Citizens' mail clients show HTML by preference; a plain-text mail shows there as a grey
block with long lines and links that cannot always be followed. The HTML part says exactly
what the text says — every character escaped (a citizen's or agent's ``<script>`` stays
text), paragraphs and line breaks kept, addresses of pages made links — under a plain
heading with the commune's name and colour. No image, no remote resource, no layout table:
it reads the same in a screen reader, a webmail or a client that blocks everything.
"""

import re

from django.template.loader import render_to_string

from parvis.core.models import Commune
from parvis.notifications.envelope import REPLY_ABOVE_MARKER
from parvis.notifications.models import Mail

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#1d4e89"


def html_for(mail: Mail) -> str:
    commune = Commune.current()
    colour = commune.primary_color if _COLOUR.match(commune.primary_color or "") else DEFAULT_COLOUR
    return render_to_string(
        "notifications/email/mail.html",
        {
            "commune_name": commune.name,
            "colour": colour,
            "subject": mail.subject,
            "marker": "" if mail.is_for_agents else str(REPLY_ABOVE_MARKER),
            "body": mail.body.strip(),
        },
    )
