"""Every change to a person's profile values goes through here (the profile form, the demo,
deleting an account)."""

from django.db import transaction

from .models import ProfileValue


@transaction.atomic
def save_values(user, answers):
    """Store ``user``'s answers ({ProfileField: cleaned text}) at once: an empty answer removes
    the value; a tag field's value gets its tag rows anew. All or nothing."""
    existing = {
        value.field_id: value
        for value in ProfileValue.objects.filter(user=user, field__in=list(answers)).select_related(
            "field"
        )
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
        value.write_tags()


def erase_values(user):
    """Remove every profile value of ``user`` (and so their tags)."""
    return ProfileValue.objects.filter(user=user).delete()
