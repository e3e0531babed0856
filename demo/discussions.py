"""The demo's discussions (demo/content/discussions.yaml): started, answered, quoted, pinned and
closed through the discussions' services, so the kept counts, the stream and search are the
product's own. The file is checked here against its schema and the people and groups it names.
Running the demo again adds nothing: a discussion that is there (by its group and title) is
left alone."""

import yaml

from demo.loader import CONTENT, Choice, DemoDataError, check
from discussions import services
from discussions.models import Discussion
from groups.models import Group
from meent import access

SCHEMA = {
    "discussions": [
        {
            "group": str,
            "author": str,
            "title": str,
            "text": str,
            "state?": Choice("pinned", "closed"),
            "replies": [{"by": str, "text": str, "quote?": str}],
        }
    ]
}


def read(content=CONTENT):
    path = content / "discussions.yaml"
    with path.open(encoding="utf-8") as stream:
        data = yaml.safe_load(stream)
    try:
        check(data, SCHEMA)
    except DemoDataError as error:
        raise DemoDataError(f"demo/content/discussions.yaml: {error}") from None
    return data


def _quote(spec, made, where):
    """A reply's quote ("start", or an earlier reply: "reply 1" is the first) as the services
    take it: "start" or the reply's id."""
    quote = spec.get("quote")
    if quote is None or quote == "start":
        return quote
    number = quote.removeprefix("reply ")
    if not number.isdigit() or not 1 <= int(number) <= len(made):
        raise DemoDataError(f'{where}.quote: give "start" or an earlier reply ("reply 1")')
    return str(made[int(number) - 1].pk)


def load_discussions(people, content=CONTENT) -> None:
    for person in people.values():
        access.forget_memberships(person)
    for n, spec in enumerate(read(content)["discussions"]):
        where = f"demo/content/discussions.yaml: discussions[{n}]"
        for email in [spec["author"], *(reply["by"] for reply in spec["replies"])]:
            if email not in people:
                raise DemoDataError(f"{where}: {email!r} is not in people.yaml")
        group = Group.objects.filter(slug=spec["group"]).first()
        if group is None:
            raise DemoDataError(f"{where}.group: no group {spec['group']!r}")
        if Discussion.objects.filter(group=group, title=spec["title"]).exists():
            continue
        discussion = services.start(people[spec["author"]], group, spec["title"], spec["text"])
        made = []
        for m, reply in enumerate(spec["replies"]):
            quote = _quote(reply, made, f"{where}.replies[{m}]")
            made.append(services.reply(people[reply["by"]], discussion, reply["text"], quote))
        owner = group.memberships.filter(role="owner").select_related("user").first()
        manager = owner.user if owner else people[spec["author"]]
        if spec.get("state") == "pinned":
            services.pin(manager, discussion)
        elif spec.get("state") == "closed":
            services.close(manager, discussion)
