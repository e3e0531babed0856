"""{% toolbox_url as href %}: the address of this site's toolbox for the main navigation.

Every page shows the link, so the address comes from the cache: no query per page view. A
toolbox page that is published, unpublished, moved or deleted bumps a version number that is
part of the cache key, so the link follows at once. A community whose toolbox has nothing
published in it yet shows no link: a menu item that leads to an empty page is a dead end.
"""

from django import template
from django.core.cache import cache
from django.db.models.signals import post_delete
from wagtail.models import Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from meent import generations
from toolbox.decisions.models import DecisionAidPage
from toolbox.models import ToolboxArticlePage, ToolboxIndexPage, ToolboxSectionPage
from toolbox.publiccode.models import PublicCodeToolPage

register = template.Library()
VERSION_KEY = "toolbox:nav:version"
TIMEOUT = 3600


def _forget(**kwargs):
    generations.bump_now_and_on_commit(VERSION_KEY)


TOOLBOX_PAGES = (
    ToolboxIndexPage,
    ToolboxSectionPage,
    ToolboxArticlePage,
    DecisionAidPage,
    PublicCodeToolPage,
)
for _model in TOOLBOX_PAGES:
    for _signal in (page_published, page_unpublished, post_delete):
        _signal.connect(
            _forget, sender=_model, dispatch_uid=f"toolbox:nav:{_model.__name__}:{id(_signal)}"
        )
post_page_move.connect(_forget, dispatch_uid="toolbox:nav:moved")


def toolbox_url_for(request) -> str:
    version = generations.current(VERSION_KEY)
    key = f"toolbox:nav:{version}:{request.get_host()}"
    url = cache.get(key)
    if url is None:
        site = Site.find_for_request(request)
        index = None
        if site is not None:
            index = (
                ToolboxIndexPage.objects.live()
                .descendant_of(site.root_page)
                .filter(locale_id=site.root_page.locale_id)
                .first()
            )
        has_content = index is not None and index.get_children().live().exists()
        url = (index.get_url(request) or "") if has_content else ""
        cache.set(key, url, TIMEOUT)
    return url


@register.simple_tag(takes_context=True)
def toolbox_url(context):
    request = context.get("request")
    return toolbox_url_for(request) if request is not None else ""
