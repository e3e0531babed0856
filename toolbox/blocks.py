"""The blocks a toolbox article is built from.

Every block has its own template (``toolbox/blocks/*.html``), an icon, a description and a preview
value, so that editors see what a block looks like in the block picker before they choose it.

Rendering stays within a constant number of queries however long an article gets: Wagtail converts
the stored JSON of all blocks of one type together (``bulk_to_python``, also for choosers nested in
struct and list blocks), and the article page fetches the cached embeds of all its videos in one
query (``prefetch_embeds``), which the video block reads from the template context.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
SIMPLE_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]

# Names of context variables the article page fills for its blocks.
EMBEDS_CONTEXT = "toolbox_embeds"
ANCHORS_CONTEXT = "toolbox_anchors"
# A whole page around one block, with the site's and the toolbox's styles, for the block picker.
PREVIEW_TEMPLATE = "toolbox/blocks/preview.html"


def heading_anchor(text: str) -> str:
    """The fragment id of a heading, derived from its text ("Wat is open source?" → "wat-is-open-source")."""
    return slugify(text)[:80].strip("-") or "section"


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        preview_template = PREVIEW_TEMPLATE
        template = "toolbox/blocks/rich_text.html"
        description = _("Paragraphs of text with links, lists and emphasis.")
        preview_value = (
            "<p>Open source werkt het best als je <b>vanaf de eerste dag</b> in de openbaarheid "
            "ontwikkelt. Zo kunnen andere organisaties meekijken en meedoen.</p>"
            "<ul><li>Kies een licentie</li><li>Publiceer de code</li></ul>"
        )


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading (h2)")), ("h3", _("Subheading (h3)"))],
        default="h2",
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        anchors = (parent_context or {}).get(ANCHORS_CONTEXT) or {}
        context["anchor"] = anchors.get(context.get("id")) or heading_anchor(value["text"])
        return context

    class Meta:
        icon = "title"
        label = _("Heading")
        preview_template = PREVIEW_TEMPLATE
        template = "toolbox/blocks/heading.html"
        description = _("A heading that starts a section; it appears in the table of contents.")
        preview_value = {"text": "Een licentie kiezen", "level": "h2"}


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("tip", _("Tip")), ("warning", _("Warning")), ("law", _("Law"))],
        default="tip",
    )
    title = blocks.CharBlock(label=_("Title"), max_length=200, required=False)
    text = blocks.RichTextBlock(label=_("Text"), features=SIMPLE_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Callout")
        preview_template = PREVIEW_TEMPLATE
        template = "toolbox/blocks/callout.html"
        description = _("A highlighted tip, warning or legal note next to the text.")
        preview_value = {
            "kind": "tip",
            "title": "Begin klein",
            "text": "<p>Publiceer eerst één onderdeel en leer van de reacties.</p>",
        }


class ChecklistBlock(blocks.StructBlock):
    """Items a signed-in person can tick off; ticks are kept by the id of each list item."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    items = blocks.ListBlock(
        blocks.CharBlock(label=_("Item"), max_length=300), label=_("Items"), min_num=1
    )

    class Meta:
        icon = "tasks"
        label = _("Checklist")
        preview_template = PREVIEW_TEMPLATE
        template = "toolbox/blocks/checklist.html"
        description = _(
            "A list of things to do; signed-in readers tick them off and keep their progress."
        )
        preview_value = {
            "title": "Voordat je publiceert",
            "items": [
                "Er staat een licentiebestand in de repository",
                "Er zitten geen wachtwoorden of sleutels in de code",
                "De README legt uit hoe je begint",
            ],
        }


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.RichTextBlock(label=_("Text"), features=SIMPLE_TEXT_FEATURES, required=False)

    class Meta:
        icon = "arrow-right"
        label = _("Step")


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200, required=False)
    steps = blocks.ListBlock(StepBlock(), label=_("Steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Numbered steps")
        preview_template = PREVIEW_TEMPLATE
        template = "toolbox/blocks/steps.html"
        description = _("Steps to follow in order, each with a title and an explanation.")
        preview_value = {
            "title": "Zo publiceer je de code",
            "steps": [
                {"title": "Maak een repository", "text": "<p>Bij GitHub of GitLab.</p>"},
                {"title": "Kies een licentie", "text": "<p>Bijvoorbeeld EUPL-1.2.</p>"},
                {"title": "Publiceer", "text": "<p>Zet de repository op openbaar.</p>"},
            ],
        }


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=300)
    answer = blocks.RichTextBlock(label=_("Answer"), features=SIMPLE_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question and answer")


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200, required=False)
    items = blocks.ListBlock(FaqItemBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "help"
        label = _("Frequently asked questions")
        preview_template = PREVIEW_TEMPLATE
        template = "toolbox/blocks/faq.html"
        description = _("Questions that open to show their answer (an accordion).")
        preview_value = {
            "title": "Veelgestelde vragen",
            "items": [
                {
                    "question": "Mag ik code van een leverancier publiceren?",
                    "answer": "<p>Alleen als je de rechten hebt; leg dat vast in het contract.</p>",
                },
                {
                    "question": "Welke licentie kies ik?",
                    "answer": "<p>De EUPL-1.2 past bij de meeste overheidsprojecten.</p>",
                },
            ],
        }


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), max_length=300, required=False)

    class Meta:
        icon = "doc-full"
        label = _("Download")
        preview_template = PREVIEW_TEMPLATE
        template = "toolbox/blocks/download.html"
        description = _("A document to download, with its file type and size.")
        # No document exists to show in the block picker: the template says so gracefully.
        preview_value = {"document": None, "description": "Een voorbeeld van een document"}


class VideoUrlBlock(EmbedBlock):
    """A video's address, kept also when its embed cannot be fetched while saving (the provider
    is down, the server has no internet): the page then links to the video, with the transcript
    beside it, instead of refusing the whole article."""

    def clean(self, value):
        return super(EmbedBlock, self).clean(value)  # the URL check, not the embed lookup


class VideoBlock(blocks.StructBlock):
    video = VideoUrlBlock(
        label=_("Video URL"), help_text=_("For example a PeerTube or YouTube URL.")
    )
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        features=SIMPLE_TEXT_FEATURES,
        help_text=_("Required: everything that is said and shown, for people who cannot watch."),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["embed"] = self.find_embed(value, parent_context or {})
        return context

    @staticmethod
    def find_embed(value, parent_context):
        """The cached embed of the video, or None when it cannot be had (then a link shows)."""
        video = value.get("video")
        if not video:
            return None
        prefetched = parent_context.get(EMBEDS_CONTEXT)
        if prefetched is not None and video.url in prefetched:
            return prefetched[video.url]
        from wagtail.embeds import embeds

        try:
            return embeds.get_embed(video.url)
        except Exception:  # not found, provider down, no network: a link is better than a 500
            return None

    def clean(self, value):
        value = super().clean(value)
        if not value.get("transcript") or not str(value["transcript"].source).strip():
            raise blocks.StructBlockValidationError(
                block_errors={"transcript": ValidationError(_("A video needs a transcript."))}
            )
        return value

    class Meta:
        icon = "media"
        label = _("Video")
        preview_template = PREVIEW_TEMPLATE
        template = "toolbox/blocks/video.html"
        description = _("An embedded video with its transcript.")
        preview_value = {
            "video": "https://video.example.org/w/toolbox-intro",
            "title": "Open source in vijf minuten",
            "transcript": "<p>Welkom bij de toolbox. In deze video leggen we uit ...</p>",
        }


class RelatedLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("Page on this site"), required=False)
    url = blocks.URLBlock(label=_("Or a URL elsewhere"), required=False)
    title = blocks.CharBlock(
        label=_("Title"), max_length=200, required=False, help_text=_("Defaults to the page title.")
    )

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = ValidationError(_("Choose a page or enter a URL, not both."))
            raise blocks.StructBlockValidationError(block_errors={"url": message})
        if value.get("url") and not value.get("title"):
            raise blocks.StructBlockValidationError(
                block_errors={"title": ValidationError(_("A link elsewhere needs a title."))}
            )
        return value

    class Meta:
        icon = "link"
        label = _("Link")


class RelatedLinksBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200, required=False)
    links = blocks.ListBlock(RelatedLinkBlock(), label=_("Links"), min_num=1)

    class Meta:
        icon = "link"
        label = _("Related links")
        preview_template = PREVIEW_TEMPLATE
        template = "toolbox/blocks/related_links.html"
        description = _("Links to other pages of the toolbox or to sites elsewhere.")
        preview_value = {
            "title": "Meer lezen",
            "links": [
                {
                    "page": None,
                    "url": "https://developer.overheid.nl",
                    "title": "developer.overheid.nl",
                },
                {
                    "page": None,
                    "url": "https://publiccode.net",
                    "title": "Foundation for Public Code",
                },
            ],
        }


class LawReferenceBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    reference = blocks.CharBlock(
        label=_("Reference"),
        max_length=200,
        help_text=_('For example "Wet open overheid, art. 3.3".'),
    )
    url = blocks.URLBlock(
        label=_("URL"), required=False, help_text=_("For example at wetten.overheid.nl.")
    )
    summary = blocks.RichTextBlock(
        label=_("Summary"), features=SIMPLE_TEXT_FEATURES, required=False
    )

    class Meta:
        icon = "doc-full-inverse"
        label = _("Law and policy")
        preview_template = PREVIEW_TEMPLATE
        template = "toolbox/blocks/law_reference.html"
        description = _("A reference to a law or policy, with what it means here.")
        preview_value = {
            "title": "Actieve openbaarmaking",
            "reference": "Wet open overheid, art. 3.3",
            "url": "https://wetten.overheid.nl/BWBR0045754",
            "summary": "<p>Bestuursorganen maken bepaalde informatie uit eigen beweging openbaar.</p>",
        }


class ArticleBodyBlock(blocks.StreamBlock):
    text = RichTextBlock()
    heading = HeadingBlock()
    callout = CalloutBlock()
    checklist = ChecklistBlock()
    steps = StepsBlock()
    faq = FaqBlock()
    download = DownloadBlock()
    video = VideoBlock()
    related_links = RelatedLinksBlock()
    law_reference = LawReferenceBlock()

    class Meta:
        block_counts = {}


def checklist_item_ids(body) -> list[str]:
    """The ids of all checklist items of an article body, in order.

    An item without an id yet gets the one it will be stored with (Wagtail would give it a new
    one in ``get_prep_value``; this gives it first, so that the two agree).
    """
    ids = []
    for child in body:
        if child.block_type == "checklist":
            for item in child.value["items"].bound_blocks:
                if not item.id:
                    item.id = str(uuid.uuid4())
                ids.append(item.id)
    return ids


def headings(body) -> list[dict]:
    """The headings of a body with unique anchors: [{"id", "anchor", "text", "level"}]."""
    found, used = [], set()
    for child in body:
        if child.block_type != "heading":
            continue
        base = heading_anchor(child.value["text"])
        anchor, number = base, 2
        while anchor in used:
            anchor, number = f"{base}-{number}", number + 1
        used.add(anchor)
        found.append(
            {
                "id": child.id,
                "anchor": anchor,
                "text": child.value["text"],
                "level": child.value["level"],
            }
        )
    return found


def embed_urls(body) -> list[str]:
    return [
        child.value["video"].url
        for child in body
        if child.block_type == "video" and child.value.get("video")
    ]


def prefetch_embeds(urls) -> dict:
    """The cached embeds of these URLs, by URL, in one query; URLs without one are left out."""
    from django.utils.timezone import now
    from wagtail.embeds.embeds import get_embed_hash
    from wagtail.embeds.models import Embed

    if not urls:
        return {}
    hashes = {get_embed_hash(url): url for url in urls}
    rows = Embed.objects.filter(hash__in=hashes).exclude(cache_until__lte=now())
    return {hashes[row.hash]: row for row in rows}
