"""RSS and Atom feeds of the blogs: the whole site, one tag, one group, one person.

A feed holds only what an anonymous reader may see, whoever asks for it: a feed reader is not
signed in, and a feed's address gets shared. So the posts come from
``Post.objects.visible_to(AnonymousUser())``, never from ``request.user``, and a group that an
anonymous reader may not know exists (hidden) answers 404 exactly like one that does not exist.

Item descriptions are plain text (the summary, or the start of the body with every tag removed),
escaped for the HTML that feed readers expect there: no markup from a post ever reaches a reader.
"""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from groups.models import Group
from meent import sites
from meent.sanitize import clean_text

from .models import Post, Tag

FEED_ITEMS = 30
DESCRIPTION_LENGTH = 300
# Only the start of a body is cleaned: enough HTML for the description, however long the post.
BODY_SCAN_LENGTH = 20_000
# Block-level tags end a word: "<p>One</p><p>Two</p>" reads "One Two", not "OneTwo".
_BLOCK_TAG = re.compile(
    r"<(?=/?(?:p|br|hr|h[1-6]|li|ul|ol|blockquote|pre|div|figure|figcaption|table|tr|td|th|"
    r"caption|img)\b)",
    re.IGNORECASE,
)


def anonymous_posts():
    """Published posts that anyone, also without signing in, may read: the feeds' only source."""
    now = timezone.now()
    return (
        Post.objects.visible_to(AnonymousUser())
        .filter(published_at__lte=now)
        .select_related("author", "group")
        .prefetch_related("tags")
        .order_by("-published_at", "-pk")
    )


def plain(value):
    """One line of plain text without any markup (names and titles are stored clean already;
    this keeps a feed safe even for rows that did not come through the services)."""
    value = value or ""
    if "<" in value or "&" in value:
        value = clean_text(value)
    return " ".join(value.split())


def plain_text_start(html, length=DESCRIPTION_LENGTH):
    """The start of some HTML as plain text: no tags, whitespace collapsed, at most ``length``."""
    chunk = (html or "")[:BODY_SCAN_LENGTH]
    # Do not leave half a tag at the cut: its attributes would read as text.
    last_open = chunk.rfind("<")
    if last_open > chunk.rfind(">"):
        chunk = chunk[:last_open]
    text = " ".join(clean_text(_BLOCK_TAG.sub(" <", chunk)).split())
    return Truncator(text).chars(length)


class PostFeed(Feed):
    """The newest public posts; subclasses narrow them to a tag, a group or a person."""

    feed_type = Rss201rev2Feed

    def items(self, obj):
        return self.filter_posts(anonymous_posts(), obj)[:FEED_ITEMS]

    def filter_posts(self, posts, obj):
        return posts

    def item_title(self, post):
        return plain(post.title)

    def item_link(self, post):
        return post.get_absolute_url()

    def item_description(self, post):
        summary = plain(post.summary)
        text = Truncator(summary).chars(DESCRIPTION_LENGTH) if summary else ""
        return escape(text or plain_text_start(post.body))

    def item_author_name(self, post):
        # The author deleted their account: their group posts stay, without a name.
        if post.author is None:
            return str(_("A former member"))
        return plain(post.author.display_name)

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return max(post.updated_at, post.published_at)

    def item_categories(self, post):
        names = (plain(tag.name) for tag in post.tags.all())
        return [name for name in names if name]

    # No item_guid: Feed's default id is the item's link, already made absolute.
    def item_guid_is_permalink(self, post):
        return True

    def subtitle(self, obj):
        """Atom's name for the feed's description."""
        return self.description(obj)


class Narrowed:
    """What a feed is narrowed to (a tag, a group, a person) on the request's community: a feed
    shows the posts of one community, as its pages do (README: what belongs to a community)."""

    def __init__(self, site, subject=None):
        self.site = site
        self.subject = subject

    @property
    def community(self):
        return self.site.get("name") or "Meent"


class LatestPostsFeed(PostFeed):
    """The community's newest public posts: its groups' and the personal posts written on it."""

    def get_object(self, request, *args, **kwargs):
        return Narrowed(sites.current_site(request))

    def filter_posts(self, posts, narrowed):
        return posts.on_site(narrowed.site)

    def title(self, narrowed):
        return _("Blogs on %(community)s") % {"community": plain(narrowed.community)}

    def link(self):
        return reverse("blog:list")

    def description(self, narrowed):
        return _("The newest posts on the blogs of %(community)s.") % {
            "community": plain(narrowed.community)
        }


class TagFeed(PostFeed):
    def get_object(self, request, tag):
        return Narrowed(sites.current_site(request), get_object_or_404(Tag, slug=tag))

    def filter_posts(self, posts, narrowed):
        return posts.on_site(narrowed.site).filter(tags=narrowed.subject)

    def title(self, narrowed):
        return _("Posts tagged %(tag)s") % {"tag": plain(narrowed.subject.name)}

    def link(self, narrowed):
        return narrowed.subject.get_absolute_url()

    def description(self, narrowed):
        return _("The newest posts on %(community)s with the tag %(tag)s.") % {
            "community": plain(narrowed.community),
            "tag": plain(narrowed.subject.name),
        }


class GroupFeed(PostFeed):
    def get_object(self, request, group_slug):
        # Groups that an anonymous reader may not see, groups without a blog and groups of
        # another community are missing here.
        site = sites.current_site(request)
        groups = Group.objects.visible_to(AnonymousUser()).filter(blog_enabled=True).on_site(site)
        return Narrowed(site, get_object_or_404(groups, slug=group_slug))

    def filter_posts(self, posts, narrowed):
        return posts.filter(group=narrowed.subject)

    def title(self, narrowed):
        return _("Posts in %(group)s") % {"group": plain(narrowed.subject.name)}

    def link(self, narrowed):
        return reverse("group_blog", kwargs={"group_slug": narrowed.subject.slug})

    def description(self, narrowed):
        return _("The newest posts in the blog of %(group)s.") % {
            "group": plain(narrowed.subject.name)
        }


class PersonFeed(PostFeed):
    def get_object(self, request, person_id):
        person = get_object_or_404(get_user_model().objects.filter(is_active=True), pk=person_id)
        return Narrowed(sites.current_site(request), person)

    def filter_posts(self, posts, narrowed):
        # Like the person's blog page: their posts on this community, also in groups.
        return posts.on_site(narrowed.site).filter(author=narrowed.subject)

    def title(self, narrowed):
        return _("Posts by %(person)s") % {"person": plain(narrowed.subject.display_name)}

    def link(self, narrowed):
        return reverse("person_blog", kwargs={"person_id": narrowed.subject.pk})

    def description(self, narrowed):
        return _("The newest posts on the blog of %(person)s.") % {
            "person": plain(narrowed.subject.display_name)
        }


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = Atom1Feed


class TagAtomFeed(TagFeed):
    feed_type = Atom1Feed


class GroupAtomFeed(GroupFeed):
    feed_type = Atom1Feed


class PersonAtomFeed(PersonFeed):
    feed_type = Atom1Feed
