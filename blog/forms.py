"""The blog's forms. They keep what the person typed; the services clean and check the rest
(blog/services.py), and the views put a refused field's message next to that field."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meent.idempotency import SubmissionKeyMixin
from meent.mentions import picker_attrs
from meent.params import NumberField, QueryForm
from meent.uploads import validate_image

from .models import Post
from .services import MAX_TAGS, Publish


class PostForm(SubmissionKeyMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the post a title.")},
    )
    summary = forms.CharField(
        label=_("Summary (optional)"),
        max_length=300,
        required=False,
        help_text=_("One or two sentences, shown in lists of posts."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 20,
                "data-rich-text": "",
                # The editor's people picker (meent/frontend/editor.js).
                "data-mentions-url": picker_attrs()["data-mentions-url"],
            }
        ),
    )
    cover = forms.FileField(
        label=_("Cover image (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    cover_alt = forms.CharField(
        label=_("Description of the cover image"),
        max_length=200,
        required=False,
        help_text=_(
            "Required with a cover image: describe it for people who cannot see it, "
            "for example “Three colleagues at a whiteboard”."
        ),
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)
    tags = forms.CharField(
        label=_("Tags (optional)"),
        required=False,
    )
    visibility = forms.ChoiceField(
        label=_("Who may read the post"),
        choices=Post.Visibility.choices,
        initial=Post.Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    publish = forms.ChoiceField(
        label=_("Publication"),
        choices=[
            (Publish.DRAFT, _("Save as a draft: only you can see it")),
            (Publish.NOW, _("Publish now")),
            (Publish.LATER, _("Publish at a set time")),
        ],
        initial=Publish.DRAFT,
        widget=forms.RadioSelect,
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at (date and time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, group=None, post=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish_at"].help_text = _(
            "Only for “Publish at a set time”. Time zone: %(zone)s."
        ) % {"zone": timezone.get_current_timezone_name()}
        self.fields["tags"].help_text = _(
            "Separate tags with commas, at most %(max)s; for example: open source, privacy."
        ) % {"max": MAX_TAGS}
        if group is not None:
            # A group post is read by whoever may read the group's content: nothing to choose.
            del self.fields["visibility"]
        if post is None or not post.cover:
            del self.fields["remove_cover"]
        if post is not None and post.is_published:
            self.fields["publish"].choices = [
                (Publish.DRAFT, _("Unpublish: make it a draft again")),
                (Publish.NOW, _("Keep it published (its date stays the same)")),
                (Publish.LATER, _("Publish at a set time")),
            ]

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover:
            # By its content, not its name (meent/uploads.py); services.save_post names the
            # stored file after what it is.
            validate_image(cover, settings.MEENT_BLOG_COVER_MAX_BYTES, scan=False)
        return cover

    @classmethod
    def initial_for(cls, post):
        if post.published_at is None:
            publish = Publish.DRAFT
        elif post.is_scheduled:
            publish = Publish.LATER
        else:
            publish = Publish.NOW
        return {
            "title": post.title,
            "summary": post.summary,
            "body": post.body,
            "cover_alt": post.cover_alt,
            "tags": ", ".join(tag.name for tag in post.tags.all()),
            "visibility": post.visibility,
            "publish": publish,
            "publish_at": post.published_at if post.is_scheduled else None,
        }


class CommentForm(SubmissionKeyMixin, forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4, **picker_attrs()}),
        help_text=_("Plain text. Web addresses become links; name someone with @First Last."),
        error_messages={"required": _("Write something before you send your comment.")},
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RemoveCommentForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the author)"),
        max_length=300,
        error_messages={"required": _("Give a reason: the author is told why.")},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: “personal data of someone else”."),
    )


class PostFilterForm(QueryForm):
    """/blog/?tag=&group=&organisation=&author=: what the list of posts is narrowed to. Tags,
    groups and organisations by slug (one that matches nothing lists nothing), people by id."""

    tag = forms.CharField(label=_("Tag"), required=False, max_length=100)
    group = forms.CharField(label=_("Group"), required=False, max_length=100)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=100)
    author = NumberField(label=_("Author"))


class NewPostQuery(QueryForm):
    """/blog/new/?group=<slug>: the group the new post is for."""

    group = forms.SlugField(label=_("Group"), required=False, allow_unicode=True, max_length=100)


class ReplyForm(QueryForm):
    """?reply=<comment id>: the post's page opens the reply form under that comment's thread."""

    reply = NumberField(label=_("Reply"))
