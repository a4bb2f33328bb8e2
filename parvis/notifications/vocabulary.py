"""Codes stored in events about citizen mails (``mail_withheld``), read by the events registry."""

import enum

# The mails anyone can have written without an account: capped per address and hour.
CAPPED_TEMPLATES = frozenset({"acknowledgement", "tracking_link"})


class WithheldReason(enum.StrEnum):
    """Why a mail an event called for was not written."""

    HOURLY_CAP = "hourly_cap"  # PARVIS_ACKNOWLEDGEMENTS_PER_HOUR reached for the address
