"""``{% rich_text_assets %}``: the rich-text editor's stylesheet, script and translated words.

Put it once on a page that has a ``<textarea data-rich-text>`` (see meent/editor.py).
"""

from django import template

from meent.editor import rich_text_strings

register = template.Library()


@register.inclusion_tag("meent/includes/rich_text_assets.html")
def rich_text_assets():
    return {"rich_text_strings": rich_text_strings()}
