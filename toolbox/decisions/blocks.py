"""The blocks a community manager builds a decision aid from: questions, answers and outcomes.

``DecisionStepsBlock`` checks the whole tree when the page is saved (``tree.problems``) and refuses
a tree with a loop, a dead end, an unknown or duplicate key or an unreachable step, naming the step.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.rich_text import RichText

from . import tree as decision_tree

TEMPLATES = "toolbox_decisions/blocks/"
PREVIEW_TEMPLATE = TEMPLATES + "preview.html"


class AnswerBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("answer"), max_length=200)
    next = blocks.CharBlock(
        label=_("next step"),
        max_length=50,
        required=False,  # an empty one is reported as a dead end, naming its question
        validators=[validate_slug],
        help_text=_("The key of the question or outcome that follows this answer."),
    )

    class Meta:
        icon = "arrow-right"
        label = _("answer")
        template = TEMPLATES + "answer.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("One answer to a question and the key of the step it leads to.")
        preview_value = {"label": "Ja, het is software", "next": "delen"}


class QuestionBlock(blocks.StructBlock):
    key = blocks.CharBlock(
        label=_("key"),
        max_length=50,
        validators=[validate_slug],
        help_text=_(
            "A short name for this step, unique in this decision aid (letters, digits, - and _), "
            "e.g. “network-use”. Answers lead here by this key."
        ),
    )
    question = blocks.CharBlock(label=_("question"), max_length=300)
    help = blocks.TextBlock(
        label=_("help text"),
        required=False,
        max_length=1000,
        help_text=_("Optional explanation shown under the question."),
    )
    answers = blocks.ListBlock(AnswerBlock(), label=_("answers"), min_num=1)

    class Meta:
        icon = "help"
        label = _("question")
        template = TEMPLATES + "question.html"
        preview_template = PREVIEW_TEMPLATE
        description = _(
            "A question with its answers; each answer leads to another question or an outcome. "
            "The first question is where everyone starts."
        )
        preview_value = {
            "key": "soort",
            "question": "Wat wil je publiceren?",
            "help": "Kies wat het meest op jouw project lijkt.",
            "answers": [
                {"label": "Software", "next": "delen"},
                {"label": "Documentatie of data", "next": "cc-by"},
            ],
        }


class OutcomeBlock(blocks.StructBlock):
    key = blocks.CharBlock(
        label=_("key"),
        max_length=50,
        validators=[validate_slug],
        help_text=_("A short name for this outcome, unique in this decision aid, e.g. “eupl”."),
    )
    title = blocks.CharBlock(label=_("title"), max_length=200)
    advice = blocks.RichTextBlock(
        label=_("advice"), features=["bold", "italic", "link", "ol", "ul", "h3", "code"]
    )
    recommendation = blocks.CharBlock(
        label=_("recommendation"),
        required=False,
        max_length=100,
        help_text=_("Optional: what to choose, in short, e.g. a licence identifier (EUPL-1.2)."),
    )
    recommendation_url = blocks.URLBlock(
        label=_("link to the recommendation"),
        required=False,
        help_text=_("Optional: where to read more, e.g. the licence text."),
    )

    class Meta:
        icon = "tick-inverse"
        label = _("outcome")
        template = TEMPLATES + "outcome.html"
        preview_template = PREVIEW_TEMPLATE
        description = _(
            "Where a path ends: the advice, with an optional recommendation and a link to it."
        )
        preview_value = {
            "key": "eupl",
            "title": "Kies de EUPL-1.2",
            "advice": "<p>De EUPL is de gebruikelijke licentie voor software van de overheid.</p>",
            "recommendation": "EUPL-1.2",
            "recommendation_url": "https://interoperable-europe.ec.europa.eu/collection/eupl",
        }


def raw_steps(value):
    """StreamField-shaped plain data (what ``tree.Tree.from_raw`` reads) from a stream value."""
    raw = []
    for child in value:
        data = child.value
        if child.block_type == decision_tree.QUESTION:
            raw.append(
                {
                    "type": decision_tree.QUESTION,
                    "value": {
                        "key": data.get("key"),
                        "question": data.get("question"),
                        "help": data.get("help"),
                        "answers": [
                            {"label": answer.get("label"), "next": answer.get("next")}
                            for answer in (data.get("answers") or ())
                        ],
                    },
                }
            )
        elif child.block_type == decision_tree.OUTCOME:
            advice = data.get("advice")
            raw.append(
                {
                    "type": decision_tree.OUTCOME,
                    "value": {
                        "key": data.get("key"),
                        "title": data.get("title"),
                        "advice": advice.source if isinstance(advice, RichText) else advice,
                    },
                }
            )
    return raw


def tree_of(value):
    """The ``tree.Tree`` of a stream value of ``DecisionStepsBlock``."""
    return decision_tree.Tree.from_raw(raw_steps(value))


class DecisionStepsBlock(blocks.StreamBlock):
    question = QuestionBlock()
    outcome = OutcomeBlock()

    class Meta:
        icon = "list-ul"
        label = _("steps")
        template = TEMPLATES + "steps.html"
        description = _("The questions and outcomes of a decision aid.")

    def clean(self, value):
        cleaned = super().clean(value)
        found = decision_tree.problems(tree_of(cleaned))
        if found:
            # Each problem at the top of the field, and again on the step it is about.
            block_errors = {}
            for problem in found:
                if problem.index is not None and problem.index not in block_errors:
                    block_errors[problem.index] = StructBlockValidationError(
                        non_block_errors=[ValidationError(problem.message)]
                    )
            raise StreamBlockValidationError(
                block_errors=block_errors,
                non_block_errors=[ValidationError(problem.message) for problem in found],
            )
        return cleaned
