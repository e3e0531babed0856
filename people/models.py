"""Profile fields that the operator configures per community, and people's values for them.

A community (Wagtail Site) has its own fields (``ProfileField``): a key, a label and help text in
Dutch and English, a kind, limits, whether the directory searches it and who may see it. A
person's answer is a ``ProfileValue`` (one per person and field, plain text); the answers of a
tag field are also kept one row per tag (``ProfileTag``, normalised as names are compared: no
case, no accents, single spaces), so "who knows about DPIA?" is one query on an index.

Who sees a value is the access policy's business (people/policies.py): the field's visibility,
the person's organisation and a moderator's hiding of the profile decide, on every surface.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from meent.access import AccessQuerySet
from meent.mentions import name_key

# What a field may hold at most, per kind (a longer ``max_length`` is refused in the admin).
KIND_LIMITS = {
    "text": 200,
    "long_text": 5000,
    "tags": 1000,
    "phone": 40,
    "url": 500,
    "choice": 200,
}
MAX_TAGS = 20
TAG_LENGTH = 60


class ProfileFieldQuerySet(models.QuerySet):
    def on_site(self, site):
        """The fields of a community (``meent.sites.current_site(request)``), in their order."""
        return self.filter(site_id=site["id"] or None).order_by("order", "pk")


class ProfileField(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text (one line)")
        LONG_TEXT = "long_text", _("Long text")
        TAGS = "tags", _("Tags (expertise, languages: separated by commas)")
        PHONE = "phone", _("Phone number")
        URL = "url", _("Web address")
        CHOICE = "choice", _("Choice from a list")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone, also without signing in")
        LOGGED_IN = "logged_in", _("Everyone who is signed in")
        ORGANISATION = "organisation", _("People of the person's own organisation")

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        related_name="profile_fields",
    )
    key = models.SlugField(
        _("key"),
        max_length=50,
        help_text=_("Lower-case letters, digits and hyphens; unique in the community."),
    )
    label_nl = models.CharField(_("label (Dutch)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100)
    help_nl = models.CharField(_("help text (Dutch)"), max_length=300, blank=True)
    help_en = models.CharField(_("help text (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(
        _("choices"),
        blank=True,
        max_length=5000,
        help_text=_("For a choice from a list: one choice per line."),
    )
    max_length = models.PositiveIntegerField(
        _("maximum length"),
        default=200,
        validators=[MinValueValidator(1), MaxValueValidator(max(KIND_LIMITS.values()))],
        help_text=_("In characters. At most 200 for text, 5000 for long text, 1000 for tags."),
    )
    searchable = models.BooleanField(
        _("searchable"),
        default=True,
        help_text=_("The people directory finds people by this field (only for who may see it)."),
    )
    visibility = models.CharField(
        _("who may see it"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.LOGGED_IN,
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = ProfileFieldQuerySet.as_manager()

    class Meta:
        ordering = ["site", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "key"], name="one_profile_field_per_key")
        ]
        verbose_name = _("profile field")
        verbose_name_plural = _("profile fields")

    def __str__(self):
        return f"{self.label} ({self.site})" if self.site_id else self.label

    def save(self, *args, **kwargs):
        stored = None
        if self.pk:
            stored = ProfileField.objects.filter(pk=self.pk).values_list("kind", flat=True).first()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if stored is not None and (stored == self.Kind.TAGS) != self.is_tags:
                # Made a tag field, or no longer one: the values' tag rows follow (the values
                # stay as the people wrote them).
                for value in self.values.all():
                    value.field = self
                    value.write_tags()

    @property
    def label(self):
        """The label in the language of the page being shown."""
        return self.label_en if (get_language() or "").startswith("en") else self.label_nl

    @property
    def help(self):
        return self.help_en if (get_language() or "").startswith("en") else self.help_nl

    @property
    def is_tags(self):
        return self.kind == self.Kind.TAGS

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        limit = KIND_LIMITS.get(self.kind)
        if limit and self.max_length and self.max_length > limit:
            raise ValidationError(
                {
                    "max_length": _("A field of this kind holds at most %(limit)s characters.")
                    % {"limit": limit}
                }
            )
        if self.kind == self.Kind.CHOICE:
            options = self.choice_list()
            if len(options) < 2:
                raise ValidationError({"choices": _("Give at least two choices, one per line.")})
            if any(len(option) > self.max_length for option in options):
                raise ValidationError(
                    {"choices": _("Each choice must fit in the field's maximum length.")}
                )


class ProfileValue(models.Model):
    """A person's answer to a profile field: plain text (tags: separated by ", ")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile_values"
    )
    field = models.ForeignKey(ProfileField, on_delete=models.CASCADE, related_name="values")
    value = models.TextField(_("value"), max_length=5000)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["field__order", "field_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "field"], name="one_profile_value_per_field")
        ]
        verbose_name = _("profile value")
        verbose_name_plural = _("profile values")

    def __str__(self):
        return f"{self.field.key}: {self.value[:40]}"

    @property
    def tags(self) -> list[str]:
        return [tag for tag in self.value.split(", ") if tag] if self.field.is_tags else []

    def write_tags(self):
        """The tag rows anew: one per distinct tag of a tag field's value, none otherwise."""
        ProfileTag.objects.filter(value=self).delete()
        keys = dict.fromkeys(tag_key(tag) for tag in self.tags)
        ProfileTag.objects.bulk_create(
            ProfileTag(value=self, user_id=self.user_id, field_id=self.field_id, tag=key)
            for key in keys
            if key
        )


class ProfileTag(models.Model):
    """One tag of a tag field's value, normalised (``tag``) for finding people by it."""

    value = models.ForeignKey(ProfileValue, on_delete=models.CASCADE, related_name="tag_rows")
    # Copies of the value's person and field: "who has tag X in a field I may see" stays one
    # query on this table's index.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    field = models.ForeignKey(ProfileField, on_delete=models.CASCADE, related_name="+")
    tag = models.CharField(_("tag"), max_length=TAG_LENGTH, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["value", "tag"], name="one_profile_tag_per_value")
        ]
        indexes = [models.Index(fields=["field", "tag"], name="people_tag_field_tag")]
        verbose_name = _("profile tag")
        verbose_name_plural = _("profile tags")

    def __str__(self):
        return self.tag


def tag_key(tag: str) -> str:
    """A tag as the directory compares it: no case, no accents, single spaces; at most
    ``TAG_LENGTH`` characters (casefolding can lengthen it: "ß" is "ss")."""
    return name_key(tag)[:TAG_LENGTH]


phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-.]{4,30}[0-9]$",
    _(
        "Enter a phone number of digits, spaces and - ( ), starting with + or a digit, e.g. "
        "+31 70 123 4567."
    ),
)
