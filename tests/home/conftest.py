"""A community's front page with blocks, a second community, groups and posts."""

import pytest
from wagtail.models import Site

from communities.services import NewCommunity, create_community
from groups.models import Group
from home.models import HomePage
from tests.factories import GroupFactory, UserFactory


@pytest.fixture
def front(db, site_host):
    """The default community's home page (served at testserver), a second community, groups of
    both, and a few people."""
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    other_site = create_community(NewCommunity(name="Regio Oost", hostname="oost.localhost"))
    open_group = GroupFactory(name="Open data", slug="open-data", content_default="open", site=site)
    closed = GroupFactory(
        name="Besloten team", slug="besloten", content_default="members", site=site
    )
    hidden = GroupFactory(
        name="Geheim overleg", slug="geheim", visibility=Group.Visibility.HIDDEN, site=site
    )
    elsewhere = GroupFactory(
        name="Dijken en water", slug="dijken", content_default="open", site=other_site
    )
    author = UserFactory(first_name="Anna", last_name="Jansen")
    return {
        "site": site,
        "home": home,
        "other_site": other_site,
        "other_home": other_site.root_page.specific,
        "open": open_group,
        "closed": closed,
        "hidden": hidden,
        "elsewhere": elsewhere,
        "author": author,
    }
