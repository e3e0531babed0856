"""The demo's front pages: both communities, Dutch and English, built from blocks; loading the
demo again changes nothing."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Revision

from demo.loader import DemoDataError, check_front_pages, read_all
from home.models import HomePage

pytestmark = pytest.mark.django_db


def test_the_demo_builds_every_front_page_from_blocks(client, settings):
    settings.ALLOWED_HOSTS = [".localhost", "testserver", "127.0.0.1"]
    call_command("load_demo", stdout=io.StringIO(), port=8000)
    pages = HomePage.objects.select_related("locale")
    assert pages.count() == 4
    kinds = {}
    for page in pages:
        assert page.live and page.content, page
        kinds[(page.get_site() or page.get_parent()).pk, page.locale.language_code] = [
            child.block_type for child in page.content
        ]
    assert len(kinds) == 4 and all(len(blocks) >= 5 for blocks in kinds.values())
    assert {"introduction", "latest_posts", "groups", "toolbox", "links"} <= set(
        next(iter(kinds.values()))
    )
    revisions = Revision.objects.count()
    call_command("load_demo", stdout=io.StringIO(), port=8000)
    assert Revision.objects.count() == revisions  # nothing published again

    main = client.get("/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert "Welkom bij Meent" in main and "Nieuws uit de community" in main
    assert "Open source in de overheid" in main  # a highlighted group
    assert "Aanbesteding cloudwerkplek" not in main  # hidden: never on the front page
    assert "Waarom wij onze code openbaar maken" in main  # a public post
    english = client.get(
        "/", HTTP_HOST="127.0.0.1:8000", HTTP_COOKIE="meent_language=en"
    ).content.decode()
    assert "Welcome to Meent" in english and "News from the community" in english
    oost = client.get("/", HTTP_HOST="oost.localhost:8000").content.decode()
    assert "Welkom bij Regio Oost" in oost and "Dijken en water" in oost
    assert "Open source in de overheid" not in oost


def test_a_front_page_naming_another_communitys_group_is_refused():
    data = read_all()
    page = data["front_pages.yaml"]["front_pages"][1]
    bad = {**page, "blocks": [{**page["blocks"][1], "groups": ["open-source-overheid"]}]}
    broken = {**data, "front_pages.yaml": {"front_pages": [bad]}}
    with pytest.raises(DemoDataError, match="no group 'open-source-overheid' in oost.localhost"):
        check_front_pages(broken, "front_pages.yaml")
