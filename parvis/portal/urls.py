"""URLs of parvis.portal. The names are used by other apps and by emails: keep them stable."""

from django.urls import path

from parvis.portal.views import catalog, lookup, satisfaction, submit, track

app_name = "portal"
urlpatterns = [
    path("", catalog.home, name="home"),
    path("demarches/", catalog.catalog, name="catalog"),
    path("demarches/<slug:slug>/", submit.request_form, name="request_form"),
    path("suivi/", lookup.track_lookup, name="track_lookup"),
    path("suivi/<str:token>/", track.track, name="track"),
    path("suivi/<str:token>/message/", track.add_message, name="add_message"),
    path("suivi/<str:token>/relance/", track.follow_up, name="follow_up"),
    path("suivi/<str:token>/adresse/", track.confirm_address, name="confirm_address"),
    path("suivi/<str:token>/fichiers/<int:attachment_id>/", track.attachment, name="attachment"),
    path("avis/<int:ticket_id>/<str:signature>/", satisfaction.survey, name="survey"),
]
