"""The demo's profile fields per community and the demo people's answers
(demo/content/profile_fields.yaml, checked by demo/loader.py), so that "who knows about DPIA?"
finds someone.

Idempotent: fields are found by community and key, and the answers go through the profile
form (people.forms.ProfileValuesForm), which changes only what differs.
"""

from wagtail.models import Site

from accounts.models import User
from demo.loader import EN, NL, DemoDataError, pick
from people.forms import ProfileValuesForm
from people.models import ProfileField

FILE = "profile_fields.yaml"


def _site(community):
    if community == "main":
        return Site.objects.get(is_default_site=True)
    return Site.objects.get(hostname=community)


def load_profile_fields(data):
    """Create or update the fields, then store the people's answers through the profile form
    (a value that the form refuses is a mistake in the data file)."""
    sites = []
    for community in data[FILE]["communities"]:
        site = _site(community["community"])
        sites.append(site)
        for order, spec in enumerate(community["fields"], start=1):
            help_text = spec.get("help", "")
            field, _created = ProfileField.objects.update_or_create(
                site=site,
                key=spec["key"],
                defaults={
                    "label_nl": pick(spec["label"], NL),
                    "label_en": pick(spec["label"], EN),
                    "help_nl": pick(help_text, NL),
                    "help_en": pick(help_text, EN),
                    "kind": spec["kind"],
                    "choices": "\n".join(spec.get("choices", ())),
                    "max_length": spec["max_length"],
                    "visibility": spec["visibility"],
                    "searchable": spec.get("searchable", True),
                    "order": order * 10,
                },
            )
            field.full_clean()
    for spec in data[FILE]["people"]:
        person = User.objects.get(email=spec["email"])
        answers = {answer["field"]: answer["value"] for answer in spec["answers"]}
        for site in sites:
            fields = list(ProfileField.objects.filter(site=site).order_by("order", "pk"))
            form = ProfileValuesForm(
                fields,
                person,
                data={f"fields-{field.key}": answers.get(field.key, "") for field in fields},
            )
            if not form.is_valid():
                raise DemoDataError(
                    f"demo/content/{FILE}: {spec['email']}: {form.errors.as_text()}"
                )
            form.save()
