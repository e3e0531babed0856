"""Every change to a person's profile values goes through here (the profile form, the demo,
deleting an account)."""

from django.db import transaction

from meent.mentions import name_key

from .models import TAG_LENGTH, ProfileTag, ProfileValue


def tag_key(tag: str) -> str:
    """A tag as the directory compares it: no case, no accents, single spaces; at most
    ``TAG_LENGTH`` characters (casefolding can lengthen it: "ß" is "ss")."""
    return name_key(tag)[:TAG_LENGTH]


@transaction.atomic
def save_values(user, answers):
    """Store ``user``'s answers ({ProfileField: cleaned text}) at once: an empty answer removes
    the value; a tag field's value gets its tag rows anew. All or nothing."""
    existing = {
        value.field_id: value
        for value in ProfileValue.objects.filter(user=user, field__in=list(answers))
    }
    for field, text in answers.items():
        value = existing.get(field.pk)
        if not text:
            if value is not None:
                value.delete()
            continue
        if value is None:
            value = ProfileValue.objects.create(user=user, field=field, value=text)
        elif value.value != text:
            value.value = text
            value.save(update_fields=["value", "updated_at"])
        else:
            continue
        _write_tags(value)


def _write_tags(value):
    """The tag rows of ``value`` anew: one per distinct tag of a tag field, none otherwise."""
    ProfileTag.objects.filter(value=value).delete()
    keys = dict.fromkeys(tag_key(tag) for tag in value.tags)
    ProfileTag.objects.bulk_create(
        ProfileTag(value=value, user_id=value.user_id, field_id=value.field_id, tag=key)
        for key in keys
        if key
    )


@transaction.atomic
def field_kind_changed(field):
    """An operator made a field a tag field, or a tag field something else: its values' tag rows
    follow (the values themselves stay as the people wrote them)."""
    for value in ProfileValue.objects.filter(field=field).select_related("field"):
        _write_tags(value)


def erase_values(user):
    """Remove every profile value of ``user`` (and so their tags)."""
    return ProfileValue.objects.filter(user=user).delete()
