"""``{% survey_url ticket %}``: the rating link, for the invitation mail's template."""

from django import template

from parvis.satisfaction.links import survey_url as _survey_url
from parvis.tickets.models import Ticket

register = template.Library()


@register.simple_tag
def survey_url(ticket: Ticket) -> str:
    return _survey_url(ticket.pk)
