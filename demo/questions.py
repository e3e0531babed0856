"""The demo's questions (demo/content/questions.yaml), asked, answered, voted for and given a
best answer through the questions' services, so the kept counts and the rules are the product's
own. The file is checked here against its schema and the people and groups it names."""

import yaml
from wagtail.models import Site

from demo.loader import CONTENT, DemoDataError, check
from groups.models import Group
from meent import access
from questions import services
from questions.models import Question

SCHEMA = {
    "questions": [
        {
            "asker": str,
            "group?": str,
            "community?": str,
            "visibility?": str,
            "title": str,
            "details": str,
            "answers": [{"by": str, "text": str, "votes?": [str]}],
            "best?": int,
        }
    ]
}


def read(content=CONTENT):
    path = content / "questions.yaml"
    with path.open(encoding="utf-8") as stream:
        data = yaml.safe_load(stream)
    try:
        check(data, SCHEMA)
    except DemoDataError as error:
        raise DemoDataError(f"demo/content/questions.yaml: {error}") from None
    return data


def _site_id(name):
    if name == "main":
        return Site.objects.get(is_default_site=True).pk
    return Site.objects.get(hostname=name).pk


def load_questions(people, content=CONTENT) -> None:
    """Each question once (by its title): running the demo again leaves existing ones alone."""
    for person in people.values():
        access.forget_memberships(person)
    for n, spec in enumerate(read(content)["questions"]):
        where = f"demo/content/questions.yaml: questions[{n}]"
        named = [spec["asker"]] + [a["by"] for a in spec["answers"]]
        named += [v for a in spec["answers"] for v in a.get("votes", ())]
        for email in named:
            if email not in people:
                raise DemoDataError(f"{where}: {email!r} is not in people.yaml")
        if Question.objects.filter(title=spec["title"]).exists():
            continue
        group = Group.objects.get(slug=spec["group"]) if "group" in spec else None
        question = services.ask(
            people[spec["asker"]],
            spec["title"],
            spec["details"],
            group=group,
            visibility=spec.get("visibility", "public"),
            site_id=None if group is not None else _site_id(spec["community"]),
        )
        made = []
        for answer in spec["answers"]:
            made.append(services.answer(people[answer["by"]], question, answer["text"]))
            for voter in answer.get("votes", ()):
                services.vote(people[voter], made[-1])
        if "best" in spec:
            services.mark_best(people[spec["asker"]], question, made[spec["best"] - 1].pk)
