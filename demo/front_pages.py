"""The demo's front pages (``demo/content/front_pages.yaml``): every community's home page and
its English translation built from the blocks of home/blocks.py.

``load_front_pages(data)`` fills a front page that has no blocks yet and publishes it; one that
has blocks (loaded before, or changed by a community manager since) is left alone, so running
``load_demo`` again changes nothing. Block ids are derived from the community, language and
position, so a page loaded twice from scratch is the same page.
"""

from wagtail.models import Locale, Site

from demo.loader import EN, LANGUAGES, NL, block_id, pick
from groups.models import Group
from home.models import HomePage
from toolbox.models import ToolboxIndexPage


def _site(community):
    if community == "main":
        return Site.objects.get(is_default_site=True)
    return Site.objects.get(hostname=community)


def _block(spec, lang, home, bid):
    kind = spec["type"]
    if kind == "introduction":
        value = {
            "heading": pick(spec["heading"], lang),
            "text": pick(spec["text"], lang),
            "button_label": pick(spec["button"], lang),
            "button_target": "sign_up",
            "button_page": None,
            "button_url": "",
        }
    elif kind == "latest_posts":
        value = {"heading": pick(spec["heading"], lang), "count": spec["count"]}
    elif kind == "groups":
        ids = dict(Group.objects.filter(slug__in=spec["groups"]).values_list("slug", "pk"))
        value = {
            "heading": pick(spec["heading"], lang),
            "text": pick(spec["text"], lang),
            "groups": [str(ids[slug]) for slug in spec["groups"] if slug in ids],
        }
    elif kind == "toolbox":
        value = {
            "heading": pick(spec["heading"], lang),
            "text": pick(spec["text"], lang),
            "pages": [],
            "newest": spec["newest"],
        }
    elif kind == "text":
        kind, value = "rich_text", pick(spec["html"], lang)
    else:  # links
        toolbox = ToolboxIndexPage.objects.child_of(home).first()
        value = {
            "heading": pick(spec["heading"], lang),
            "links": [
                {
                    "label": pick(link["label"], lang),
                    "page": toolbox.pk if link.get("page") == "toolbox" and toolbox else None,
                    "url": link.get("url", ""),
                }
                for link in spec["links"]
                if link.get("url") or toolbox
            ],
        }
    return {"type": kind, "value": value, "id": bid}


def load_front_pages(data) -> int:
    """Fill the empty front pages of ``data["front_pages.yaml"]``; the number filled."""
    english = Locale.objects.filter(language_code=EN).first()
    filled = 0
    for spec in data["front_pages.yaml"]["front_pages"]:
        home = _site(spec["community"]).root_page.specific
        pages = {NL: home}
        if english is not None:
            translation = home.get_translation_or_none(english)
            if translation is not None:
                pages[EN] = translation.specific
        for lang in LANGUAGES:
            page = pages.get(lang)
            if not isinstance(page, HomePage) or page.content:
                continue
            page.content = [
                _block(block, lang, page, block_id("front", spec["community"], lang, n))
                for n, block in enumerate(spec["blocks"])
            ]
            page.save_revision().publish()
            filled += 1
    return filled
