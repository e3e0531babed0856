from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Mention(models.Model):
    """A person named in something written (a post, a comment, a chat message, a wiki page):
    the person, not the text that named them. Written by ``services.record`` when the text is
    saved; ``notified_at`` says when the person was told (or found not to be allowed to read it),
    so nobody is told twice about the same mention."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentions",
        verbose_name=_("person"),
        db_index=False,  # the named index below
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    notified_at = models.DateTimeField(_("told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "person"], name="one_mention_per_item"
            )
        ]
        indexes = [models.Index(fields=["person"], name="mention_person")]

    def __str__(self):
        return f"{self.person_id} @ {self.content_type_id}:{self.object_id}"
