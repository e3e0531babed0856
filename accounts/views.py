from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meent.mentions import name_key

from .forms import PROFILE_PARTS, ProfileForm
from .models import User
from .policies import may_see_picture


def profile(request, pk):
    """A person's public profile: who they are and where they work."""
    person = get_object_or_404(
        User.objects.filter(is_active=True).select_related("organisation"), pk=pk
    )
    own = request.user.pk == person.pk
    context = {
        "person": person,
        "is_own_profile": own,
        # A moderator hid the person's own words and picture: only they still see them.
        "shows_own_words": own or person.profile_hidden_at is None,
        # The picture's own view answers the same (nobody sees a suspended person's).
        "shows_picture": may_see_picture(request.user, person),
        # What other apps add (people/: the community's profile fields the reader may see).
        "profile_sections": [
            section for part in PROFILE_PARTS if (section := part.section(request, person))
        ],
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request):
    data = request.POST if request.method == "POST" else None
    # The parts other apps add (profile fields): saved with the profile or not at all.
    extra_forms = [form for part in PROFILE_PARTS if (form := part.form(request, data))]
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=request.user)
        if all([form.is_valid(), *(extra.is_valid() for extra in extra_forms)]):
            with transaction.atomic():
                form.save()
                for extra in extra_forms:
                    extra.save()
            messages.success(request, _("Your profile has been saved."))
            return redirect(request.user.get_absolute_url())
    else:
        form = ProfileForm(instance=request.user)
    return render(request, "accounts/profile_edit.html", {"form": form, "extra_forms": extra_forms})


MENTION_SUGGESTIONS = 8


@login_required
@require_GET
def mention_suggestions(request):
    """People whose first or last name starts with what was typed after an "@" (the mention
    picker of comments and chat, meent/static/meent/mentions.js, and of the rich-text editor):
    JSON ``{people: [{id, name, organisation, url}]}``, at most eight, one query.
    Compared as mentions are (meent/mentions.py: no case, no accents), and only people who may
    take part, so every name offered is one that a mention reaches."""
    typed = request.GET.get("q", "")
    key = name_key("".join(character for character in typed[:60] if character.isprintable()))
    people = []
    if key:
        now = timezone.now()
        rows = (
            User.objects.filter(is_active=True)
            .filter(Q(suspended_until__isnull=True) | Q(suspended_until__lte=now))
            .filter(Q(mention_key__startswith=key) | Q(mention_key__contains=f" {key}"))
            .exclude(first_name="", last_name="")
            .select_related("organisation")
            .order_by("first_name", "last_name", "pk")[:MENTION_SUGGESTIONS]
        )
        people = [
            {
                "id": person.pk,
                "name": person.display_name,
                "organisation": person.organisation.name if person.organisation else "",
                # The rich-text editor links the mention to the profile.
                "url": person.get_absolute_url(),
            }
            for person in rows
        ]
    return JsonResponse({"people": people})
