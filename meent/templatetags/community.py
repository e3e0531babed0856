"""{% community_name as name %}: the name of the request's community (its Wagtail Site's
site_name), for the header, the page title and the search label of every page.

It comes from meent.sites, which caches the request's site per host: no query per page.
"""

from django import template

from meent import sites

register = template.Library()


@register.simple_tag(takes_context=True)
def community_name(context):
    return sites.community_name(context.get("request"))
