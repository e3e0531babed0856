"""A person's polls and votes (privacy/registry.py).

The export holds the polls one asked (with their result when one may see it: the same
``may_see_results`` as the page and the JSON) and one's own votes, also in anonymous polls: which
options one chose is one's own data. Deleting an account keeps its ballots counted but without a
voter (the foreign key is SET_NULL: nobody can link them to the person any more), and its polls
stay for the group, as by a former member.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.registry import PrivacyPart, absolute, iso, register
from search.indexing import queue_ids

from . import policies
from .models import Ballot, Choice, Poll


def _visible_ids(user, poll_ids):
    return set(Poll.objects.visible_to(user).filter(pk__in=poll_ids).values_list("pk", flat=True))


def asked(user, files):
    polls = list(
        Poll.objects.filter(author=user)
        .select_related("group")
        .prefetch_related("options")
        .order_by("created_at", "pk")
    )
    voted = set(Ballot.objects.filter(voter=user, poll__in=polls).values_list("poll_id", flat=True))
    rows = []
    for poll in polls:
        shown = policies.may_see_results(user, poll, voted=poll.pk in voted)
        rows.append(
            {
                "question": poll.question,
                "description": poll.description,
                "group": poll.group.name,
                "options": [
                    {"option": option.label, "votes": option.vote_count if shown else None}
                    for option in poll.options.all()
                ],
                "voters": poll.voter_count if shown else None,
                "multiple_choice": poll.multiple,
                "at_most": poll.max_choices,
                "results_shown": poll.results,
                "anonymous": poll.anonymous,
                "asked": iso(poll.created_at),
                "ends": iso(poll.ends_at),
                "link": absolute(poll.get_absolute_url()),
            }
        )
    return rows


def votes(user, files):
    ballots = list(
        Ballot.objects.filter(voter=user).select_related("poll__group").order_by("created_at", "pk")
    )
    visible = _visible_ids(user, {ballot.poll_id for ballot in ballots})
    chosen = {}
    for choice in Choice.objects.filter(ballot__in=ballots).select_related("option"):
        chosen.setdefault(choice.ballot_id, []).append(choice.option)
    return [
        {
            # A poll one may no longer see (hidden, a group one left) is not named.
            "poll": b.poll.question if b.poll_id in visible else None,
            "link": absolute(b.poll.get_absolute_url()) if b.poll_id in visible else None,
            "chosen": [
                option.label
                for option in sorted(chosen.get(b.pk, []), key=lambda o: (o.position, o.pk))
            ],
            "anonymous": b.poll.anonymous,
            "voted": iso(b.created_at),
            "changed": iso(b.updated_at),
        }
        for b in ballots
    ]


def plan_asked(user):
    count = Poll.objects.filter(author=user).count()
    if not count:
        return []
    return [
        ngettext(
            "%(counter)s poll you asked stays for the group, as by a former member.",
            "%(counter)s polls you asked stay for their groups, as by a former member.",
            count,
        )
        % {"counter": count}
    ]


def erase_asked(user, erasure):
    # They lose their author (SET_NULL sends no signals): the search index must hear of it.
    queue_ids("poll", list(Poll.objects.filter(author=user).values_list("pk", flat=True)))


def plan_votes(user):
    count = Ballot.objects.filter(voter=user).count()
    if not count:
        return []
    return [
        ngettext(
            "%(counter)s vote of yours stays counted, but nobody can tell it was yours.",
            "%(counter)s votes of yours stay counted, but nobody can tell they were yours.",
            count,
        )
        % {"counter": count}
    ]


register(
    PrivacyPart(
        "polls_asked",
        _("Polls you asked"),
        98,
        export=asked,
        held=lambda user: Poll.objects.filter(author=user),
        plan=plan_asked,
        erase=erase_asked,
    )
)
register(
    PrivacyPart(
        "poll_votes",
        _("Your votes in polls"),
        99,
        export=votes,
        held=lambda user: Ballot.objects.filter(voter=user),
        plan=plan_votes,
    )
)
