from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
    inline = theme.get("inline_css")
    if inline is not None:
        # A preview of unsaved settings (admin only). Every value passed the token validators,
        # which refuse < and >, so the CSS cannot close the style element; checked again here.
        if "<" in inline or ">" in inline:
            return ""
        return mark_safe(f'<style data-theme-preview="{theme["theme"]}">\n{inline}</style>')  # noqa: S308
    return format_html(
        '<link rel="stylesheet" href="{}" data-theme="{}">', theme["css_url"], theme["theme"]
    )
