"""Factories for the toolbox: index, sections, articles with a realistic body, topics.

Article bodies are written as the JSON Wagtail stores (each block and list item with its id), so
tests know the ids of checklist items and can build bodies of any length (``article_body``).
"""

import uuid

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.models import Collection

from home.models import HomePage
from toolbox.models import (
    Phase,
    ToolboxArticlePage,
    ToolboxIndexPage,
    ToolboxSectionPage,
    ToolboxTopic,
)

VIDEO_URL = "https://video.example.org/w/open-source-in-vijf-minuten"
PDF_BYTES = b"%PDF-1.4\n% Meent toolbox test document\n" + b"0" * 2000


def new_id() -> str:
    return str(uuid.uuid4())


def block(kind, value, block_id=None):
    return {"type": kind, "value": value, "id": block_id or new_id()}


def item(value, item_id=None):
    return {"type": "item", "value": value, "id": item_id or new_id()}


def checklist(title, items):
    """A checklist block; ``items`` are texts or (id, text) pairs."""
    children = [item(text) if isinstance(text, str) else item(text[1], text[0]) for text in items]
    return block("checklist", {"title": title, "items": children})


def cached_embed(url=VIDEO_URL, title="Open source in vijf minuten"):
    """The embed of ``url`` as Wagtail caches it, so that no page ever fetches it (no network)."""
    embed, _ = Embed.objects.update_or_create(
        hash=get_embed_hash(url),
        defaults={
            "url": url,
            "type": "video",
            "html": (
                f'<iframe title="{title}" src="https://video.example.org/videos/embed/1" '
                'width="560" height="315" allowfullscreen></iframe>'
            ),
            "title": title,
            "provider_name": "Voorbeeld Video",
            "width": 560,
            "height": 315,
        },
    )
    return embed


def block_of_kind(kind, number, document=None, page=None, video_url=VIDEO_URL):
    """One block of each kind, with realistic Dutch content; ``number`` keeps texts apart."""
    if kind == "text":
        return block(
            "text",
            f"<p>Alinea {number}: open source betekent dat iedereen de broncode mag "
            "<b>inzien</b>, gebruiken, aanpassen en delen.</p>",
        )
    if kind == "heading":
        return block("heading", {"text": f"Stap {number}: de keuze maken", "level": "h2"})
    if kind == "callout":
        return block(
            "callout",
            {
                "kind": ["tip", "warning", "law"][number % 3],
                "title": f"Let op {number}",
                "text": "<p>Vraag je jurist vroeg om mee te lezen.</p>",
            },
        )
    if kind == "checklist":
        return checklist(
            f"Controlelijst {number}",
            ["Licentie gekozen", "Geen geheimen in de code", "README geschreven"],
        )
    if kind == "steps":
        return block(
            "steps",
            {
                "title": f"Zo begin je ({number})",
                "steps": [
                    item({"title": "Maak een repository", "text": "<p>Op GitLab of GitHub.</p>"}),
                    item({"title": "Voeg een licentie toe", "text": "<p>EUPL-1.2.</p>"}),
                ],
            },
        )
    if kind == "faq":
        return block(
            "faq",
            {
                "title": f"Vragen ({number})",
                "items": [
                    item(
                        {
                            "question": "Mag ik code van een leverancier publiceren?",
                            "answer": "<p>Alleen als de organisatie de rechten heeft.</p>",
                        }
                    ),
                    item(
                        {
                            "question": "Welke licentie past?",
                            "answer": "<p>Meestal de EUPL-1.2.</p>",
                        }
                    ),
                ],
            },
        )
    if kind == "download":
        return block(
            "download",
            {
                "document": document.pk if document else None,
                "description": "Het sjabloon voor het besluit",
            },
        )
    if kind == "video":
        return block(
            "video",
            {
                "video": video_url,
                "title": "Open source in vijf minuten",
                "transcript": "<p>Welkom bij de toolbox. In deze video vertellen we ...</p>",
            },
        )
    if kind == "related_links":
        links = [
            item(
                {
                    "page": None,
                    "url": "https://developer.overheid.nl",
                    "title": "Developer Overheid",
                }
            )
        ]
        if page is not None:
            links.insert(0, item({"page": page.pk, "url": "", "title": ""}))
        return block("related_links", {"title": f"Meer lezen ({number})", "links": links})
    if kind == "law_reference":
        return block(
            "law_reference",
            {
                "title": "Actieve openbaarmaking",
                "reference": "Wet open overheid, art. 3.3",
                "url": "https://wetten.overheid.nl/BWBR0045754",
                "summary": "<p>Informatie uit eigen beweging openbaar maken.</p>",
            },
        )
    raise ValueError(kind)


KINDS = [
    "heading",
    "text",
    "callout",
    "checklist",
    "steps",
    "faq",
    "download",
    "video",
    "related_links",
    "law_reference",
]


def article_body(size=None, documents=(), pages=(), video_url=VIDEO_URL):
    """A body of ``size`` blocks cycling through every kind; documents and linked pages in turn
    (the n-th download block gets the n-th document, the n-th links block the n-th page)."""
    body = []
    for number in range(len(KINDS) if size is None else size):
        kind = KINDS[number % len(KINDS)]
        round_ = number // len(KINDS)
        document = documents[round_ % len(documents)] if documents else None
        page = pages[round_ % len(pages)] if pages else None
        body.append(block_of_kind(kind, number, document=document, page=page, video_url=video_url))
    return body


def home_page():
    return HomePage.objects.first()


class ToolboxTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolboxTopic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Onderwerp {n}")
    slug = factory.Sequence(lambda n: f"onderwerp-{n}")
    description = "Artikelen over dit onderwerp."


class DocumentFactory(wagtail_factories.DocumentFactory):
    class Meta:
        model = get_document_model()

    title = factory.Sequence(lambda n: f"Sjabloon besluit {n}")
    collection = factory.LazyFunction(Collection.get_first_root_node)
    file = factory.LazyAttribute(lambda o: ContentFile(PDF_BYTES, name="sjabloon-besluit.pdf"))
    file_size = len(PDF_BYTES)


class ToolboxIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ToolboxIndexPage

    title = "Toolbox"
    slug = "toolbox"
    introduction = "Alles over open source werken bij de overheid, per fase."
    parent = factory.LazyFunction(home_page)


def toolbox_index():
    return ToolboxIndexPage.objects.first() or ToolboxIndexPageFactory()


class ToolboxSectionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ToolboxSectionPage

    phase = Phase.DECIDING
    title = factory.LazyAttribute(lambda o: Phase(o.phase).label.capitalize())
    slug = factory.Sequence(lambda n: f"fase-{n}")
    introduction = "Wat je in deze fase doet."
    parent = factory.LazyFunction(toolbox_index)


class ToolboxArticlePageFactory(wagtail_factories.PageFactory):
    """An article with one block of every kind (no document or linked page unless given)."""

    class Meta:
        model = ToolboxArticlePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Artikel {n}")
    slug = factory.Sequence(lambda n: f"artikel-{n}")
    summary = "Een korte samenvatting van het artikel."
    body = factory.LazyFunction(article_body)
    owner_team = "Team Open Source"
    parent = factory.SubFactory(ToolboxSectionPageFactory)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)
            self.save()
