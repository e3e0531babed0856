"""The demo's polls (demo/content/polls.yaml): asked, voted in and closed through the polls'
services, so the kept counts, the stream and search are the product's own. The file is checked
here against its schema and the people, groups and options it names. Running the demo again adds
nothing: a poll that is there (by its group and question) is left alone."""

import datetime

import yaml
from django.utils import timezone

from demo.loader import CONTENT, Choice, DemoDataError, check
from groups.models import Group
from meent import access
from polls import services
from polls.models import Poll

SCHEMA = {
    "polls": [
        {
            "group": str,
            "author": str,
            "question": str,
            "description?": str,
            "options": [str],
            "answers?": Choice("one", "several"),
            "at_most?": int,
            "results?": Choice("after_vote", "after_close"),
            "votes_are?": Choice("anonymous", "named"),
            "days": int,
            "state?": Choice("closed"),
            "votes": [{"by": str, "choose": [str]}],
        }
    ]
}


def read(content=CONTENT):
    path = content / "polls.yaml"
    with path.open(encoding="utf-8") as stream:
        data = yaml.safe_load(stream)
    try:
        check(data, SCHEMA)
    except DemoDataError as error:
        raise DemoDataError(f"demo/content/polls.yaml: {error}") from None
    return data


def load_polls(people, content=CONTENT) -> None:
    for person in people.values():
        access.forget_memberships(person)
    now = timezone.now()
    for n, spec in enumerate(read(content)["polls"]):
        where = f"demo/content/polls.yaml: polls[{n}]"
        for email in [spec["author"], *(vote["by"] for vote in spec["votes"])]:
            if email not in people:
                raise DemoDataError(f"{where}: {email!r} is not in people.yaml")
        group = Group.objects.filter(slug=spec["group"]).first()
        if group is None:
            raise DemoDataError(f"{where}.group: no group {spec['group']!r}")
        if Poll.objects.filter(group=group, question=spec["question"]).exists():
            continue
        data = services.PollInput(
            question=spec["question"],
            description=spec.get("description", ""),
            options=spec["options"],
            multiple=spec.get("answers") == "several",
            max_choices=spec.get("at_most"),
            ends_at=now + datetime.timedelta(days=spec["days"]),
            results=spec.get("results", "after_vote"),
            anonymous=spec.get("votes_are") != "named",
        )
        try:
            poll = services.create_poll(people[spec["author"]], group, data)
            ids = {option.label: option.pk for option in poll.options.all()}
            for m, vote in enumerate(spec["votes"]):
                unknown = [label for label in vote["choose"] if label not in ids]
                if unknown:
                    raise DemoDataError(f"{where}.votes[{m}].choose: no option {unknown[0]!r}")
                services.vote(people[vote["by"]], poll, [ids[label] for label in vote["choose"]])
            if spec.get("state") == "closed":
                services.close_poll(people[spec["author"]], poll)
        except services.PollError as error:
            raise DemoDataError(f"{where}: {error.message}") from None
