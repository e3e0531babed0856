from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import ProfileForm
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
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile has been saved."))
            return redirect(request.user.get_absolute_url())
    else:
        form = ProfileForm(instance=request.user)
    return render(request, "accounts/profile_edit.html", {"form": form})
