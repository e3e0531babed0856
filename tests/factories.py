from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Organisation, OrganisationDomain, User
from groups.models import Group, Membership
from tests.helpers import activate_totp

DEFAULT_PASSWORD = "correct-horse-battery-42"


def make_moderator(user):
    """Put ``user`` in the Moderators group with two-factor sign-in set up (moderators need it:
    meent.access.is_moderator)."""
    from django.conf import settings
    from django.contrib.auth.models import Group as AuthGroup

    user.groups.add(AuthGroup.objects.get_or_create(name=settings.MEENT_MODERATORS_GROUP)[0])
    activate_totp(user)
    for cached in ("_meent_auth_group_names", "_meent_two_factor"):
        user.__dict__.pop(cached, None)
    return user


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    slug = factory.Sequence(lambda n: f"organisatie-{n}")


class OrganisationDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationDomain

    organisation = factory.SubFactory(OrganisationFactory)
    domain = factory.Sequence(lambda n: f"organisatie{n}.nl")


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a verified primary address who can sign in with DEFAULT_PASSWORD."""

    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@voorbeeld.nl")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # Faker's Dutch names hold a few index forms ("Bourgondië, van") that nobody signs with;
        # a comma ends a typed @mention, so a test that mentions people by name would miss them.
        last_name = kwargs.get("last_name")
        if isinstance(last_name, str) and "," in last_name:
            kwargs["last_name"] = last_name.split(",")[0]
        return kwargs

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Groep {n}")
    slug = factory.Sequence(lambda n: f"groep-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    user = factory.SubFactory(UserFactory)


class EventFactory(factory.django.DjangoModelFactory):
    """A group's event, a week ahead, two hours long (``group=None, site=...``: a community's)."""

    class Meta:
        model = "events.Event"

    group = factory.SubFactory(GroupFactory)
    organiser = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Bijeenkomst {n}")
    slug = factory.Sequence(lambda n: f"bijeenkomst-{n}")
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=2))
    last_ends_at = factory.LazyAttribute(lambda event: event.ends_at)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Attendance"

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(UserFactory)
    status = "going"
