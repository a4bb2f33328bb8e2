"""What intake keeps: the idempotency keys of the requests that created something."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A creation asked once, however often it is retried: its key, who sent it, a fingerprint
    of the request and the response it got (``parvis.intake.idempotency``).

    The row is inserted in the very transaction that creates the ticket or the message: it
    exists if and only if that creation committed. It is kept ``PARVIS_IDEMPOTENCY_KEY_HOURS``.
    """

    scope = models.CharField(
        _("émetteur"),
        max_length=40,
        help_text=_("« user:42 » pour l'application d'un agent, « portal » pour le portail."),
    )
    key = models.CharField(_("clé"), max_length=255)
    fingerprint = models.CharField(_("empreinte SHA-256 de la requête"), max_length=64)
    # Empty until the creation returns, in the same transaction: no other request sees it so.
    response_status = models.PositiveSmallIntegerField(_("code de la réponse"), null=True)
    response_body = models.JSONField(_("corps de la réponse"), null=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("clé d'idempotence")
        verbose_name_plural = _("clés d'idempotence")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="intake_idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
