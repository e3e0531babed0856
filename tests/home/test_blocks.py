"""Each block of the front page renders, for anonymous visitors and signed-in people, and shows
only what the reader may see of the page's own community."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.blocks import StreamValue
from wagtail.documents import get_document_model
from wagtail.models import Collection

from home.blocks import FrontPageBlock, VideoBlock
from home.models import HomePage
from tests.factories import MembershipFactory, UserFactory
from tests.home.helpers import block, post, set_blocks
from tests.toolbox.factories import ToolboxArticlePageFactory, ToolboxIndexPageFactory

pytestmark = pytest.mark.django_db

INTRO = {
    "heading": "Welkom bij Meent",
    "text": "Samenwerken over grenzen.",
    "button_label": "Meld je aan",
    "button_target": "sign_up",
    "button_page": None,
    "button_url": "",
}


def html_of(client, url="/", **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_introduction_offers_sign_up_to_visitors_only(client, front):
    set_blocks(front["home"], [block("introduction", INTRO)])
    html = html_of(client)
    assert "Welkom bij Meent" in html and "Samenwerken over grenzen." in html
    assert f'href="{reverse("account_signup")}">Meld je aan</a>' in html
    # The page's own call to action replaces the generic pair of buttons.
    assert "Sign up with your work e-mail" not in html and "Meld je aan met je werkmail" not in html
    client.force_login(UserFactory())
    html = html_of(client)
    assert "Welkom bij Meent" in html and "Meld je aan</a>" not in html
    assert 'id="my-groups-heading"' in html  # the signed-in part, before the blocks
    assert html.index('id="my-groups-heading"') < html.index("Welkom bij Meent")


def test_introduction_button_to_a_page_or_an_address(client, front):
    index = ToolboxIndexPageFactory(parent=front["home"])
    to_page = {**INTRO, "button_label": "Naar de toolbox", "button_target": "page"}
    to_page["button_page"] = index.pk
    to_url = {**INTRO, "button_label": "Lees meer", "button_target": "url"}
    to_url["button_url"] = "https://www.example.org/meer"
    set_blocks(front["home"], [block("introduction", to_page), block("introduction", to_url)])
    client.force_login(UserFactory())
    html = html_of(client)
    assert f'href="{index.relative_url(front["site"])}">Naar de toolbox</a>' in html
    assert 'href="https://www.example.org/meer">Lees meer</a>' in html


def test_a_page_without_blocks_keeps_the_two_buttons(client, front):
    html = html_of(client, HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign up with your work e-mail" in html and reverse("account_login") in html


def test_highlighted_groups_show_only_what_the_reader_may_see(client, front):
    chosen = [front[name].pk for name in ("open", "closed", "hidden", "elsewhere")]
    value = {"heading": "Doe mee", "text": "Groepen", "groups": [str(pk) for pk in chosen]}
    set_blocks(front["home"], [block("groups", value)], clean=False)
    html = html_of(client)
    assert "Open data" in html and "Besloten team" in html  # listed groups, also closed ones
    assert "Geheim overleg" not in html  # hidden: never shown to outsiders
    assert "Dijken en water" not in html  # another community's: dropped
    member = UserFactory()
    MembershipFactory(group=front["hidden"], user=member)
    client.force_login(member)
    html = html_of(client)
    assert (
        html.count("Geheim overleg") >= 1
    )  # its members know it (in the blocks and "Your groups")
    assert "Dijken en water" not in html


def test_hidden_groups_cannot_be_chosen(front):
    from home.blocks import group_choices

    names = [label for _pk, label in group_choices()]
    assert any(label.startswith("Open data") for label in names)
    assert not any(label.startswith("Geheim overleg") for label in names)


def test_latest_posts_show_published_readable_posts_of_this_community(client, front):
    author, site = front["author"], front["site"]
    post("Openbaar bericht", author=author, site=site)
    post("Groepsbericht", author=author, group=front["open"])
    post("Besloten bericht", author=author, group=front["closed"])
    post("Alleen ingelogd", author=author, site=site, visibility="logged_in")
    post("Concept", author=author, site=site, days_ago=None)
    post("Gepland", author=author, site=site, days_ago=-3)
    post("Verborgen", author=author, site=site, hidden_at=timezone.now())
    post("Van Oost", author=author, site=front["other_site"])
    post("Oost groep", author=author, group=front["elsewhere"])
    set_blocks(front["home"], [block("latest_posts", {"heading": "Nieuws", "count": 12})])
    html = html_of(client)
    assert "Openbaar bericht" in html and "Groepsbericht" in html
    for title in ("Besloten bericht", "Alleen ingelogd", "Concept", "Gepland", "Verborgen"):
        assert title not in html, title
    assert "Van Oost" not in html and "Oost groep" not in html
    client.force_login(UserFactory())
    html = html_of(client)
    assert "Alleen ingelogd" in html and "Besloten bericht" not in html and "Concept" not in html


def test_latest_posts_keep_to_the_count(client, front):
    for number in range(5):
        post(f"Bericht {number}", author=front["author"], site=front["site"], days_ago=number + 1)
    set_blocks(front["home"], [block("latest_posts", {"heading": "Nieuws", "count": 2})])
    html = html_of(client)
    assert "Bericht 0" in html and "Bericht 1" in html and "Bericht 2" not in html


def test_the_other_community_shows_its_own_posts(client, front, settings):
    settings.ALLOWED_HOSTS = ["testserver", "oost.localhost"]
    post("Van Oost", author=front["author"], site=front["other_site"])
    post("Van Meent", author=front["author"], site=front["site"])
    set_blocks(front["other_home"], [block("latest_posts", {"heading": "Nieuws", "count": 5})])
    html = html_of(client, HTTP_HOST="oost.localhost")
    assert "Van Oost" in html and "Van Meent" not in html


def test_toolbox_teaser_newest_articles_and_chosen_pages(client, front):
    index = ToolboxIndexPageFactory(parent=front["home"])
    first = ToolboxArticlePageFactory(title="Eerste artikel")
    ToolboxArticlePageFactory(title="Tweede artikel")
    draft = ToolboxArticlePageFactory(title="Concept artikel", live=False)
    value = {"heading": "Uit de toolbox", "text": "Hulp", "pages": [], "newest": 1}
    set_blocks(front["home"], [block("toolbox", value)])
    html = html_of(client)
    assert "Tweede artikel" in html and "Eerste artikel" not in html  # the newest one
    assert f'href="{index.relative_url(front["site"])}"' in html
    value = {**value, "pages": [first.pk, draft.pk]}
    set_blocks(front["home"], [block("toolbox", value)])
    html = html_of(client)
    assert "Eerste artikel" in html and "Concept artikel" not in html and "Tweede" not in html


def test_toolbox_teaser_follows_the_english_locale(client, front):
    from wagtail.models import Locale

    ToolboxIndexPageFactory(parent=front["home"])
    article = ToolboxArticlePageFactory(title="Een licentie kiezen")
    english = Locale.objects.get(language_code="en")
    home_en = front["home"].get_translation_or_none(english) or front["home"].copy_for_translation(
        english
    )
    home_en.save_revision().publish()
    translated = article.copy_for_translation(english, copy_parents=True)
    translated.title = "Choosing a licence"
    translated.save_revision().publish()
    value = {"heading": "From the toolbox", "text": "", "pages": [article.pk], "newest": 3}
    set_blocks(HomePage.objects.get(pk=home_en.pk), [block("toolbox", value)])
    html = html_of(client, HTTP_ACCEPT_LANGUAGE="en", HTTP_COOKIE="meent_language=en")
    assert "From the toolbox" in html and "Choosing a licence" in html
    assert "Een licentie kiezen" not in html


def video(**value):
    return {
        "title": "Zo werkt het",
        "document": None,
        "url": "https://video.example.org/intro.mp4",
        "captions": "https://video.example.org/intro.nl.vtt",
        "captions_language": "nl",
        "transcript": "<p>Welkom bij de community.</p>",
        **value,
    }


def test_video_renders_a_player_captions_and_the_transcript(client, front):
    set_blocks(front["home"], [block("video", video())])
    html = html_of(client)
    assert "<video" in html and "controls" in html
    assert 'src="https://video.example.org/intro.mp4" type="video/mp4"' in html
    assert (
        '<track kind="captions" src="https://video.example.org/intro.nl.vtt" srclang="nl"' in html
    )
    assert "<details" in html and "Welkom bij de community." in html
    assert "<iframe" not in html


def _clean_video(**value):
    stream = FrontPageBlock()
    return stream.clean(StreamValue(stream, [block("video", video(**value))], is_lazy=True))


def test_a_video_without_a_transcript_is_refused_with_a_message():
    with translation.override("en"):
        for empty in ("", "<p></p>", "<p> &nbsp; </p>"):
            with pytest.raises(ValidationError) as caught:
                _clean_video(transcript=empty)
            assert "A video needs a transcript." in str(caught.value.block_errors[0].as_json_data())
    assert _clean_video()  # with one it is fine


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "http://video.example.org/a.mp4", "ftp://x.example/a.mp4"]
)
def test_a_video_address_must_be_https(url):
    with pytest.raises(ValidationError):
        _clean_video(url=url)


def test_a_video_needs_a_file_or_an_address():
    with pytest.raises(ValidationError):
        _clean_video(url="")


def test_a_video_document_must_be_a_video(front):
    from django.core.files.base import ContentFile

    Document = get_document_model()
    root = Collection.get_first_root_node()
    pdf = Document.objects.create(
        title="Geen video", collection=root, file=ContentFile(b"%PDF-1.4", name="geen.pdf")
    )
    with pytest.raises(ValidationError):
        _clean_video(url="", document=pdf.pk)
    movie = Document.objects.create(
        title="Intro", collection=root, file=ContentFile(b"\x00\x00\x00 ftyp", name="intro.mp4")
    )
    assert _clean_video(url="", document=movie.pk)
    assert VideoBlock.video_type("intro.WEBM") == "video/webm"


def test_rich_text_and_links(client, front):
    index = ToolboxIndexPageFactory(parent=front["home"])
    links = {
        "heading": "Contact",
        "links": [
            {"label": "Naar de toolbox", "page": index.pk, "url": ""},
            {"label": "Mail ons", "page": None, "url": "https://www.example.org/contact"},
            {"label": "Zoeken", "page": None, "url": "/search/"},
        ],
    }
    set_blocks(
        front["home"],
        [
            block("rich_text", "<h2>Over ons</h2><p>Wij zijn <b>Meent</b>.</p>"),
            block("links", links),
        ],
    )
    html = html_of(client)
    assert "<h2>Over ons</h2>" in html and "<b>Meent</b>" in html
    assert f'<a href="{index.relative_url(front["site"])}">Naar de toolbox</a>' in html
    assert '<a href="https://www.example.org/contact">Mail ons</a>' in html
    assert '<a href="/search/">Zoeken</a>' in html


def test_a_link_needs_a_page_or_an_address_and_a_safe_one():
    stream = FrontPageBlock()
    for bad in ({"page": None, "url": ""}, {"page": None, "url": "javascript:alert(1)"}):
        value = {"heading": "Contact", "links": [{"label": "X", **bad}]}
        with pytest.raises(ValidationError):
            stream.clean(StreamValue(stream, [block("links", value)], is_lazy=True))


def test_every_block_has_a_template_icon_description_and_preview():
    for name, child in FrontPageBlock().child_blocks.items():
        meta = child.meta
        assert meta.template.startswith("home/blocks/"), name
        assert meta.icon and meta.description and meta.preview_value, name
        assert child.is_previewable, name


@pytest.mark.parametrize("kind", list(FrontPageBlock.base_blocks))
def test_every_block_preview_renders_its_preview_value(rf, front, kind):
    """What the block picker shows (the preview template around the preview value)."""
    from django.template.loader import render_to_string

    child = FrontPageBlock().child_blocks[kind]
    value = child.get_preview_value()
    request = rf.get("/")
    request.user = UserFactory()
    html = render_to_string(
        child.get_preview_template(value),
        {
            "request": request,
            "block_def": child,
            "bound_block": child.bind(value),
            "page_title": "preview",
        },
    )
    assert "front-" in html
    expected = {
        "introduction": "Welkom bij de community",
        "groups": "Doe mee",
        "latest_posts": "Nieuws",
        "toolbox": "Uit de toolbox",
        "video": "Zo werkt de community",
        "rich_text": "Over deze community",
        "links": "Stuur ons een e-mail",
    }[kind]
    assert expected in html
