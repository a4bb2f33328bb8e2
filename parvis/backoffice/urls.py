"""URLs of the agents' back office, mounted at /agents/."""

from django.urls import path

from parvis.backoffice.views import (
    auth,
    deflection,
    knowledge,
    letter,
    mail_original,
    new_ticket,
    outbox,
    quarantine,
    queue,
    replies,
    satisfaction,
    ticket,
    ticket_actions,
    two_factor,
)

app_name = "backoffice"
urlpatterns = [
    path("connexion/", auth.AgentLoginView.as_view(), name="login"),
    path("deconnexion/", auth.AgentLogoutView.as_view(), name="logout"),
    path("connexion/code/", two_factor.verify, name="two_factor_verify"),
    path("compte/application/", two_factor.enrol, name="two_factor_enrol"),
    path("compte/", two_factor.account, name="account"),
    path("compte/codes-de-secours/", two_factor.new_recovery_codes, name="recovery_codes"),
    path("", queue.queue, name="queue"),
    path("demandes/<str:reference>/", ticket.ticket_detail, name="ticket"),
    path("demandes/<str:reference>/reponse/", ticket_actions.reply, name="reply"),
    path("demandes/<str:reference>/note/", ticket_actions.note, name="note"),
    path("demandes/<str:reference>/attribution/", ticket_actions.assign, name="assign"),
    path("demandes/<str:reference>/statut/", ticket_actions.change_status, name="status"),
    path("demandes/<str:reference>/transfert/", ticket_actions.transfer, name="transfer"),
    path("demandes/<str:reference>/priorite/", ticket_actions.set_priority, name="priority"),
    path(
        "demandes/<str:reference>/renvoi/<int:event_id>/",
        ticket_actions.resend_mail,
        name="resend_mail",
    ),
    path(
        "demandes/<str:reference>/relance/",
        ticket_actions.record_follow_up,
        name="record_follow_up",
    ),
    path(
        "demandes/<str:reference>/reponses/<int:message_id>/courrier/",
        letter.letter,
        name="letter",
    ),
    path(
        "demandes/<str:reference>/courriels/<int:inbound_id>/",
        mail_original.mail_original,
        name="mail_original",
    ),
    path(
        "demandes/<str:reference>/courriels/<int:inbound_id>/message.eml",
        mail_original.mail_original_eml,
        name="mail_original_eml",
    ),
    path("fichiers/<int:attachment_id>/", ticket.attachment_download, name="attachment"),
    path("nouvelle/", new_ticket.new_ticket, name="new_ticket"),
    path("nouvelle/champs/", new_ticket.type_fields, name="type_fields"),
    path("nouvelle/usager/", new_ticket.requester_fields, name="requester_fields"),
    path(
        "nouvelle/<str:reference>/enregistree/", new_ticket.new_ticket_done, name="new_ticket_done"
    ),
    path("usagers/", new_ticket.requester_search_view, name="requester_search"),
    path("fiches/", knowledge.article_list, name="articles"),
    path("fiches/nouvelle/", knowledge.article_new, name="article_new"),
    path("fiches/<int:pk>/", knowledge.article_edit, name="article_edit"),
    path("fiches/<int:pk>/etat/", knowledge.article_state, name="article_state"),
    path("fiches/<int:pk>/relue/", knowledge.article_reviewed, name="article_reviewed"),
    path("fiches/<int:pk>/fichiers/", knowledge.article_file_add, name="article_file_add"),
    path(
        "fiches/<int:pk>/fichiers/<int:file_id>/retirer/",
        knowledge.article_file_remove,
        name="article_file_remove",
    ),
    path("fiches/demandes-evitees/", deflection.deflection_report, name="deflection"),
    path("reponses-types/", replies.canned_list, name="canned_list"),
    path("reponses-types/nouvelle/", replies.canned_new, name="canned_new"),
    path("reponses-types/<int:pk>/", replies.canned_edit, name="canned_edit"),
    path("demandes/<str:reference>/fiches/", replies.article_search, name="reply_articles"),
    path(
        "demandes/<str:reference>/reponses/<int:message_id>/fiche/",
        replies.reply_to_article,
        name="reply_to_article",
    ),
    path("courriels/", outbox.outbox, name="outbox"),
    path("avis/", satisfaction.satisfaction, name="satisfaction"),
    path("quarantaine/", quarantine.quarantine, name="quarantine"),
    path("quarantaine/<int:inbound_id>/", quarantine.quarantine_message, name="quarantine_message"),
    path(
        "quarantaine/<int:inbound_id>/message.eml", quarantine.quarantine_eml, name="quarantine_eml"
    ),
    path("quarantaine/<int:inbound_id>/reessayer/", quarantine.retry, name="quarantine_retry"),
    path("quarantaine/<int:inbound_id>/ecarter/", quarantine.discard, name="quarantine_discard"),
    path("quarantaine/<int:inbound_id>/rattacher/", quarantine.attach, name="quarantine_attach"),
]
