"""French public holidays, checked against the official dates (service-public.fr, Légifrance)."""

import datetime

import pytest

from parvis.sla.holidays import HOLIDAY_LABELS, easter_sunday, public_holidays

D = datetime.date

# Easter Monday, Ascension Thursday, Whit Monday as published on service-public.fr's
# "Jours fériés" pages and in the French government's calendars.
MOVABLE = {
    2024: (D(2024, 4, 1), D(2024, 5, 9), D(2024, 5, 20)),
    2025: (D(2025, 4, 21), D(2025, 5, 29), D(2025, 6, 9)),
    2026: (D(2026, 4, 6), D(2026, 5, 14), D(2026, 5, 25)),
    2027: (D(2027, 3, 29), D(2027, 5, 6), D(2027, 5, 17)),
    2028: (D(2028, 4, 17), D(2028, 5, 25), D(2028, 6, 5)),
    2029: (D(2029, 4, 2), D(2029, 5, 10), D(2029, 5, 21)),
    2030: (D(2030, 4, 22), D(2030, 5, 30), D(2030, 6, 10)),
}


@pytest.mark.parametrize("year", sorted(MOVABLE))
def test_easter_monday_ascension_and_whit_monday_are_the_official_dates(year: int) -> None:
    days = public_holidays(year)
    easter_monday, ascension, whit_monday = MOVABLE[year]
    assert days[easter_monday] == "easter_monday"
    assert days[ascension] == "ascension"
    assert days[whit_monday] == "whit_monday"


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (1818, D(1818, 3, 22)),  # the earliest possible date
        (1943, D(1943, 4, 25)),  # the latest possible date
        (2000, D(2000, 4, 23)),
        (2019, D(2019, 4, 21)),
        (2038, D(2038, 4, 25)),
        (2285, D(2285, 3, 22)),
    ],
)
def test_the_computus_gives_easter_sunday_of_any_year(year: int, easter: datetime.date) -> None:
    assert easter_sunday(year) == easter


def test_a_year_has_eleven_national_holidays_on_their_fixed_dates() -> None:
    days = public_holidays(2026)
    assert len(days) == 11
    for month, day in [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]:
        assert D(2026, month, day) in days
    assert list(days) == sorted(days)


def test_alsace_moselle_adds_good_friday_and_saint_stephen() -> None:
    national = public_holidays(2026)
    local = public_holidays(2026, alsace_moselle=True)
    assert set(local) - set(national) == {D(2026, 4, 3), D(2026, 12, 26)}
    assert local[D(2026, 4, 3)] == "good_friday"
    assert public_holidays(2025, alsace_moselle=True)[D(2025, 4, 18)] == "good_friday"
    assert D(2026, 4, 3) not in national


def test_every_holiday_code_has_a_label() -> None:
    codes = set(public_holidays(2026, alsace_moselle=True).values())
    assert codes <= set(HOLIDAY_LABELS)
