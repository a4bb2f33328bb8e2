"""URLs of parvis.portal. The names are used by other apps and by emails: keep them stable."""

from django.urls import path

from parvis.portal.views import (
    bookings,
    catalog,
    deflection,
    knowledge,
    lookup,
    nearby,
    satisfaction,
    submit,
    track,
)

app_name = "portal"
urlpatterns = [
    path("", catalog.home, name="home"),
    path("demarches/", catalog.catalog, name="catalog"),
    path("demarches/suggestions/", catalog.catalog_suggestions, name="catalog_suggestions"),
    path("demarches/<slug:slug>/", submit.request_form, name="request_form"),
    path(
        "demarches/<slug:slug>/fiches-suggerees/",
        deflection.article_suggestions,
        name="article_suggestions",
    ),
    path("demarches/<slug:slug>/a-proximite/", nearby.nearby_reports, name="nearby_reports"),
    path("demarches/<slug:slug>/a-proximite/suivre/", nearby.nearby_follow, name="nearby_follow"),
    path(
        "demarches/<slug:slug>/a-proximite/suivi/", nearby.nearby_followed, name="nearby_followed"
    ),
    path("aide/", knowledge.knowledge_home, name="kb_home"),
    path("aide/themes/<slug:slug>/", knowledge.knowledge_category, name="kb_category"),
    path("aide/fiches/<slug:slug>/", knowledge.knowledge_article, name="kb_article"),
    path("aide/fiches/<slug:slug>/suggestion/", deflection.suggested_article, name="kb_suggested"),
    path("aide/fiches/<slug:slug>/reponse-trouvee/", deflection.answered, name="kb_answered"),
    path("aide/fiches/<slug:slug>/avis/", knowledge.knowledge_feedback, name="kb_feedback"),
    path(
        "aide/fiches/<slug:slug>/fichiers/<int:file_id>/", knowledge.knowledge_file, name="kb_file"
    ),
    path("demarches/<slug:slug>/disponibilites/", bookings.availability, name="availability"),
    path(
        "reservations/<str:token>/calendrier.ics",
        bookings.resource_calendar_feed,
        name="resource_feed",
    ),
    path("suivi/", lookup.track_lookup, name="track_lookup"),
    path("suivi/<str:token>/", track.track, name="track"),
    path("suivi/<str:token>/message/", track.add_message, name="add_message"),
    path("suivi/<str:token>/relance/", track.follow_up, name="follow_up"),
    path("suivi/<str:token>/adresse/", track.confirm_address, name="confirm_address"),
    path("suivi/<str:token>/fichiers/<int:attachment_id>/", track.attachment, name="attachment"),
    path("avis/<int:ticket_id>/<str:signature>/", satisfaction.survey, name="survey"),
]
