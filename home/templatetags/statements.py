"""{% statement_links as links %}: the community's privacy and accessibility statements, for the
footer of every page.

Every page shows them, so they come from the cache (per host name and generation); publishing,
unpublishing, moving or deleting a statement bumps the generation.
"""

from django import template
from django.core.cache import cache
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.models import AccessibilityStatementPage, PrivacyStatementPage
from meent import generations

register = template.Library()
GENERATION_KEY = "statements:generation"
TIMEOUT = 3600
KINDS = (
    (PrivacyStatementPage, "privacy", _("Privacy statement")),
    (AccessibilityStatementPage, "accessibility", _("Accessibility statement")),
)


def _forget(**kwargs):
    generations.bump_now_and_on_commit(GENERATION_KEY)


for _model, _kind, _label in KINDS:
    for _signal in (page_published, page_unpublished, post_delete):
        _signal.connect(_forget, sender=_model, dispatch_uid=f"statements:{_kind}:{id(_signal)}")
post_page_move.connect(_forget, dispatch_uid="statements:moved")


def statement_urls(request):
    """{kind: url} of the live statements under the request's site, from the cache."""
    key = f"statements:{generations.current(GENERATION_KEY)}:{request.get_host()}"
    urls = cache.get(key)
    if urls is None:
        urls = {}
        site = Site.find_for_request(request)
        if site is not None:
            for model, kind, _label in KINDS:
                page = (
                    model.objects.live()
                    .public()
                    .child_of(site.root_page)
                    .filter(locale_id=site.root_page.locale_id)
                    .first()
                )
                if page is not None:
                    urls[kind] = page.get_url(request) or ""
        cache.set(key, urls, TIMEOUT)
    return urls


@register.simple_tag(takes_context=True)
def statement_links(context):
    request = context.get("request")
    if request is None:
        return []
    urls = statement_urls(request)
    return [{"url": urls[kind], "label": label} for _m, kind, label in KINDS if urls.get(kind)]
