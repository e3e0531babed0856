from django import template
from django.utils.html import format_html

from themes.css import theme_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def current_theme(context):
    """The theme of this request's site (class, logo, favicon, links), from the cache."""
    return theme_for_request(context.get("request"))


@register.simple_tag(takes_context=True)
def theme_stylesheet(context):
    """The ``<link>`` to this site's theme CSS (content-hashed URL)."""
    theme = theme_for_request(context.get("request"))
    return format_html(
        '<link rel="stylesheet" href="{}" data-theme="{}">', theme["css_url"], theme["theme"]
    )
