"""The decision aid page: a tree of questions, walked one question per page.

Every step is a GET URL of its own that carries the answers chosen so far, ``?trail=0.2.1``
(answer numbers, from 0, separated by dots; no trail is the first question). The question's form
sends ``trail`` (hidden, the answers so far) and ``answer`` (the radio button chosen) with GET;
the page then redirects to the canonical URL ``?trail=<trail>.<answer>``. So the browser's back
button returns to the previous question, the outcome's URL can be shared, and it all works
without JavaScript.
"""

from urllib.parse import urlencode

from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from . import tree as decision_tree
from .blocks import DecisionStepsBlock, tree_of

TRAIL_PARAMETER = "trail"
ANSWER_PARAMETER = "answer"


class DecisionAidPage(Page):
    """A decision aid of the toolbox, such as the licence chooser."""

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        max_length=2000,
        help_text=_("Shown above the first question: what this decision aid helps with."),
    )
    steps = StreamField(
        DecisionStepsBlock(),
        verbose_name=_("steps"),
        help_text=_(
            "The questions and outcomes. Everyone starts at the first question; every answer "
            "leads by its key to another question or to an outcome."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("steps")]

    parent_page_types = ["toolbox.ToolboxIndexPage", "toolbox.ToolboxSectionPage"]
    subpage_types = []
    template = "toolbox_decisions/decision_aid_page.html"

    class Meta:
        verbose_name = _("decision aid")
        verbose_name_plural = _("decision aids")

    @cached_property
    def tree(self):
        return tree_of(self.steps)

    @cached_property
    def step_blocks(self):
        """The stream's blocks by key, to render a step with its own block template."""
        found = {}
        for child in self.steps:
            key = (child.value.get("key") or "").strip()
            found.setdefault(key, child)
        return found

    def step_url(self, request, trail):
        """The URL of the step after these answers (a trail string); the start without one.
        Relative to the request's own host: with several communities ``self.url`` is the
        Site's full URL, which need not be the address the page was asked at (a form action
        on another origin is refused by CSP, a redirect to it is a dead end)."""
        start = self.get_url(request) or ""
        if not trail:
            return start
        return f"{start}?{urlencode({TRAIL_PARAMETER: trail})}"

    def serve(self, request, *args, **kwargs):
        trail = request.GET.get(TRAIL_PARAMETER, "")
        answer = request.GET.get(ANSWER_PARAMETER)
        walk = decision_tree.walk(self.tree, trail)
        choice_error = ""
        if answer is not None and walk.ok and walk.question is not None:
            number = decision_tree.parse_trail(answer)
            if number is not None and len(number) == 1 and number[0] < len(walk.question.answers):
                return HttpResponseRedirect(self.step_url(request, walk.trail_with(number[0])))
            choice_error = gettext("Choose one of the answers.")
        elif answer is not None and walk.ok:
            # An answer sent to an outcome: show the outcome at its own address.
            return HttpResponseRedirect(
                self.step_url(request, decision_tree.format_trail(walk.trail))
            )
        context = self.get_context(request, *args, **kwargs)
        context.update(self.walk_context(request, walk, choice_error))
        status = 400 if walk.error or choice_error else 200
        return TemplateResponse(
            request, self.get_template(request, *args, **kwargs), context, status=status
        )

    def walk_context(self, request, walk, choice_error=""):
        trail = decision_tree.format_trail(walk.trail)
        given = [
            {
                "question": question,
                "answer": answer,
                "change_url": self.step_url(request, walk.trail_to(number)),
            }
            for number, (question, answer) in enumerate(walk.answers)
        ]
        options = []
        if walk.question is not None:
            options = [
                {"value": index, "label": answer.label, "id": f"answer-{index}"}
                for index, answer in enumerate(walk.question.answers)
            ]
        current = walk.current
        return {
            "walk": walk,
            "trail": trail,
            "given": given,
            "options": options,
            "choice_error": choice_error,
            "step_block": self.step_blocks.get(current.key) if current else None,
            "step_number": len(walk.answers) + 1,
            "start_url": self.step_url(request, ""),
            "share_url": request.build_absolute_uri(self.step_url(request, trail)),
            "is_start": walk.ok and not walk.answers,
        }
