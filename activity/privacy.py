"""What a person follows and saved, and their lines in activity streams (privacy/registry.py).
All of it goes with their account (the rows cascade); the lines hold no text of their own, only
references, so the export lists follows and saved items, and counts the lines."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.registry import PrivacyPart, absolute, iso, register

from . import registry
from .models import Bookmark, Entry, Follow


def _rows(user, rows, extra):
    # Each row with its item, only where the person may still see the item.
    from .services import references

    listed = {(ref.row.target_type_id, ref.row.target_id): ref for ref in references(user, rows)}
    result = []
    for row in rows:
        ref = listed.get((row.target_type_id, row.target_id))
        model = ContentType.objects.get_for_id(row.target_type_id).model_class()
        item = registry.item_for(model) if model else None
        result.append(
            {
                "kind": item.key if item else None,
                "title": ref.title if ref else None,
                "link": absolute(ref.url) if ref else None,
                "since": iso(row.created_at),
                **extra(row),
            }
        )
    return result


def follows(user, files):
    rows = list(Follow.objects.filter(user=user).order_by("created_at", "pk"))
    return _rows(user, rows, lambda row: {"level": row.level})


def bookmarks(user, files):
    rows = list(Bookmark.objects.filter(user=user).order_by("created_at", "pk"))
    return _rows(user, rows, lambda row: {})


def plan(user):
    count = Entry.objects.filter(actor=user).count()
    return [
        ngettext(
            "%(counter)s line about what you did leaves the activity streams.",
            "%(counter)s lines about what you did leave the activity streams.",
            count,
        )
        % {"counter": count},
    ]


register(
    PrivacyPart(
        "follows",
        _("What you follow"),
        72,
        export=follows,
        held=lambda user: Follow.objects.filter(user=user),
    )
)
register(
    PrivacyPart(
        "bookmarks",
        _("Saved items"),
        74,
        export=bookmarks,
        held=lambda user: Bookmark.objects.filter(user=user),
    )
)
register(
    PrivacyPart(
        "activity",
        _("Activity streams"),
        76,
        held=lambda user: Entry.objects.filter(actor=user),
        plan=plan,
    )
)


# The content digest (digest.py): how often the person gets it, up to when the last one went,
# and how many were sent. The rows go with the account (CASCADE).


def content_digest(user, files):
    from .digest import frequency_of
    from .models import DigestSent, DigestSetting

    setting = DigestSetting.objects.filter(user=user).first()
    return {
        "frequency": setting.frequency if setting else frequency_of(user),
        "last_digest_until": iso(setting.sent_until) if setting else None,
        "digests_sent": [
            {"period": sent.period, "sent_at": iso(sent.sent_at), "items": sent.items}
            for sent in DigestSent.objects.filter(user=user).order_by("sent_at", "pk")
        ],
    }


def _digest_held(user):
    from .models import DigestSent, DigestSetting

    return (
        DigestSetting.objects.filter(user=user).count()
        + DigestSent.objects.filter(user=user).count()
    )


register(
    PrivacyPart(
        "content_digest",
        _("Content digest"),
        73,
        export=content_digest,
        held=_digest_held,
    )
)
