"""The people directory (/people/): find a colleague by name, organisation or expertise.

For signed-in people only. A profile is public one by one (it is linked from what a person
writes), but a list of everyone with their organisation and job title, searchable by expertise,
is another thing: a harvest for phishing and spam. The mention picker (accounts.views) is for
signed-in people for the same reason. Only active people who are not suspended are listed,
everyone of every community (people belong to no community), with the current community's
profile fields, as far as the reader may see them (people/policies.py): a value the reader may
not see never makes a person findable.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Organisation, User
from groups import policies as group_policies
from groups.models import Group, Membership
from meent import params, sites
from meent.mentions import name_key

from .forms import DirectoryForm
from .models import ProfileField, ProfileTag, ProfileValue, tag_key
from .policies import tag_q

PER_PAGE = 20
# A search is cut to this many characters, and to this many words.
QUERY_LENGTH = 200
MAX_TERMS = 8
_WORD = re.compile(r"\w+")


def listed_people():
    """Everyone the directory lists: active and not suspended."""
    now = timezone.now()
    return User.objects.filter(is_active=True).filter(
        Q(suspended_until__isnull=True) | Q(suspended_until__lte=now)
    )


def groups_with_visible_members(user, site):
    """The community's groups whose members ``user`` may see (the groups' own policy)."""
    return (
        Group.objects.visible_to(user)
        .on_site(site)
        .filter(group_policies.content_q(user, prefix="") & group_policies.members_tab_q(user, ""))
        .order_by("name")
    )


def search_terms(request, text):
    """The words of a search, cut to a sane length with a note; [] with a note when it holds
    no letters or digits."""
    if len(text) > QUERY_LENGTH:
        messages.info(
            request,
            _("Your search was long: only its first %(count)s characters were used.")
            % {"count": QUERY_LENGTH},
        )
        text = text[:QUERY_LENGTH]
    words = _WORD.findall(text)
    if text.strip() and not words:
        messages.info(
            request,
            _(
                "Your search holds no letters or digits, so everyone is shown. Search for a name, "
                "an organisation or a subject."
            ),
        )
    if len(words) > MAX_TERMS:
        messages.info(
            request,
            _("Only the first %(count)s words of your search were used.") % {"count": MAX_TERMS},
        )
    return words[:MAX_TERMS]


def matching(reader, site, term):
    """People whom ``term`` (a word) finds for ``reader``: by name, organisation or job title,
    or by a value of a searchable field of the community that the reader may see."""
    key = name_key(term)
    values = ProfileValue.objects.visible_to(reader).filter(
        field__site_id=site["id"] or None, field__searchable=True, value__icontains=term
    )
    tags = ProfileTag.objects.filter(
        tag_q(reader),
        field__site_id=site["id"] or None,
        field__searchable=True,
        tag__startswith=tag_key(term),
    )
    return (
        Q(mention_key__contains=key)
        | Q(organisation__name__icontains=term)
        # The job title is the person's own words: hidden with the profile.
        | Q(job_title__icontains=term, profile_hidden_at__isnull=True)
        | Q(pk__in=values.values("user_id"))
        | Q(pk__in=tags.values("user_id"))
    )


@login_required
@require_GET
def directory(request):
    site = sites.current_site(request)
    reader = request.user
    groups = groups_with_visible_members(reader, site)
    form = params.read(
        request,
        DirectoryForm,
        organisations=Organisation.objects.order_by("name"),
        groups=groups,
    )
    filters = form.cleaned_data
    people = listed_people()
    terms = search_terms(request, filters.get("q") or "")
    for term in terms:
        people = people.filter(matching(reader, site, term))
    if filters.get("organisation"):
        people = people.filter(organisation=filters["organisation"])
    if filters.get("group"):
        # Through the memberships the reader may see (the members tab off: managers only).
        people = people.filter(
            pk__in=Membership.objects.visible_to(reader)
            .filter(group=filters["group"])
            .values("user_id")
        )
    tag = tag_key(filters.get("tag") or "")
    if tag:
        people = people.filter(
            pk__in=ProfileTag.objects.filter(
                tag_q(reader), field__site_id=site["id"] or None, field__searchable=True, tag=tag
            ).values("user_id")
        )
    tag_values = (
        ProfileValue.objects.visible_to(reader)
        .filter(field__site_id=site["id"] or None, field__kind=ProfileField.Kind.TAGS)
        .select_related("field")
        .order_by("field__order", "field_id")
    )
    people = (
        people.select_related("organisation")
        .prefetch_related(Prefetch("profile_values", tag_values, to_attr="visible_tags"))
        .order_by("first_name", "last_name", "pk")
    )
    page = params.paginate(request, people, PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    searching = bool(terms or tag or filters.get("organisation") or filters.get("group"))
    return render(
        request,
        "people/directory.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "searching": searching,
            "tag": filters.get("tag") or "",
        },
        status=params.status(request),
    )
