"""Everything that changes polls and votes, with its rules, in one place.

Views turn ``PollError`` into a form error or a message with a 4xx status; everything is checked
before anything is saved. A vote takes a row lock on the poll (``select_for_update``) and keeps
the counts with F() expressions inside it, so two votes at once (also two of one person, say a
double click in two tabs) are counted exactly once each, and the unique (poll, voter) constraint
stands behind it. The closing is told once per poll: a conditional UPDATE of
``closed_notified_at`` claims it, so two workers never tell twice.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from activity import services as stream
from groups.policies import is_member
from meent import access
from meent.refusals import Refused
from meent.sanitize import clean_text

from . import policies
from .models import MAX_OPTIONS, MIN_OPTIONS, Ballot, Choice, Option, Poll

logger = logging.getLogger(__name__)

QUESTION_MAX = 300
OPTION_MAX = 200
DESCRIPTION_MAX = 5000
# An end a little in the past (the form was open for a while) is refused all the same: a poll
# must be open for voting when it is made; this is how far ahead a poll may run.
MAX_AHEAD = datetime.timedelta(days=366)


class PollError(Refused):
    """A refused change to a poll or a vote (meent/refusals.py)."""


@dataclass
class PollInput:
    question: str
    ends_at: datetime.datetime | None
    options: list[str] = field(default_factory=list)
    description: str = ""
    multiple: bool = False
    max_choices: int | None = None
    results: str = Poll.Results.AFTER_VOTE
    anonymous: bool = True


def _one_line(text: str) -> str:
    return " ".join(clean_text(text or "").split())


def option_key(label: str) -> str:
    """What makes two options the same: trimmed, inner spaces folded, case folded."""
    return " ".join(label.split()).casefold()


def clean_options(labels) -> list[str]:
    """The options as saved (empty rows dropped), or the refusal on the options' field."""
    options = [_one_line(label) for label in labels]
    options = [label for label in options if label]
    if len(options) < MIN_OPTIONS:
        raise PollError(_("Give at least two options."), field="options")
    if len(options) > MAX_OPTIONS:
        raise PollError(
            _("A poll has at most %(limit)s options.") % {"limit": MAX_OPTIONS}, field="options"
        )
    for label in options:
        if len(label) > OPTION_MAX:
            raise PollError(
                _("An option has at most %(limit)s characters.") % {"limit": OPTION_MAX},
                field="options",
            )
    seen = set()
    for label in options:
        key = option_key(label)
        if key in seen:
            raise PollError(
                _("The option “%(option)s” is there twice: every option must differ.")
                % {"option": label},
                field="options",
            )
        seen.add(key)
    return options


def _clean_question(data: PollInput) -> tuple[str, str]:
    question = _one_line(data.question)
    if not question:
        raise PollError(_("Ask a question."), field="question")
    if len(question) > QUESTION_MAX:
        raise PollError(
            _("A question has at most %(limit)s characters.") % {"limit": QUESTION_MAX},
            field="question",
        )
    description = clean_text(data.description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise PollError(
            _("A description has at most %(limit)s characters.") % {"limit": DESCRIPTION_MAX},
            field="description",
        )
    return question, description


def _check_end(ends_at, now):
    if ends_at is None:
        raise PollError(_("Give the date and time the poll ends."), field="ends_at")
    if ends_at <= now:
        raise PollError(_("The end has passed. Choose a time in the future."), field="ends_at")
    if ends_at > now + MAX_AHEAD:
        raise PollError(_("A poll runs at most a year."), field="ends_at")


def _check_choices(data: PollInput, option_count: int) -> int | None:
    if not data.multiple:
        return None
    if data.max_choices is None:
        return None
    if not 1 <= data.max_choices <= option_count:
        raise PollError(
            _("“At most” is a number from 1 to the number of options (%(count)s).")
            % {"count": option_count},
            field="max_choices",
        )
    return data.max_choices


def create_poll(user, group, data: PollInput) -> Poll:
    if not policies.may_create_in(user, group):
        if not access.is_active_person(user):
            raise PollError(_("Sign in to ask the group a question."), 403)
        if group.is_archived:
            raise PollError(_("This group is archived: nothing can be added to it."), 409)
        if not group.polls_enabled:
            raise PollError(_("This group's polls are switched off."), 409)
        raise PollError(_("Only members of the group make polls in it."), 403)
    now = timezone.now()
    question, description = _clean_question(data)
    options = clean_options(data.options)
    max_choices = _check_choices(data, len(options))
    _check_end(data.ends_at, now)
    if data.results not in Poll.Results.values:
        raise PollError(_("Choose when the results are shown."), field="results")
    with transaction.atomic():
        poll = Poll.objects.create(
            group=group,
            author=user,
            question=question,
            description=description,
            multiple=data.multiple,
            max_choices=max_choices,
            ends_at=data.ends_at,
            results=data.results,
            anonymous=data.anonymous,
            created_at=now,
        )
        Option.objects.bulk_create(
            Option(poll=poll, label=label, position=number) for number, label in enumerate(options)
        )
        group.touch()
        stream.record("polls.created", poll, user)
        transaction.on_commit(lambda: _announce(poll.pk))
    return poll


def _announce(poll_id):
    poll = Poll.objects.select_related("group").filter(pk=poll_id).first()
    if poll is not None and policies.poll_labels(poll):
        stream.announce("polls.created", poll)


def edit_poll(user, poll: Poll, data: PollInput) -> Poll:
    """The question, the description and the end; the options (and single or multiple choice)
    only while nobody voted."""
    if not access.can_edit(user, poll):
        raise PollError(_("Only the poll's author changes it."), 403)
    now = timezone.now()
    question, description = _clean_question(data)
    options = clean_options(data.options) if data.options else None
    _check_end(data.ends_at, now)
    with transaction.atomic():
        locked = Poll.objects.select_for_update(of=("self",)).get(pk=poll.pk)
        if not locked.is_open(now):
            raise PollError(_("This poll has closed: it cannot be changed any more."), 409)
        current = list(locked.options.values_list("label", flat=True))
        if options is not None and options != current:
            if locked.voter_count:
                raise PollError(
                    _("People have voted: the options cannot change any more."),
                    409,
                    field="options",
                )
            locked.options.all().delete()
            Option.objects.bulk_create(
                Option(poll=locked, label=label, position=number)
                for number, label in enumerate(options)
            )
            current = options
        how = (
            data.multiple,
            data.max_choices if data.multiple else None,
            data.results,
            data.anonymous,
        )
        if options is not None and locked.voter_count and how != _how(locked):
            raise PollError(_("People have voted: the options cannot change any more."), 409)
        if not locked.voter_count:
            locked.multiple = data.multiple
            locked.max_choices = _check_choices(data, len(current))
            if data.results in Poll.Results.values:
                locked.results = data.results
            locked.anonymous = data.anonymous
        locked.question = question
        locked.description = description
        locked.ends_at = data.ends_at
        locked.edited_at = now
        locked.save()
    return locked


def _how(poll) -> tuple:
    """How people choose in the poll, as the form sends it."""
    return (
        poll.multiple,
        poll.max_choices if poll.multiple else None,
        poll.results,
        poll.anonymous,
    )


def close_poll(user, poll: Poll) -> Poll:
    """End the poll now (its author, or the group's owners and admins)."""
    now = timezone.now()
    if not policies.may_close(user, poll, now):
        if not poll.is_open(now):
            raise PollError(_("This poll has closed already."), 409)
        raise PollError(_("You may not close this poll."), 403)
    with transaction.atomic():
        Poll.objects.filter(pk=poll.pk, ends_at__gt=now).update(ends_at=now, edited_at=now)
    poll.refresh_from_db()
    return poll


def hide_poll(poll: Poll) -> None:
    """A moderator's hiding: nobody sees it any more, search forgets it (the index's signal)."""
    poll.hidden_at = timezone.now()
    poll.save(update_fields=["hidden_at"])


def delete_poll(user, poll: Poll) -> None:
    if not access.can_moderate(user, poll) and poll.author_id != user.pk:
        raise PollError(_("You may not delete this poll."), 403)
    poll.delete()


# ---------------------------------------------------------------------------------------------
# Votes


def vote(user, poll: Poll, option_ids) -> Ballot:
    """Cast or change one's vote: the ballot's choices become ``option_ids`` (ids of the poll's
    options) and the kept counts move with them, under the poll's row lock."""
    now = timezone.now()
    if not access.is_active_person(user):
        raise PollError(_("Sign in to vote."), 403)
    if not access.can_view(user, poll):
        raise PollError(_("This poll is not there."), 404)
    if poll.group.is_archived:
        raise PollError(_("This group is archived: nobody can vote any more."), 409)
    if not is_member(user, poll.group):
        raise PollError(_("Only members of the group vote in its polls."), 403)
    try:
        chosen = {int(option_id) for option_id in option_ids}
    except (TypeError, ValueError) as error:
        raise PollError(_("Choose from the poll's options."), 400) from error
    if not chosen:
        raise PollError(_("Choose an option to vote."), 400)
    try:
        with transaction.atomic():
            locked = Poll.objects.select_for_update(of=("self",)).get(pk=poll.pk)
            if not locked.is_open(now):
                raise PollError(_("This poll has closed: votes are no longer taken."), 409)
            own = set(locked.options.filter(pk__in=chosen).values_list("pk", flat=True))
            if own != chosen:
                raise PollError(_("Choose from the poll's options."), 400)
            if len(chosen) > locked.most_choices:
                if not locked.multiple:
                    raise PollError(_("Choose one option."), 400)
                raise PollError(
                    _("Choose at most %(count)s options.") % {"count": locked.most_choices}, 400
                )
            ballot = Ballot.objects.filter(poll=locked, voter=user).first()
            if ballot is None:
                ballot = Ballot.objects.create(poll=locked, voter=user, created_at=now)
                Poll.objects.filter(pk=locked.pk).update(voter_count=F("voter_count") + 1)
                before = set()
            else:
                before = set(ballot.choices.values_list("option_id", flat=True))
            added, removed = chosen - before, before - chosen
            if removed:
                ballot.choices.filter(option_id__in=removed).delete()
                Option.objects.filter(pk__in=removed).update(vote_count=F("vote_count") - 1)
            if added:
                Choice.objects.bulk_create(Choice(ballot=ballot, option_id=pk) for pk in added)
                Option.objects.filter(pk__in=added).update(vote_count=F("vote_count") + 1)
            ballot.updated_at = now
            ballot.save(update_fields=["updated_at"])
    except IntegrityError as error:  # pragma: no cover - the lock serialises votes first
        raise PollError(_("Voting did not work; please try again."), 409) from error
    return ballot


def ballot_of(user, poll) -> Ballot | None:
    if not access.is_active_person(user):
        return None
    return Ballot.objects.filter(poll=poll, voter=user).first()


# ---------------------------------------------------------------------------------------------
# The closing


def _claim_closing(poll, now) -> bool:
    """One conditional UPDATE: of two workers at once exactly one gets the row."""
    return (
        Poll.objects.filter(pk=poll.pk, closed_notified_at__isnull=True, ends_at__lte=now).update(
            closed_notified_at=now
        )
        == 1
    )


def tell_closed(poll) -> int:
    """The author and every voter hear that the poll closed (in their own language: the
    notification stores a key). Returns how many were told."""
    from accounts.models import User
    from notifications import notify
    from notifications.models import Kind

    people = User.objects.filter(poll_ballots__poll=poll)
    if poll.author_id:
        people = people | User.objects.filter(pk=poll.author_id)
    told = 0
    for person in people.distinct().order_by("pk").iterator(chunk_size=500):
        notified = notify(
            person,
            Kind.CONVERSATIONS,
            "polls.closed",
            poll.get_absolute_url(),
            params={"title": poll.question},
            about=poll,
        )
        told += notified is not None
    return told


def notify_closed_polls(now=None) -> int:
    """Tell of every poll that closed and was not told of yet; once per poll. Hidden polls and
    those of a group whose polls are off are left until they are back."""
    now = now or timezone.now()
    closed = (
        Poll.objects.filter(
            ends_at__lte=now,
            closed_notified_at__isnull=True,
            hidden_at__isnull=True,
            group__polls_enabled=True,
        )
        .select_related("group")
        .order_by("ends_at", "pk")
    )
    told = 0
    for poll in closed.iterator(chunk_size=200):
        if not _claim_closing(poll, now):
            continue
        try:
            with transaction.atomic():
                told += tell_closed(poll)
        except Exception:
            logger.exception("Telling of the closing of poll %s failed.", poll.pk)
    return told


def results_of(poll, options=None) -> dict:
    """The kept counts as the page, the JSON and the export show them (``options``: the poll's
    options when the caller has them)."""
    options = list(poll.options.all()) if options is None else options
    total = poll.voter_count
    return {
        "voters": total,
        "options": [
            {
                "option": option,
                "id": option.pk,
                "label": option.label,
                "votes": option.vote_count,
                "percent": round(100 * option.vote_count / total) if total else 0,
            }
            for option in options
        ],
    }


def voters_of(poll) -> list[dict]:
    """Who voted what (a named poll): each voter with the labels they chose."""
    labels = {option.pk: option.label for option in poll.options.all()}
    rows = {}
    choices = (
        Choice.objects.filter(ballot__poll=poll)
        .select_related("ballot__voter")
        .order_by("ballot__voter__first_name", "ballot__voter__last_name", "ballot_id", "pk")
    )
    for choice in choices:
        entry = rows.setdefault(choice.ballot_id, {"voter": choice.ballot.voter, "labels": []})
        entry["labels"].append(labels.get(choice.option_id, ""))
    return list(rows.values())
