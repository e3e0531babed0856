"""People in search (see search/registry.py): name, job title, organisation and "about", as the
profile page shows them; never the e-mail address."""

from django.utils.translation import gettext_lazy as _

from search.registry import SearchDocument, register

from .models import User


@register
class PersonDocument(SearchDocument):
    model = User
    type_name = "person"
    type_label = _("People")
    # Logging in saves last_login: no reason to index again.
    watch_fields = frozenset(
        {
            "first_name",
            "last_name",
            "email",
            "job_title",
            "about",
            "organisation",
            "organisation_id",
            "is_active",
            "profile_hidden_at",
        }
    )
    # Posts for "my organisation" follow their author's organisation.
    related_fields = ("organisation_id", "is_active")

    def get_queryset(self):
        return User.objects.select_related("organisation")

    def should_index(self, person):
        return person.is_active

    def prepare_title(self, person):
        return person.display_name

    def prepare_body(self, person):
        organisation = person.organisation.name if person.organisation else ""
        if person.profile_hidden_at is not None:
            # A moderator hid the person's own words: only the organisation is found.
            return organisation
        return "\n".join(part for part in (person.job_title, organisation, person.about) if part)

    def prepare_organisation_id(self, person):
        return person.organisation_id

    def prepare_date(self, person):
        return person.date_joined
