"""The blocks a community's front page (``HomePage.content``) is built from.

Every block has its own template (``home/blocks/*.html``), an icon, a description and a preview
value, so that community managers see what a block looks like in the block picker.

Blocks that show the community's own things ask the access policy for the reader
(``visible_to(user)``) and keep to the community of the request (``on_site``): a hidden group, a
group of another community, a draft, scheduled or closed post never shows to someone who may not
see it. Each such block costs a constant number of queries however many items it shows.
"""

from __future__ import annotations

import posixpath

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from meent import links

# Rich text through Wagtail's editor features (its converter keeps nothing else).
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
SIMPLE_TEXT_FEATURES = ["bold", "italic", "link"]
PREVIEW_TEMPLATE = "home/blocks/preview.html"
# File types a browser plays in <video> (a document chosen as the video must be one).
VIDEO_EXTENSIONS = {".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg"}
MAX_POSTS = 12
MAX_ARTICLES = 12


def _error(field, message):
    return blocks.StructBlockValidationError(block_errors={field: ValidationError(message)})


def _reader(parent_context):
    context = parent_context or {}
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return request, user


def in_language(pages, home):
    """``pages`` in the home page's language: each page's live translation in the home page's
    locale, or the page itself when it has none; pages not live are left out. One query."""
    from wagtail.models import Page

    pages = [page for page in pages if page is not None]
    if not pages:
        return {}
    locale_id = getattr(home, "locale_id", None)
    rows = Page.objects.filter(translation_key__in={p.translation_key for p in pages}).live()
    found = {}
    for page in rows:
        best = found.get(page.translation_key)
        if best is None or page.locale_id == locale_id:
            found[page.translation_key] = page
    return {page.pk: found[page.translation_key] for page in pages if page.translation_key in found}


def _site(request):
    from meent import sites

    return sites.current_site(request) if request is not None else None


class WebAddressBlock(blocks.URLBlock):
    """The ``https://`` address of a media file, checked by ``meent/links.py`` (no spaces or
    backslashes a browser would read otherwise). Plain ``http://`` is refused here: the pages'
    Content-Security-Policy lets media come from this site and from https: only, so such a video
    would never play."""

    def clean(self, value):
        value = super().clean(value)
        if value and not (links.is_web_address(value) and value.lower().startswith("https://")):
            raise ValidationError(_("Use a web address starting with https://."))
        return value


class LinkTargetBlock(blocks.CharBlock):
    """A path on this site or a web address (``meent.links.LinkValidator``)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=500, validators=[links.LinkValidator()], **kwargs)


# --- Introduction with a call to action ---------------------------------------------------------


class IntroductionBlock(blocks.StructBlock):
    SIGN_UP, PAGE, URL = "sign_up", "page", "url"

    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    text = blocks.TextBlock(label=_("Text"), max_length=1000)
    button_label = blocks.CharBlock(
        label=_("Button label"),
        max_length=80,
        required=False,
        help_text=_("Leave empty for no button."),
    )
    button_target = blocks.ChoiceBlock(
        label=_("The button leads to"),
        choices=[
            (SIGN_UP, _("Signing up (shown only to visitors who are not signed in)")),
            (PAGE, _("A page on this site")),
            (URL, _("A web address")),
        ],
        default=SIGN_UP,
    )
    button_page = blocks.PageChooserBlock(label=_("Page"), required=False)
    button_url = LinkTargetBlock(label=_("Web address"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("button_label"):
            return value
        target = value.get("button_target")
        if target == self.PAGE and not value.get("button_page"):
            raise _error("button_page", _("Choose the page the button leads to."))
        if target == self.URL and not value.get("button_url"):
            raise _error("button_url", _("Enter the web address the button leads to."))
        return value

    def get_context(self, value, parent_context=None):
        from django.urls import reverse

        context = super().get_context(value, parent_context=parent_context)
        request, user = _reader(parent_context)
        href = None
        if value.get("button_label"):
            target = value.get("button_target")
            if target == self.SIGN_UP:
                if not (user and user.is_authenticated):
                    href = reverse("account_signup")
            elif target == self.PAGE and value.get("button_page"):
                page = value["button_page"]
                home = (parent_context or {}).get("page")
                page = in_language([page], home).get(page.pk)
                href = page.get_url(request) if page is not None else None
            elif target == self.URL:
                href = links.safe_link(value.get("button_url"))
        context["button_href"] = href
        return context

    class Meta:
        icon = "home"
        label = _("Introduction with a call to action")
        template = "home/blocks/introduction.html"
        preview_template = PREVIEW_TEMPLATE
        description = _(
            "A heading, a few sentences about the community and a button, for example to sign up."
        )
        preview_value = {
            "heading": "Welkom bij de community",
            "text": "Hier werken ambtenaren van verschillende organisaties samen.",
            "button_label": "Meld je aan met je werkmail",
            "button_target": "sign_up",
        }


# --- Highlighted groups ---------------------------------------------------------------------------


def group_choices():
    """The groups a front page may highlight: listed and not archived (hidden groups are never
    shown to the public; a page keeps to its own community, see ``HomePage.clean``)."""
    from groups.models import Group

    rows = (
        Group.objects.filter(visibility=Group.Visibility.LISTED, is_archived=False)
        .select_related("site")
        .order_by("name")
    )
    return [
        (str(group.pk), f"{group.name} ({group.site.site_name})" if group.site else group.name)
        for group in rows
    ]


class GroupChoiceBlock(blocks.MultipleChoiceBlock):
    """Group ids (strings) from ``group_choices``. Reading a stored value keeps the ids as they
    are: Wagtail's own would ask for the choices (a query) once per chosen group."""

    def normalize_choice(self, value):
        return None if value is None else str(value)


class GroupsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    text = blocks.TextBlock(label=_("Text"), max_length=1000, required=False)
    groups = GroupChoiceBlock(
        label=_("Groups"),
        choices=group_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Groups of this community; hidden groups cannot be chosen."),
    )

    def get_context(self, value, parent_context=None):
        from django.db.models import Count

        from groups.models import Group

        context = super().get_context(value, parent_context=parent_context)
        request, user = _reader(parent_context)
        ids = [int(pk) for pk in value.get("groups") or () if str(pk).isdigit()]
        groups = []
        site = _site(request)
        if ids and site is not None:
            found = {
                group.pk: group
                for group in Group.objects.visible_to(user)
                .on_site(site)
                .filter(pk__in=ids, is_archived=False)
                .annotate(member_count=Count("memberships", distinct=True))
            }
            groups = [found[pk] for pk in ids if pk in found]  # in the chosen order
        context["groups"] = groups
        return context

    class Meta:
        icon = "group"
        label = _("Highlighted groups")
        template = "home/blocks/groups.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Groups of this community to join, chosen by you.")
        preview_value = {"heading": "Doe mee", "text": "Groepen waar je meteen kunt meedoen."}


# --- Latest posts ---------------------------------------------------------------------------------


class LatestPostsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    count = blocks.IntegerBlock(
        label=_("Number of posts"), min_value=1, max_value=MAX_POSTS, default=3
    )

    def get_context(self, value, parent_context=None):
        from blog.models import Post

        context = super().get_context(value, parent_context=parent_context)
        request, user = _reader(parent_context)
        site = _site(request)
        posts = []
        if site is not None:
            count = max(1, min(MAX_POSTS, value.get("count") or 3))
            posts = list(
                Post.objects.visible_to(user)
                .published()
                .on_site(site)
                .select_related("author__organisation", "group")
                .order_by("-published_at", "-pk")[:count]
            )
        context["posts"] = posts
        return context

    class Meta:
        icon = "doc-full"
        label = _("Latest posts")
        template = "home/blocks/latest_posts.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("The newest blog posts of this community that the reader may read.")
        preview_value = {"heading": "Nieuws", "count": 3}


# --- Toolbox teaser -------------------------------------------------------------------------------


TOOLBOX_PAGE_TYPES = [
    "toolbox.ToolboxArticlePage",
    "toolbox.ToolboxSectionPage",
    "toolbox_decisions.DecisionAidPage",
    "toolbox_publiccode.PublicCodeToolPage",
]


class ToolboxTeaserBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    text = blocks.TextBlock(label=_("Text"), max_length=1000, required=False)
    pages = blocks.ListBlock(
        blocks.PageChooserBlock(label=_("Page"), page_type=TOOLBOX_PAGE_TYPES),
        label=_("Chosen pages"),
        required=False,
        help_text=_("Leave empty to show the newest articles of this community's toolbox."),
    )
    newest = blocks.IntegerBlock(
        label=_("Number of newest articles"),
        min_value=1,
        max_value=MAX_ARTICLES,
        default=3,
        help_text=_("Used when no pages are chosen."),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        home = (parent_context or {}).get("page")
        chosen = [page for page in value.get("pages") or () if page is not None]
        if chosen:
            context["items"] = self.chosen_pages(chosen, home)
        else:
            context["items"] = self.newest_articles(home, value.get("newest") or 3)
        context["toolbox"] = self.toolbox_of(home)
        return context

    @staticmethod
    def toolbox_of(home):
        from toolbox.models import ToolboxIndexPage

        if home is None or not getattr(home, "pk", None):
            return None
        return ToolboxIndexPage.objects.child_of(home).live().public().first()

    @staticmethod
    def chosen_pages(chosen, home):
        """The chosen pages in the home page's language (their translation when there is one),
        live and public only, in the chosen order: one query for the pages, one for the
        restrictions, one per kind of page."""
        from wagtail.models import Page

        localized = in_language(chosen, home)
        ids = list(dict.fromkeys(page.pk for page in localized.values()))
        public = {page.pk: page for page in Page.objects.filter(pk__in=ids).public().specific()}
        return [public[pk] for pk in ids if pk in public]

    @staticmethod
    def newest_articles(home, count):
        from toolbox.models import ToolboxArticlePage

        if home is None or not getattr(home, "pk", None):
            return []
        count = max(1, min(MAX_ARTICLES, count))
        return list(
            ToolboxArticlePage.objects.descendant_of(home)
            .live()
            .public()
            .defer("body")
            .order_by("-first_published_at", "-pk")[:count]
        )

    class Meta:
        icon = "folder-open-inverse"
        label = _("Toolbox teaser")
        template = "home/blocks/toolbox_teaser.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Pages of the toolbox, chosen by you or the newest articles.")
        preview_value = {
            "heading": "Uit de toolbox",
            "text": "Praktische hulp bij het openbaar maken van software.",
            "newest": 3,
        }


# --- Video with transcript ------------------------------------------------------------------------


class VideoBlock(blocks.StructBlock):
    """A video file played by the browser itself (no embeds from elsewhere: the servers may have
    no internet), with optional captions and a required transcript."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    document = DocumentChooserBlock(
        label=_("Video file"),
        required=False,
        help_text=_("An uploaded video (MP4, WebM or Ogg), or a web address below."),
    )
    url = WebAddressBlock(
        label=_("Or the web address of a video file"),
        required=False,
        help_text=_("For example https://video.example.org/intro.mp4."),
    )
    captions = WebAddressBlock(
        label=_("Captions (WebVTT)"),
        required=False,
        help_text=_("The web address of a .vtt file with captions, if there is one."),
    )
    captions_language = blocks.ChoiceBlock(
        label=_("Language of the captions"),
        choices=[("nl", _("Dutch")), ("en", _("English"))],
        default="nl",
    )
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        features=SIMPLE_TEXT_FEATURES + ["ol", "ul"],
        required=False,  # checked in clean(), with a message that says why
        help_text=_("Required: everything that is said and shown, for people who cannot watch."),
    )

    def clean(self, value):
        value = super().clean(value)
        document, url = value.get("document"), value.get("url")
        if bool(document) == bool(url):
            raise _error("url", _("Choose a video file or enter its web address, not both."))
        if document and self.video_type(document.file.name) is None:
            raise _error("document", _("The video file must be an MP4, WebM or Ogg video."))
        transcript = value.get("transcript")
        if not transcript or not _text_of(transcript.source):
            raise _error("transcript", _("A video needs a transcript."))
        return value

    @staticmethod
    def video_type(name):
        return VIDEO_EXTENSIONS.get(posixpath.splitext(name or "")[1].lower())

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        document = value.get("document")
        if document:
            context["src"] = document.url
            context["type"] = self.video_type(document.file.name)
        else:
            context["src"] = links.safe_link(value.get("url"))
            context["type"] = self.video_type(value.get("url") or "")
        context["captions"] = links.safe_link(value.get("captions"))
        return context

    class Meta:
        icon = "media"
        label = _("Video")
        template = "home/blocks/video.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("A video file with captions and its transcript.")
        preview_value = {
            "title": "Zo werkt de community",
            "url": "https://video.example.org/intro.mp4",
            "transcript": "<p>Welkom. In deze video laten we zien hoe je een groep vindt.</p>",
        }


def _text_of(html):
    from django.utils.html import strip_tags

    return strip_tags(html or "").replace("&nbsp;", " ").strip()


# --- Rich text and links --------------------------------------------------------------------------


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "home/blocks/rich_text.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Paragraphs of text with headings, links and lists.")
        preview_value = (
            "<h2>Over deze community</h2><p>Hier werken <b>ambtenaren</b> samen over de grenzen "
            "van hun organisatie.</p>"
        )


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=200)
    page = blocks.PageChooserBlock(label=_("Page on this site"), required=False)
    url = LinkTargetBlock(label=_("Or a web address"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise _error("url", _("Choose a page or enter a web address, not both."))
        return value

    class Meta:
        icon = "link"
        label = _("Link")


class LinksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    links = blocks.ListBlock(LinkBlock(), label=_("Links"), min_num=1)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request, _user = _reader(parent_context)
        home = (parent_context or {}).get("page")
        pages = in_language([link.get("page") for link in value.get("links") or ()], home)
        items = []
        for link in value.get("links") or ():
            page = link.get("page")
            if page is not None:
                page = pages.get(page.pk)
                href = page.get_url(request) if page is not None else None
            else:
                href = links.safe_link(link.get("url"))
            if href:
                items.append({"label": link["label"], "href": href})
        context["items"] = items
        return context

    class Meta:
        icon = "list-ul"
        label = _("Links")
        template = "home/blocks/links.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("A list of links, to pages here or to sites elsewhere (contact, help).")
        preview_value = {
            "heading": "Contact",
            "links": [
                {"label": "Stuur ons een e-mail", "page": None, "url": "https://example.org"}
            ],
        }


class FrontPageBlock(blocks.StreamBlock):
    introduction = IntroductionBlock()
    groups = GroupsBlock()
    latest_posts = LatestPostsBlock()
    toolbox = ToolboxTeaserBlock()
    video = VideoBlock()
    rich_text = RichTextBlock()
    links = LinksBlock()

    class Meta:
        block_counts = {}


def chosen_group_ids(content) -> set[int]:
    """The ids of every group chosen in a front page's blocks."""
    found = set()
    for child in content or ():
        if child.block_type == "groups":
            found.update(int(pk) for pk in child.value.get("groups") or () if str(pk).isdigit())
    return found


def has_sign_up(content) -> bool:
    return any(
        child.block_type == "introduction"
        and child.value.get("button_label")
        and child.value.get("button_target") == IntroductionBlock.SIGN_UP
        for child in content or ()
    )
