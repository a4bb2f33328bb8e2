"""URLs of the API, mounted at ``/api/``: version 1 of the tickets API, its schema and docs."""

from django.conf import settings
from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from parvis.api import schema  # noqa: F401 - its extensions, registered for the schema views
from parvis.api.views.ticket import TicketDetailView, TicketNoteView, TicketReplyView
from parvis.api.views.tickets import TicketCollectionView

_docs_view = SpectacularSwaggerSplitView.as_view(url_name="api:schema")
_DOCS_CSP: dict[str, list[str]] = {
    **settings.SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
}

app_name = "api"
urlpatterns = [
    path("v1/tickets/", TicketCollectionView.as_view(), name="ticket-list"),
    path("v1/tickets/<str:reference>/", TicketDetailView.as_view(), name="ticket-detail"),
    path("v1/tickets/<str:reference>/reply/", TicketReplyView.as_view(), name="ticket-reply"),
    path("v1/tickets/<str:reference>/notes/", TicketNoteView.as_view(), name="ticket-notes"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from a URL, not inline: scripts stay under
    # the strict Content-Security-Policy; Swagger UI sets inline styles, allowed on this page
    # only. Swagger UI's files come from drf-spectacular-sidecar.
    path("docs/", csp_override(_DOCS_CSP)(_docs_view), name="docs"),
]
