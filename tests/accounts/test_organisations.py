import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organisation, OrganisationDomain
from tests.factories import OrganisationDomainFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_domain_lookup_is_case_insensitive():
    domain = OrganisationDomainFactory(domain="MinBZK.nl")
    assert OrganisationDomain.objects.get().domain == "minbzk.nl"
    assert Organisation.for_email("iemand@MINBZK.NL") == domain.organisation
    assert Organisation.for_email("iemand@sub.minbzk.nl") is None
    assert Organisation.for_email("geen-adres") is None


@pytest.mark.parametrize(
    "bad", ["@minbzk.nl", "https://minbzk.nl", "minbzk", "min bzk.nl", "a@b.nl"]
)
def test_malformed_domains_are_refused(bad):
    domain = OrganisationDomain(organisation=OrganisationDomainFactory().organisation, domain=bad)
    with pytest.raises(ValidationError):
        domain.full_clean()


def test_admin_set_organisation_is_kept_for_unknown_domain():
    person = UserFactory(email="iemand@onbekend.example")
    organisation = OrganisationDomainFactory(domain="minbzk.nl").organisation
    person.organisation = organisation
    person.save()
    person.assign_organisation_from_email("iemand@onbekend.example")
    person.refresh_from_db()
    assert person.organisation == organisation
