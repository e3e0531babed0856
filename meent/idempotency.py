"""A form posted twice makes one thing.

A browser retries a POST whose response never came (a process stopped, a connection dropped),
and people press Send again when a page is slow. Every form that creates something carries a
*submission key*, a fresh uuid4 in a hidden field (``SubmissionKeyMixin``); the view wraps its
service call in ``once(user, key, create, url)``:

- inside one transaction, the key is claimed first (an INSERT of ``Submission``, unique per person
  and key) and ``create()`` runs only for the first claim; the address the person is sent to is
  stored with the claim;
- a repeat (the claim conflicts) does not call ``create()`` and answers with the first one's
  address (``repeated(request, outcome)``: the same redirect, and a note that it was sent once);
- two posts at the same moment: the second INSERT waits for the first transaction on the unique
  index (PostgreSQL; SQLite runs one writer at a time) and then conflicts, so one thing is made;
- ``create()`` that raises rolls the claim back with everything else: the key is free again and
  the form, shown again with its errors, keeps it (it made nothing).

A form without a key (a page rendered before the key existed, a script) is handled as before,
without the protection: see ``SubmissionKeyField``. A key that is no uuid is an error on the form.
Keys are kept for a week (``purge_submissions``); a person's go with their account (CASCADE).

Toggles (likes, follows, watching a page) and edits that name their base revision need none of
this: doing them twice is doing them once.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FIELD = "submission_key"
# Days a key is remembered: a retry comes within minutes; a week covers a laptop closed mid-post.
KEEP_DAYS = 7


@dataclass(frozen=True)
class Outcome:
    """What ``once`` did: ``url`` where to send the person; ``made`` what ``create()`` returned
    (None on a repeat); ``repeat`` whether the key had been used already."""

    url: str
    made: Any = None
    repeat: bool = False


def once(user, key, create: Callable[[], Any], url: Callable[[Any], str]) -> Outcome:
    """Run ``create()`` once per (``user``, ``key``); ``url(made)``: the address the person is
    sent to, which a repeat answers with. ``key`` None: no claim, ``create()`` runs (in the same
    one transaction). Exceptions of ``create()`` pass through, with nothing kept."""
    from meent.models import Submission

    with transaction.atomic():
        claim = None
        if key is not None:
            try:
                with transaction.atomic():
                    claim = Submission.objects.create(user=user, key=key)
            except IntegrityError:
                first = Submission.objects.get(user=user, key=key)
                return Outcome(first.url, repeat=True)
        made = create()
        address = url(made)
        if claim is not None:
            Submission.objects.filter(pk=claim.pk).update(url=address)
        return Outcome(address, made)


def answered(user, key) -> str | None:
    """The address a key was answered with, or None when it is unused: for a view that checks
    something before its form (a repeat must not meet "you did this already")."""
    from meent.models import Submission

    if key is None or not getattr(user, "is_authenticated", False):
        return None
    return Submission.objects.filter(user=user, key=key).values_list("url", flat=True).first()


def posted_key(data):
    """The submission key in posted data, or None when it is missing or no uuid."""
    try:
        return uuid.UUID(str(data.get(FIELD) or ""))
    except ValueError:
        return None


def earlier_answer(request):
    """The answer to a repeat, or None: for a view that checks something before its form that a
    repeat would fail (the group's address is taken now, the item is reported already) and must
    answer as the first post did. ``once`` stays the guard against two posts at one moment."""
    url = answered(request.user, posted_key(request.POST))
    return repeated(request, url) if url is not None else None


def repeated(request, outcome_or_url):
    """The answer to a repeat: where the first post sent the person, with a note that it was
    sent once (the first answer's own message may never have arrived)."""
    url = getattr(outcome_or_url, "url", outcome_or_url)
    messages.info(request, gettext("You had sent this already: it was saved once."))
    return redirect(url)


def purge(days=KEEP_DAYS, batch_size=1000) -> int:
    """Forget keys older than ``days``; the number forgotten."""
    from meent.models import Submission

    cutoff = timezone.now() - timedelta(days=days)
    deleted = 0
    while True:
        ids = list(
            Submission.objects.filter(created_at__lt=cutoff)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return deleted
        deleted += Submission.objects.filter(pk__in=ids).delete()[0]


# ---------------------------------------------------------------------------------------------
# Forms

INVALID = _("This form was not sent completely, so nothing was saved. Check it and send it again.")


class SubmissionKeyField(forms.UUIDField):
    """The hidden submission key: a fresh uuid4 on every form that is shown; a bound form shown
    again with errors keeps the key it was sent with (it made nothing).

    Not required: a post without a key (a page from before the key, a script, a test client) is
    handled as before, unprotected, rather than refused, and the form shown again with errors gets
    a key. A key that is not a uuid is refused: it was cut off or tampered with; nothing is made,
    and the form shown again carries a fresh key, so sending it again works (no reload, which
    would lose what the person typed)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        kwargs.setdefault("error_messages", {"invalid": INVALID})
        super().__init__(**kwargs)

    def bound_data(self, data, initial):
        # Shown again: the key it was sent with, or a new one in place of a missing or bad one.
        try:
            return str(uuid.UUID(str(data))) if data else initial
        except ValueError:
            return initial


class SubmissionKeyMixin:
    """For a form that creates something: adds the hidden ``submission_key`` field, and shows
    its error at the top of the form (a hidden field's error would be shown nowhere).
    ``form.submission_key``: the cleaned key, or None."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = SubmissionKeyField()

    def full_clean(self):
        super().full_clean()
        errors = getattr(self, "_errors", None)
        if errors and FIELD in errors:
            moved = errors.pop(FIELD)
            self.cleaned_data.pop(FIELD, None)
            errors.setdefault("__all__", self.error_class(error_class="nonfield"))
            errors["__all__"].extend(moved)

    @property
    def submission_key(self):
        return self.cleaned_data.get(FIELD) if hasattr(self, "cleaned_data") else None


class SubmissionKeyForm(SubmissionKeyMixin, forms.Form):
    """Only the key: for a button that creates something (``{% submission_key %}`` in its form,
    meent/templatetags/submission.py)."""
