"""The plain structure every channel turns what arrived into, before a ticket is created."""

from dataclasses import dataclass, field

from parvis.catalog.models import RequestType, Service
from parvis.tickets.files import CheckedFile
from parvis.tickets.models import Channel, Priority


@dataclass(frozen=True)
class RequesterData:
    name: str
    email: str = ""
    phone: str = ""
    is_association: bool = False


@dataclass(frozen=True)
class Location:
    address: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass
class IncomingRequest:
    """What a citizen asked, whatever the channel: form post, phone note, API call, email."""

    channel: Channel
    requester: RequesterData
    subject: str
    description: str = ""
    request_type: RequestType | None = None
    # The service the channel itself points to (the mairie's address a mail was written to),
    # when there is no démarche; ``mailbox`` is that address, said in the routing event.
    service: Service | None = None
    mailbox: str = ""
    field_values: dict[str, object] = field(default_factory=dict)
    location: Location | None = None
    files: list[CheckedFile] = field(default_factory=list)
    field_files: dict[str, CheckedFile] = field(default_factory=dict)
    priority: Priority = Priority.NORMAL
    # How the citizen chose to be told; "" when the channel asked nothing (``ticket_create``
    # then takes email if given, else SMS if a phone is given and SMS are configured).
    notify_by: str = ""
    # What the channel knows of where it came from, kept as facts in the ``created`` event:
    # a mail's Message-ID, an Open311 service request id, a scan's batch…
    channel_metadata: dict[str, str] = field(default_factory=dict)
