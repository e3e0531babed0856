"""The blogs' feeds, with full paths: config/urls.py includes this module at the root, before the
group and person blog routes, so that ``.../blog/feed/...`` never reaches a blog view."""

from django.urls import path

from . import feeds

urlpatterns = [
    path("blog/feed/rss/", feeds.LatestPostsFeed(), name="blog_feed_rss"),
    path("blog/feed/atom/", feeds.LatestPostsAtomFeed(), name="blog_feed_atom"),
    path("blog/tags/<slug:tag>/feed/rss/", feeds.TagFeed(), name="blog_tag_feed_rss"),
    path("blog/tags/<slug:tag>/feed/atom/", feeds.TagAtomFeed(), name="blog_tag_feed_atom"),
    path(
        "groups/<slug:group_slug>/blog/feed/rss/",
        feeds.GroupFeed(),
        name="group_blog_feed_rss",
    ),
    path(
        "groups/<slug:group_slug>/blog/feed/atom/",
        feeds.GroupAtomFeed(),
        name="group_blog_feed_atom",
    ),
    path(
        "people/<id:person_id>/blog/feed/rss/",
        feeds.PersonFeed(),
        name="person_blog_feed_rss",
    ),
    path(
        "people/<id:person_id>/blog/feed/atom/",
        feeds.PersonAtomFeed(),
        name="person_blog_feed_atom",
    ),
]
