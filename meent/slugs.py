"""Web addresses made from titles: the title's slug, numbered when it is taken."""

from django.utils.text import slugify


def unique_slug(queryset, title, *, fallback, reserved=frozenset(), exclude_pk=None, length=100):
    """A slug of ``title`` that no row of ``queryset`` (but ``exclude_pk``) has and that is not
    ``reserved`` (the app's own paths, such as "new"): "werksessie", then "werksessie-2"...
    ``fallback`` when the title has no letter or digit."""
    base = slugify(title)[:length].strip("-") or fallback
    taken = queryset.filter(slug__startswith=base)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    existing = set(taken.values_list("slug", flat=True)) | set(reserved)
    slug, number = base, 1
    while slug in existing:
        number += 1
        slug = f"{base}-{number}"
    return slug
