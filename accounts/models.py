import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from meent.files import PrivateImageField

domain_validator = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    _("Enter a domain name such as minbzk.nl, in lower case, without @ or http://."),
)


class Organisation(ClusterableModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    @classmethod
    def for_email(cls, email: str):
        """The organisation that owns the domain of an e-mail address, or None."""
        domain = email.rpartition("@")[2].strip().lower()
        if not domain:
            return None
        return cls.objects.filter(domains__domain=domain).first()


class OrganisationDomain(models.Model):
    organisation = ParentalKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="domains",
        verbose_name=_("organisation"),
    )
    domain = models.CharField(
        _("e-mail domain"),
        max_length=253,
        unique=True,
        validators=[domain_validator],
        error_messages={
            "unique": _(
                "Another organisation has this e-mail domain already. A domain belongs to one "
                "organisation: remove it there first, or merge the two organisations."
            )
        },
    )

    class Meta:
        ordering = ["domain"]
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower()
        super().save(*args, **kwargs)


class OrganisationSignIn(models.Model):
    """An organisation's own sign-in: its OpenID Connect identity provider (accounts/oidc.py).

    People whose address is in one of the organisation's domains may sign in there (and, when
    ``required``, only there). The client secret is stored as allauth stores a SocialApp's: as
    given, in the database; it is never shown back in full and never logged.
    """

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="sign_in",
        verbose_name=_("organisation"),
    )
    issuer = models.URLField(
        _("issuer"),
        max_length=500,
        help_text=_(
            "The identity provider's address, as its discovery document names it, e.g. "
            "https://login.example.nl/realms/staff (Meent reads "
            "/.well-known/openid-configuration under it)."
        ),
    )
    client_id = models.CharField(_("client ID"), max_length=191)
    # allauth's SocialApp.secret: the same length, stored the same way.
    client_secret = models.CharField(_("client secret"), max_length=191)
    enabled = models.BooleanField(
        _("enabled"),
        default=True,
        help_text=_("Off: the button is gone and sign-ins that were under way are refused."),
    )
    required = models.BooleanField(
        _("required for its domains"),
        default=False,
        help_text=_(
            "People with an address in the organisation's domains cannot sign in, sign up or "
            "reset a password with a password: they sign in here."
        ),
    )

    class Meta:
        verbose_name = _("organisation sign-in")
        verbose_name_plural = _("organisation sign-ins")

    def __str__(self):
        return str(self.organisation)

    @property
    def masked_secret(self) -> str:
        """What the admin shows of the secret: enough to recognise it, never all of it."""
        secret = self.client_secret
        if not secret:
            return ""
        # The last four characters only of a secret long enough to keep its strength without them.
        return "\u2022" * 8 + (secret[-4:] if len(secret) >= 16 else "")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def avatar_path(instance, filename):
    # Where pictures were stored before they moved under private/ (migration 0001 names it).
    return f"avatars/{instance.pk or 'new'}/{filename}"


# A suspension for good is stored as one until SUSPENDED_FOREVER; any end from
# SUSPENDED_FOR_GOOD_FROM on (far beyond a real date) counts as for good.
SUSPENDED_FOREVER = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)
SUSPENDED_FOR_GOOD_FROM = datetime.datetime(9000, 1, 1, tzinfo=datetime.UTC)


def is_for_good(until) -> bool:
    """Whether a suspension ending at ``until`` is one for good."""
    return until is not None and until >= SUSPENDED_FOR_GOOD_FROM


class User(AbstractUser):
    """A person. The e-mail address is the login name; there is no username."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    about = models.TextField(_("about"), blank=True, max_length=5000)
    # Served only as policies.may_see_picture says (meent/files.py, person_picture in
    # config/urls.py).
    avatar = PrivateImageField(_("avatar"), folder="avatars", url_name="person_picture", blank=True)
    avatar_alt = models.CharField(_("avatar description"), max_length=200, blank=True)
    suspended_until = models.DateTimeField(
        _("suspended until"),
        null=True,
        blank=True,
        help_text=_("A suspended person cannot sign in or take part. Empty: not suspended."),
    )
    # A moderator hid the profile's own words and picture (about, job title, avatar).
    profile_hidden_at = models.DateTimeField(
        _("profile hidden at"), null=True, blank=True, editable=False
    )
    # What reaches the person away from a page (e-mails, notifications rendered later) is in
    # this language: the one they last chose with the language switcher, else their browser's
    # when they signed up (accounts/language.py). Empty: the community's default.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True, editable=False
    )

    # "first last" as @mentions compare names (meent/mentions.py name_key), kept by save().
    mention_key = models.CharField(max_length=301, blank=True, editable=False, db_index=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        from meent.mentions import name_key

        self.mention_key = name_key(f"{self.first_name} {self.last_name}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "mention_key"}
        super().save(*args, **kwargs)

    @property
    def display_name(self):
        return self.get_full_name() or self.email.partition("@")[0]

    def get_absolute_url(self):
        return reverse("accounts:profile", args=[self.pk])

    @property
    def avatar_url(self):
        """The picture's address (no query), or "" without a picture."""
        return self.avatar.url if self.avatar else ""

    def assign_organisation_from_email(self, email: str, *, save=True):
        """Place the person in the organisation that owns the domain of a verified address.

        An organisation that an administrator set by hand is kept when the domain is unknown.
        """
        organisation = Organisation.for_email(email)
        if organisation is not None and organisation.pk != self.organisation_id:
            self.organisation = organisation
            if save:
                self.save(update_fields=["organisation"])
        return self.organisation

    @property
    def preferred_language(self) -> str:
        """The language to write to this person in (e-mails, notifications outside a page)."""
        if self.language in dict(settings.LANGUAGES):
            return self.language
        return settings.LANGUAGE_CODE

    @property
    def is_suspended(self):
        return self.suspended_until is not None and self.suspended_until > timezone.now()
