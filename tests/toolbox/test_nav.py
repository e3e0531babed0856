"""The main navigation links to the site's toolbox, without a query per page view."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.toolbox.factories import ToolboxIndexPageFactory, ToolboxSectionPageFactory

pytestmark = pytest.mark.django_db

LINK = '<a href="/toolbox/"'


def test_no_toolbox_no_link(client, site_host):
    assert LINK not in client.get("/groups/").content.decode()


def published_toolbox():
    index = ToolboxIndexPageFactory()
    index.save_revision().publish()
    ToolboxSectionPageFactory(parent=index).save_revision().publish()
    return index


def test_an_empty_toolbox_is_not_linked_until_something_is_published_in_it(client, site_host):
    """A second community starts with an empty toolbox: a menu item to an empty page."""
    index = ToolboxIndexPageFactory()
    index.save_revision().publish()
    assert LINK not in client.get("/groups/").content.decode()
    section = ToolboxSectionPageFactory(parent=index)
    section.save_revision().publish()
    assert LINK in client.get("/groups/").content.decode()
    section.unpublish()
    assert LINK not in client.get("/groups/").content.decode()


def test_the_published_toolbox_is_linked_and_cached(client, site_host):
    published_toolbox()
    assert LINK in client.get("/groups/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/groups/").content.decode()
    assert LINK in html
    assert not [q for q in queries.captured_queries if "toolbox" in q["sql"]]
    toolbox = client.get("/toolbox/").content.decode()
    assert '<a href="/toolbox/" aria-current="page">' in toolbox


def test_an_unpublished_toolbox_is_no_longer_linked(client, site_host):
    index = published_toolbox()
    assert LINK in client.get("/groups/").content.decode()
    index.unpublish()
    assert LINK not in client.get("/groups/").content.decode()
