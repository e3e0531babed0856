"""The toolbox pages of `make bench`: an article of 40 blocks and the index with 200 articles.

``seed()`` runs in the pages part's process after ``load_demo`` (the demo toolbox) and before
the query counts and the server: it adds generated articles to the demo toolbox's sections until the
index lists ``INDEX_ARTICLES``, and one article of ``ARTICLE_BLOCKS`` blocks of every kind (with
documents and links to other articles), and returns the paths to measure. Issue 8 asks that both
render in a constant number of queries; the query table of the pages part shows it.
"""

ARTICLE_BLOCKS = 40
INDEX_ARTICLES = 200
ARTICLE_SLUG = "bench-veertig-blokken"


def seed():
    import django

    django.setup()

    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from tests.toolbox.factories import DocumentFactory, article_body, cached_embed
    from toolbox.models import ToolboxArticlePage, ToolboxIndexPage, ToolboxSectionPage

    dutch = Locale.objects.get(language_code="nl")
    index = ToolboxIndexPage.objects.filter(locale=dutch).first()
    if index is None:
        raise RuntimeError("load_demo made no toolbox (demo/content/toolbox/)")
    sections = list(ToolboxSectionPage.objects.child_of(index).order_by("path"))
    now = timezone.now()
    with transaction.atomic():
        article = ToolboxArticlePage.objects.filter(slug=ARTICLE_SLUG).first()
        if article is None:
            cached_embed()
            documents = [DocumentFactory() for _ in range(4)]
            linked = list(ToolboxArticlePage.objects.filter(locale=dutch)[:4])
            article = sections[0].add_child(
                instance=ToolboxArticlePage(
                    title="Veertig blokken",
                    slug=ARTICLE_SLUG,
                    summary="Een lang artikel met elk soort blok, voor de benchmark.",
                    body=article_body(ARTICLE_BLOCKS, documents=documents, pages=linked),
                    owner_team="Benchmark",
                    last_reviewed=now.date(),
                    first_published_at=now,
                    last_published_at=now,
                )
            )
        existing = ToolboxArticlePage.objects.descendant_of(index).count()
        for number in range(existing, INDEX_ARTICLES):
            section = sections[number % len(sections)]
            section.add_child(
                instance=ToolboxArticlePage(
                    title=f"Gegenereerd artikel {number}",
                    slug=f"bench-artikel-{number}",
                    summary="Een artikel om de lijst te vullen.",
                    body=article_body(6),
                    first_published_at=now,
                    last_published_at=now,
                )
            )
    # Paths, not URLs: with a second community (demo/content) Wagtail's ``url`` is absolute.
    site = index.get_site()
    return {
        "toolbox index": index.relative_url(site),
        f"toolbox article ({ARTICLE_BLOCKS} blocks)": article.relative_url(site),
    }
