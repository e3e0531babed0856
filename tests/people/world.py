"""What the people tests share: profile fields on a community and people with values."""

from wagtail.models import Site

from people.models import ProfileField
from people.services import save_values


def default_site():
    return Site.objects.get(is_default_site=True)


def make_field(key, *, site=None, kind=ProfileField.Kind.TEXT, visibility="logged_in", **extra):
    defaults = {
        "label_nl": f"{key} (nl)",
        "label_en": f"{key} (en)",
        "kind": kind,
        "visibility": visibility,
        "max_length": 200,
        "searchable": True,
    }
    defaults.update(extra)
    return ProfileField.objects.create(site=site or default_site(), key=key, **defaults)


def give(person, **answers):
    """Store ``person``'s answers by field key (fields of any community)."""
    fields = {field.key: field for field in ProfileField.objects.filter(key__in=answers)}
    save_values(person, {fields[key]: text for key, text in answers.items()})
