"""Adding a community: a Wagtail Site with its own host name, home page (Dutch and English) and
toolbox. People and organisations are shared by every community of the installation; groups
are made on a community's own host and belong to it."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http.request import validate_host
from django.utils.text import slugify
from wagtail.models import Locale, Page, Site

from home.models import HomePage
from home.statements import ensure_statements
from toolbox.models import ToolboxIndexPage
from toolbox.roles import ensure_toolbox_roles


@dataclass
class NewCommunity:
    name: str
    hostname: str
    port: int = 443
    introduction: str = ""


def _free_slug(parent, base):
    slug, number = base, 1
    taken = set(parent.get_children().values_list("slug", flat=True))
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _publish(page):
    page.save_revision().publish()
    return page


def _with_english(page, title, **fields):
    """Publish ``page`` and its English translation (same URL, served in English to people who
    chose English), as the default site's pages are."""
    _publish(page)
    english = Locale.objects.filter(language_code="en").first()
    if english is None or page.locale_id == english.pk:
        return page
    translation = page.get_translation_or_none(english)
    if translation is None:
        translation = page.copy_for_translation(english)
        translation.title = title
        for name, value in fields.items():
            setattr(translation, name, value)
        _publish(translation)
    return page


def create_community(new: NewCommunity) -> Site:
    """The Site, its home page and its toolbox, in one transaction (all or nothing)."""
    with transaction.atomic():
        root = Page.get_first_root_node()
        home = HomePage(
            title=new.name,
            slug=_free_slug(root, slugify(new.hostname.replace(".", "-"))[:50] or "community"),
            introduction=new.introduction,
        )
        root.add_child(instance=home)
        _with_english(home, new.name, introduction=new.introduction)
        toolbox = ToolboxIndexPage(title="Toolbox", slug="toolbox")
        home.add_child(instance=toolbox)
        _with_english(toolbox, "Toolbox")
        ensure_statements(home)  # starter texts; the operator adapts them
        site = Site.objects.create(
            hostname=new.hostname,
            port=new.port,
            site_name=new.name,
            root_page=home,
            is_default_site=False,
        )
        for index in toolbox.get_translations(inclusive=True):  # Dutch and English
            ensure_toolbox_roles(index.specific)
    return site


def host_is_allowed(hostname):
    """Whether Django will answer requests for this host name (ALLOWED_HOSTS)."""
    return validate_host(hostname, settings.ALLOWED_HOSTS)
