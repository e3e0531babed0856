"""Building front pages and posts in the tests of the front page."""

import datetime
import uuid

from django.utils import timezone

from blog.models import Post


def block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def post(title, *, author=None, group=None, site=None, visibility="public", days_ago=1, **extra):
    return Post.objects.create(
        title=title,
        slug=f"{title.lower().replace(' ', '-')}-{uuid.uuid4().hex[:6]}",
        summary=f"Samenvatting van {title}",
        author=author,
        group=group,
        site=site,
        visibility=visibility,
        published_at=None
        if days_ago is None
        else timezone.now() - datetime.timedelta(days=days_ago),
        **extra,
    )


def set_blocks(home, blocks, clean=True):
    """Publish ``blocks`` on ``home``; ``clean=False`` stores what the admin would refuse (as an
    old revision or a group moved to another community afterwards would leave it)."""
    home.content = blocks
    home.save_revision(clean=clean).publish()
    home.refresh_from_db()
    return home
