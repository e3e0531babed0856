"""Decision trees as plain data: checking them for mistakes and walking them.

A tree is a list of steps. A question step has a key, the question, optional help and answers;
every answer leads to the key of another step. An outcome step has a key, a title and advice and
ends a path. The first question is where every walk starts.

Nothing here knows about Django models or Wagtail: ``Tree.from_raw`` reads the StreamField's raw
data (``[{"type": "question", "value": {...}}, ...]``), ``blocks.py`` converts block values into
the same shape. ``problems(tree)`` lists what is wrong with a tree (each problem names the
offending step by its key and question); ``walk(tree, trail)`` follows a trail of chosen answers
and never raises on bad input.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

QUESTION = "question"
OUTCOME = "outcome"

#: The separator between answer numbers in a trail, as in ``?trail=0.2.1``.
TRAIL_SEPARATOR = "."
#: A trail longer than this (in characters) is refused before it is parsed.
MAX_TRAIL_CHARS = 400
_TRAIL_PART = re.compile(r"\d{1,3}")


@dataclass(frozen=True)
class Answer:
    label: str
    target: str = ""


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    help: str = ""
    answers: tuple[Answer, ...] = ()
    kind = QUESTION

    @property
    def name(self):
        return self.text


@dataclass(frozen=True)
class Outcome:
    key: str
    title: str
    advice: str = ""
    kind = OUTCOME

    @property
    def name(self):
        return self.title


@dataclass(frozen=True)
class Tree:
    """The steps of a decision aid in the order the editor put them."""

    steps: tuple[Question | Outcome, ...] = ()

    @classmethod
    def from_raw(cls, raw: Iterable[Mapping]) -> "Tree":
        """A tree from StreamField-shaped data: ``{"type": "question"|"outcome", "value": {...}}``.

        Question values have ``key``, ``question``, ``help`` and ``answers`` (each with ``label``
        and ``next``); outcome values have ``key``, ``title`` and ``advice``. Other block types
        are ignored; missing fields read as empty.
        """
        steps = []
        for item in raw:
            kind = item.get("type")
            value = item.get("value") or {}
            if kind == QUESTION:
                answers = tuple(
                    Answer(
                        label=_text(answer.get("label")),
                        target=_text(answer.get("next")).strip(),
                    )
                    for answer in (value.get("answers") or ())
                )
                steps.append(
                    Question(
                        key=_text(value.get("key")).strip(),
                        text=_text(value.get("question")),
                        help=_text(value.get("help")),
                        answers=answers,
                    )
                )
            elif kind == OUTCOME:
                steps.append(
                    Outcome(
                        key=_text(value.get("key")).strip(),
                        title=_text(value.get("title")),
                        advice=_text(value.get("advice")),
                    )
                )
        return cls(tuple(steps))

    @property
    def questions(self) -> list[Question]:
        return [step for step in self.steps if step.kind == QUESTION]

    @property
    def outcomes(self) -> list[Outcome]:
        return [step for step in self.steps if step.kind == OUTCOME]

    @property
    def first(self) -> Question | None:
        """The first question: where every walk starts."""
        return next(iter(self.questions), None)

    def get(self, key: str) -> Question | Outcome | None:
        """The first step with this key (keys should be unique; ``problems`` says when not)."""
        for step in self.steps:
            if step.key == key:
                return step
        return None


def _text(value) -> str:
    if value is None:
        return ""
    source = getattr(value, "source", None)  # a RichText value
    return str(source if source is not None else value)


# --- problems -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One mistake in a tree: ``code`` says which kind, ``key`` names the step (when there is
    one), ``index`` is that step's position in the tree, ``message`` explains it to an editor."""

    code: str
    message: str
    key: str = ""
    index: int | None = None

    def __str__(self):
        return self.message


def describe(step: Question | Outcome) -> str:
    """A step as an editor recognises it: its key and its question (or outcome title)."""
    key = step.key or _("(no key)")
    if step.name:
        return _("“%(key)s” (%(name)s)") % {"key": key, "name": step.name}
    return f"“{key}”"


def problems(tree: Tree) -> list[Problem]:
    """Everything that stops ``tree`` from being walked from its first question to an outcome
    along every path: no steps, a missing or duplicate key, an answer that leads nowhere or to an
    unknown key, a question without answers, a cycle and a step that cannot be reached. An empty
    list means the tree is sound."""
    if not tree.steps:
        return [Problem("empty", _("The decision aid has no steps: add a question."))]
    found = []
    if tree.first is None:
        found.append(
            Problem("no_question", _("The decision aid has no question: add one to start with."))
        )
    index_of = {}
    for index, step in enumerate(tree.steps):
        if not step.key:
            found.append(
                Problem(
                    "no_key",
                    _("Step %(number)d (%(name)s) has no key.")
                    % {"number": index + 1, "name": step.name or "…"},
                    index=index,
                )
            )
            continue
        if step.key in index_of:
            earlier = tree.steps[index_of[step.key]]
            found.append(
                Problem(
                    "duplicate_key",
                    _("The key “%(key)s” is used twice: by %(first)s and by %(second)s.")
                    % {
                        "key": step.key,
                        "first": describe(earlier),
                        "second": describe(step),
                    },
                    key=step.key,
                    index=index,
                )
            )
            continue
        index_of[step.key] = index

    for index, step in enumerate(tree.steps):
        if step.kind != QUESTION:
            continue
        if not step.answers:
            found.append(
                Problem(
                    "no_answers",
                    _("Dead end: the question %(step)s has no answers.") % {"step": describe(step)},
                    key=step.key,
                    index=index,
                )
            )
        for answer in step.answers:
            if not answer.target:
                found.append(
                    Problem(
                        "no_target",
                        _(
                            "Dead end: in the question %(step)s the answer “%(answer)s” does "
                            "not say which step comes next."
                        )
                        % {"step": describe(step), "answer": answer.label},
                        key=step.key,
                        index=index,
                    )
                )
            elif answer.target not in index_of:
                found.append(
                    Problem(
                        "unknown_target",
                        _(
                            "In the question %(step)s the answer “%(answer)s” leads to "
                            "“%(target)s”, but there is no step with that key."
                        )
                        % {"step": describe(step), "answer": answer.label, "target": answer.target},
                        key=step.key,
                        index=index,
                    )
                )

    found.extend(_cycles(tree, index_of))
    found.extend(_unreachable(tree, index_of))
    return found


def _cycles(tree: Tree, index_of: dict[str, int]) -> list[Problem]:
    """Each loop once, named by the step whose answer closes it, with the path around it."""
    found = []
    done = set()
    for start in tree.questions:
        if not start.key or start.key in done:
            continue
        # An iterative depth-first search: (step, next answer to follow); ``path`` is the stack.
        path = [start.key]
        on_path = {start.key}
        stack = [(start, 0)]
        while stack:
            step, position = stack[-1]
            if step.kind != QUESTION or position >= len(step.answers):
                stack.pop()
                path.pop()
                on_path.discard(step.key)
                done.add(step.key)
                continue
            stack[-1] = (step, position + 1)
            answer = step.answers[position]
            if answer.target not in index_of or answer.target in done:
                continue
            if answer.target in on_path:
                loop = path[path.index(answer.target) :] + [answer.target]
                found.append(
                    Problem(
                        "cycle",
                        _(
                            "Loop: in the question %(step)s the answer “%(answer)s” leads back "
                            "to “%(target)s”, so the path %(path)s never ends."
                        )
                        % {
                            "step": describe(step),
                            "answer": answer.label,
                            "target": answer.target,
                            "path": " → ".join(loop),
                        },
                        key=step.key,
                        index=index_of[step.key],
                    )
                )
                continue
            target = tree.steps[index_of[answer.target]]
            path.append(target.key)
            on_path.add(target.key)
            stack.append((target, 0))
    return found


def _unreachable(tree: Tree, index_of: dict[str, int]) -> list[Problem]:
    first = tree.first
    if first is None or not first.key:
        return []
    reached = {first.key}
    pending = [first]
    while pending:
        step = pending.pop()
        if step.kind != QUESTION:
            continue
        for answer in step.answers:
            if answer.target in index_of and answer.target not in reached:
                reached.add(answer.target)
                pending.append(tree.steps[index_of[answer.target]])
    found = []
    for key, index in index_of.items():
        if key in reached:
            continue
        step = tree.steps[index]
        if step.kind == QUESTION:
            message = _(
                "The question %(step)s cannot be reached: no answer on the way from the first "
                "question leads to it."
            )
        else:
            message = _(
                "The outcome %(step)s cannot be reached: no answer on the way from the first "
                "question leads to it."
            )
        found.append(
            Problem("unreachable", message % {"step": describe(step)}, key=key, index=index)
        )
    return found


# --- walking --------------------------------------------------------------------------------


@dataclass
class Walk:
    """Where a trail of answers leads.

    ``question`` is the question to answer now, or ``outcome`` the advice reached (one of the two,
    unless ``error`` says why the trail could not be followed). ``answers`` lists the
    ``(question, answer)`` pairs chosen so far, ``trail`` the answer numbers followed.
    """

    question: Question | None = None
    outcome: Outcome | None = None
    answers: list[tuple[Question, Answer]] = field(default_factory=list)
    trail: tuple[int, ...] = ()
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def current(self) -> Question | Outcome | None:
        return self.outcome or self.question

    def trail_to(self, number: int) -> str:
        """The trail that asks the ``number``-th question of this walk again (0 = the first)."""
        return format_trail(self.trail[:number])

    def trail_with(self, answer_index: int) -> str:
        """The trail after choosing answer ``answer_index`` of the current question."""
        return format_trail((*self.trail, answer_index))


def format_trail(numbers: Sequence[int]) -> str:
    return TRAIL_SEPARATOR.join(str(number) for number in numbers)


def parse_trail(trail: str | Sequence[int] | None) -> tuple[int, ...] | None:
    """The answer numbers of a trail such as ``"0.2.1"``; ``None`` when it is malformed."""
    if trail is None:
        return ()
    if not isinstance(trail, str):
        numbers = tuple(trail)
        if all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers):
            return numbers
        return None
    trail = trail.strip()
    if not trail:
        return ()
    if len(trail) > MAX_TRAIL_CHARS:
        return None
    parts = trail.split(TRAIL_SEPARATOR)
    if not all(_TRAIL_PART.fullmatch(part) for part in parts):
        return None
    return tuple(int(part) for part in parts)


def walk(tree: Tree, trail: str | Sequence[int] | None) -> Walk:
    """Follow ``trail`` (answer numbers, 0-based, e.g. ``"0.2.1"``) from the first question.

    Returns a ``Walk`` at the question to answer next or at the outcome reached. A malformed trail
    (not numbers, an answer that does not exist, answers beyond an outcome, too long) or a broken
    tree gives a ``Walk`` whose ``error`` explains it, with the answers that could be followed;
    this never raises.
    """
    numbers = parse_trail(trail)
    if numbers is None:
        return Walk(
            error=_("This link to the decision aid is damaged: it is not a list of answers.")
        )
    step = tree.first
    if step is None:
        return Walk(error=_("This decision aid has no questions yet."))
    result = Walk(question=step)
    # An acyclic tree never asks more questions than it has; a loop stops here too.
    limit = len(tree.questions)
    for position, number in enumerate(numbers):
        question = result.question
        if question is None:
            result.error = _(
                "This link to the decision aid goes on after the advice has been reached."
            )
            return result
        if position >= limit:
            result.error = _("This link to the decision aid has more answers than questions.")
            return result
        if number >= len(question.answers):
            result.error = _(
                "This link to the decision aid chooses an answer that the question “%(question)s” "
                "does not have."
            ) % {"question": question.text}
            return result
        answer = question.answers[number]
        following = tree.get(answer.target)
        if following is None:
            result.error = _(
                "This decision aid is incomplete: the answer “%(answer)s” leads nowhere."
            ) % {"answer": answer.label}
            return result
        result.answers.append((question, answer))
        result.trail = (*result.trail, number)
        if following.kind == OUTCOME:
            result.question, result.outcome = None, following
        else:
            result.question = following
    return result
