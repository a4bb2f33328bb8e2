"""French public holidays ("jours fériés"), computed for any year.

The eleven national days of the Code du travail (art. L3133-1): eight on fixed dates and
three that follow Easter (Easter Monday, Ascension Thursday, Whit Monday). Alsace and
Moselle add Good Friday and 26 December (art. L3134-13, local law). Each day is returned
with a code, never a label: ``HOLIDAY_LABELS`` says it in French when shown.
"""

import datetime
import functools

from django.utils.translation import gettext_lazy as _

HOLIDAY_LABELS = {
    "new_year": _("Jour de l'an"),
    "good_friday": _("Vendredi saint"),
    "easter_monday": _("Lundi de Pâques"),
    "labour_day": _("Fête du travail"),
    "victory_1945": _("Victoire 1945"),
    "ascension": _("Ascension"),
    "whit_monday": _("Lundi de Pentecôte"),
    "bastille_day": _("Fête nationale"),
    "assumption": _("Assomption"),
    "all_saints": _("Toussaint"),
    "armistice_1918": _("Armistice 1918"),
    "christmas": _("Noël"),
    "st_stephen": _("Saint-Étienne"),
}

_FIXED = {
    (1, 1): "new_year",
    (5, 1): "labour_day",
    (5, 8): "victory_1945",
    (7, 14): "bastille_day",
    (8, 15): "assumption",
    (11, 1): "all_saints",
    (11, 11): "armistice_1918",
    (12, 25): "christmas",
}


def easter_sunday(year: int) -> datetime.date:
    """Easter Sunday in the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


@functools.cache
def public_holidays(year: int, *, alsace_moselle: bool = False) -> dict[datetime.date, str]:
    """The public holidays of ``year``: date → code (``HOLIDAY_LABELS``), in date order.

    The result is cached per year; it is a new dict each time nobody mutates (callers copy).
    """
    days = {datetime.date(year, month, day): code for (month, day), code in _FIXED.items()}
    easter = easter_sunday(year)
    days[easter + datetime.timedelta(days=1)] = "easter_monday"
    days[easter + datetime.timedelta(days=39)] = "ascension"
    days[easter + datetime.timedelta(days=50)] = "whit_monday"
    if alsace_moselle:
        days[easter - datetime.timedelta(days=2)] = "good_friday"
        days[datetime.date(year, 12, 26)] = "st_stephen"
    return dict(sorted(days.items()))


def is_public_holiday(day: datetime.date, *, alsace_moselle: bool = False) -> bool:
    return day in public_holidays(day.year, alsace_moselle=alsace_moselle)
