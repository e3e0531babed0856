from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from meent.sanitize import clean_text, without_bidi_controls
from meent.uploads import content_named, validate_image

from .models import User


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (allauth calls ``signup`` after creating the user)."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, help_text=_("Including prefixes, e.g. de Vries.")
    )

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        if "email" in self.fields:
            self.fields["email"].help_text = _(
                "Use your work address: it places you in your organisation."
            )

    def signup(self, request, user):
        user.first_name = without_bidi_controls(self.cleaned_data["first_name"]).strip()
        user.last_name = without_bidi_controls(self.cleaned_data["last_name"]).strip()
        user.save(update_fields=["first_name", "last_name"])


def validate_avatar(upload, stem="avatar", *, what="profile picture", user=None):
    """Check an uploaded avatar by its content, not its name: a real, modest raster image (see
    meent/uploads.py), without a virus. The upload is then named after what it is
    (``avatar.png``)."""
    kind = validate_image(
        upload,
        settings.AVATAR_MAX_BYTES,
        max_side=settings.AVATAR_MAX_PIXELS,
        what=what,
        user=user,
    )
    content_named(upload, stem, kind)
    return kind


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "job_title", "about", "avatar", "avatar_alt"]
        widgets = {
            "about": forms.Textarea(attrs={"rows": 6}),
            "avatar": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
            ),
        }
        help_texts = {
            "about": _("Plain text; web addresses become links."),
            "avatar": _("JPEG, PNG, WebP or GIF, at most 2 MB."),
            "avatar_alt": _("Describe the picture for people who cannot see it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        # A new upload has a content type; an unchanged avatar is the stored file.
        if avatar and hasattr(avatar, "content_type"):
            validate_avatar(avatar, user=self.instance if self.instance.pk else None)
        return avatar

    def clean_about(self):
        return clean_text(self.cleaned_data.get("about", ""))

    # Names are shown beside other people's words everywhere: no characters that reorder them.
    def clean_first_name(self):
        return without_bidi_controls(self.cleaned_data.get("first_name", "")).strip()

    def clean_last_name(self):
        return without_bidi_controls(self.cleaned_data.get("last_name", "")).strip()

    def clean_job_title(self):
        return without_bidi_controls(self.cleaned_data.get("job_title", "")).strip()

    def clean(self):
        cleaned = super().clean()
        avatar = cleaned.get("avatar")
        if avatar and not cleaned.get("avatar_alt", "").strip():
            self.add_error(
                "avatar_alt", _("Describe your picture, so that everyone knows what it shows.")
            )
        return cleaned


# Parts that other apps add to the profile (people/ adds the community's profile fields), each
# registered from its app's ready(): accounts imports none of them. A part has
# ``form(request, data)``: a form for the person's own profile, or None (validated and saved
# with the profile form, in one transaction: ``save()``; a ``legend`` and maybe a
# ``stylesheet``), and ``section(request, person)``: a dict with a ``template`` (maybe a
# ``stylesheet``, and what it shows) for the profile page, or None.
PROFILE_PARTS = []


def register_profile_part(part):
    if part not in PROFILE_PARTS:
        PROFILE_PARTS.append(part)
    return part
