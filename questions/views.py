"""Questions' pages: the lists (a group's and the community's), asking, a question's page with its
answers, and the forms and buttons on it; similar questions while typing (``similar``, JSON).

Every list asks ``visible_to``; what a person may not see answers 404 (as if it were not there),
what they see but may not do answers 403 with the reason. Every change goes through
questions/services.py, whose refusals (``QuestionError``) come back as the form again with the
message at its field, or as a message with the refusal's 4xx status.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.context import group_page_context
from groups.models import Group
from groups.views import visible_group_or_404
from meent import access, idempotency, params, refusals, sites
from meent.mentions import unreached_in_html, warn_writer
from search.backends import SearchQuery, with_fallback

from . import policies, services
from .forms import (
    AnswerEditForm,
    AnswerForm,
    AnswersPage,
    AskForm,
    BestAnswerForm,
    ListQuery,
    QuestionForm,
    SimilarQuery,
    VoteForm,
)
from .models import Answer, AnswerVote, Question
from .services import QuestionError

QUESTIONS_PER_PAGE = 25
ANSWERS_PER_PAGE = 50
MAX_SIMILAR = 5
MAX_SIMILAR_QUERY = 200


def questions_group_or_404(request, group_slug):
    """The group, when the person may know it and its questions tab is on."""
    group = visible_group_or_404(request, group_slug)
    if not group.questions_enabled:
        raise Http404(_("This group has no questions."))
    return group


def _context(request, group, **extra):
    context = group_page_context(request.user, group) if group is not None else {"group": None}
    context["tab"] = "questions"
    context.update(extra)
    return context


def refuse(request, error, context):
    return refusals.refuse(request, error, "questions/refused.html", context)


def _question_or_404(request, question_id, group=None):
    question = get_object_or_404(
        Question.objects.visible_to(request.user).select_related("group", "author__organisation"),
        pk=question_id,
    )
    if group is not None and question.group_id != group.pk:
        raise Http404(_("This question is not in this group."))
    return question


def _answer_or_404(request, answer_id):
    return get_object_or_404(
        Answer.objects.visible_to(request.user).select_related("question__group", "author"),
        pk=answer_id,
    )


# ---------------------------------------------------------------------------------------------
# Lists


def _list(request, group, questions):
    # Read once, by paginate below (its problems are told there); here only the filter.
    query = params.bind(request, ListQuery)
    show = query.cleaned_data.get("show") or ""
    if show == "unanswered":
        questions = questions.filter(answer_count=0)
    elif show == "answered":
        questions = questions.filter(best_answer__isnull=False)
    questions = questions.select_related("group", "author__organisation", "best_answer").order_by(
        "-last_activity_at", "-pk"
    )
    page = params.paginate(request, questions, QUESTIONS_PER_PAGE, ListQuery)
    context = _context(
        request,
        group,
        page_obj=page,
        show=show,
        show_choices=query.fields["show"].choices,
        query=f"show={show}" if show else "",
        may_ask=policies.may_ask_in(request.user, group),
        ask_url=(
            reverse("group_questions:ask", args=[group.slug])
            if group is not None
            else reverse("questions:ask")
        ),
    )
    return render(request, "questions/list.html", context, status=params.status(request))


@require_GET
def community_list(request):
    site = sites.current_site(request)
    questions = Question.objects.visible_to(request.user).on_site(site)
    return _list(request, None, questions)


@require_GET
def group_list(request, group_slug):
    group = questions_group_or_404(request, group_slug)
    questions = Question.objects.visible_to(request.user).filter(group=group)
    return _list(request, group, questions)


# ---------------------------------------------------------------------------------------------
# Asking and editing a question


def _render_form(request, form, group=None, question=None, status=200):
    context = _context(request, group, form=form, question=question)
    return render(request, "questions/question_form.html", context, status=status)


def _refuse_asking(request, group):
    if policies.may_ask_in(request.user, group):
        return None
    if group is not None and group.is_archived:
        error = QuestionError(_("This group is archived: nothing can be added to it."), 409)
    else:
        error = QuestionError(_("Only members of the group can ask questions in it."), 403)
    return refuse(request, error, _context(request, group))


def _ask(request, group):
    refused = _refuse_asking(request, group)
    if refused:
        return refused
    if request.method != "POST":
        return _render_form(request, AskForm(group=group), group)
    form = AskForm(request.POST, group=group)
    if not form.is_valid():
        return _render_form(request, form, group, status=400)
    data = form.cleaned_data
    try:
        outcome = idempotency.once(
            request.user,
            form.submission_key,
            lambda: services.ask(
                request.user,
                data["title"],
                data.get("body", ""),
                group=group,
                visibility=data.get("visibility") or access.Visibility.PUBLIC,
                site_id=sites.current_site_id(request),
            ),
            lambda question: question.get_absolute_url(),
        )
    except QuestionError as error:
        refusals.on_form(form, error)
        return _render_form(request, form, group, status=error.status)
    if outcome.repeat:
        return idempotency.repeated(request, outcome)
    question = outcome.made
    nobody, unreadable = unreached_in_html(
        question.body, lambda person: access.can_view(person, question), author=request.user
    )
    warn_writer(request, nobody, unreadable)
    messages.success(request, _("Your question is asked."))
    return redirect(outcome.url)


@login_required
@require_http_methods(["GET", "POST"])
def ask(request):
    return _ask(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def group_ask(request, group_slug):
    return _ask(request, questions_group_or_404(request, group_slug))


@login_required
@require_http_methods(["GET", "POST"])
def edit_question(request, question_id):
    question = _question_or_404(request, question_id)
    group = question.group
    if not access.can_edit(request.user, question):
        error = QuestionError(_("Only the person who asked a question can change it."), 403)
        return refuse(request, error, _context(request, group, question=question))
    if request.method != "POST":
        initial = {"title": question.title, "body": question.body}
        if group is None:
            initial["visibility"] = question.visibility
        return _render_form(request, QuestionForm(initial=initial, group=group), group, question)
    form = QuestionForm(request.POST, group=group)
    if not form.is_valid():
        return _render_form(request, form, group, question, status=400)
    data = form.cleaned_data
    try:
        services.edit(
            request.user, question, data["title"], data.get("body", ""), data.get("visibility")
        )
    except QuestionError as error:
        refusals.on_form(form, error)
        return _render_form(request, form, group, question, status=error.status)
    messages.success(request, _("Your question is saved."))
    return redirect(question.get_absolute_url())


# ---------------------------------------------------------------------------------------------
# The question's page


def _page_context(request, question, answer_form=None):
    user = request.user
    visible = Answer.objects.visible_to(user).filter(question=question)
    best = None
    if question.best_answer_id:
        best = visible.select_related("author__organisation").filter(pk=question.best_answer_id)
        best = best.first()
    others = visible.select_related("author__organisation").order_by("-score", "created_at", "pk")
    if best is not None:
        others = others.exclude(pk=best.pk)
    # A bad page number: a message and 400; beyond the end: the last page, with a note.
    page = params.paginate(request, others, ANSWERS_PER_PAGE, AnswersPage)
    answers = list(page.object_list)
    # The best answer first, on the first page only.
    if best is not None and page.number == 1:
        answers.insert(0, best)
    voted = set()
    if access.is_active_person(user) and answers:
        voted = set(
            AnswerVote.objects.filter(
                voter=user, answer_id__in=[a.pk for a in answers]
            ).values_list("answer_id", flat=True)
        )
    for answer in answers:
        answer.voted = answer.pk in voted
        answer.is_best = answer.pk == question.best_answer_id
        answer.may_vote = access.is_active_person(user) and answer.author_id != user.pk
        answer.may_edit = answer.author_id == user.pk and access.can_edit(user, answer)
    may_answer = policies.may_answer(user, question)
    if answer_form is None and may_answer and not question.is_closed:
        answer_form = AnswerForm()
    return _context(
        request,
        question.group,
        question=question,
        answers=answers,
        page_obj=page,
        answer_form=answer_form,
        may_answer=may_answer,
        may_decide=policies.may_decide(user, question),
        can_edit=access.can_edit(user, question),
    )


def _show(request, question):
    return sites.redirect_to_site(request, question.community_id) or render(
        request,
        "questions/question.html",
        _page_context(request, question),
        status=params.status(request),
    )


@require_GET
def question_page(request, question_id):
    question = _question_or_404(request, question_id)
    if question.group_id:
        return redirect(question.get_absolute_url())
    return _show(request, question)


@require_GET
def group_question_page(request, group_slug, question_id):
    group = questions_group_or_404(request, group_slug)
    question = _question_or_404(request, question_id, group)
    question.group = group
    return _show(request, question)


# ---------------------------------------------------------------------------------------------
# Answering, voting, the best answer


@login_required
@require_POST
def post_answer(request, question_id):
    question = _question_or_404(request, question_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        context = _page_context(request, question, answer_form=form)
        return render(request, "questions/question.html", context, status=400)
    try:
        outcome = idempotency.once(
            request.user,
            form.submission_key,
            lambda: services.answer(request.user, question, form.cleaned_data["body"]),
            lambda made: made.get_absolute_url(),
        )
    except QuestionError as error:
        refusals.on_form(form, error)
        context = _page_context(request, question, answer_form=form)
        return render(request, "questions/question.html", context, status=error.status)
    if outcome.repeat:
        return idempotency.repeated(request, outcome)
    made = outcome.made
    nobody, unreadable = unreached_in_html(
        made.body, lambda person: access.can_view(person, made), author=request.user
    )
    warn_writer(request, nobody, unreadable)
    messages.success(request, _("Your answer is added."))
    return redirect(outcome.url)


@login_required
@require_http_methods(["GET", "POST"])
def edit_answer(request, answer_id):
    answer = _answer_or_404(request, answer_id)
    question = answer.question
    context = _context(request, question.group, question=question, answer=answer)
    if not access.can_edit(request.user, answer):
        error = QuestionError(_("Only the person who wrote an answer can change it."), 403)
        return refuse(request, error, context)
    if request.method != "POST":
        context["form"] = AnswerEditForm(initial={"body": answer.body})
        return render(request, "questions/answer_form.html", context)
    form = AnswerEditForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "questions/answer_form.html", context, status=400)
    try:
        services.edit_answer(request.user, answer, form.cleaned_data["body"])
    except QuestionError as error:
        refusals.on_form(form, error)
        return render(request, "questions/answer_form.html", context, status=error.status)
    messages.success(request, _("Your answer is saved."))
    return redirect(answer.get_absolute_url())


def _refused_on_page(request, question, error):
    messages.error(request, error.message)
    context = _page_context(request, question)
    return render(request, "questions/question.html", context, status=error.status)


@login_required
@require_POST
def vote(request, answer_id):
    """Vote an answer up or take the vote back: the button says which (``vote``: "up" or
    "remove"), so pressing it twice by accident changes nothing; without ``vote``, a toggle."""
    answer = _answer_or_404(request, answer_id)
    question = answer.question
    form = VoteForm(request.POST)
    wanted = form.cleaned_data.get("vote") if form.is_valid() else ""
    if not form.is_valid():
        return _refused_on_page(request, question, QuestionError(_("Vote “up” or “remove”.")))
    try:
        if not wanted:
            wanted = (
                "remove"
                if AnswerVote.objects.filter(answer=answer, voter=request.user).exists()
                else "up"
            )
        if wanted == "up":
            services.vote(request.user, answer)
            messages.success(request, _("Your vote is counted."))
        else:
            services.unvote(request.user, answer)
            messages.success(request, _("Your vote is taken back."))
    except QuestionError as error:
        return _refused_on_page(request, question, error)
    return redirect(answer.get_absolute_url())


@login_required
@require_POST
def best_answer(request, question_id):
    question = _question_or_404(request, question_id)
    form = BestAnswerForm(request.POST)
    if not form.is_valid():
        error = QuestionError(_("That is not a visible answer to this question."), 400)
        return _refused_on_page(request, question, error)
    try:
        chosen = services.mark_best(request.user, question, form.cleaned_data["answer"])
    except QuestionError as error:
        return _refused_on_page(request, question, error)
    messages.success(request, _("The best answer is marked, and the question is closed."))
    return redirect(chosen.get_absolute_url())


@login_required
@require_POST
def reopen(request, question_id):
    question = _question_or_404(request, question_id)
    try:
        services.reopen(request.user, question)
    except QuestionError as error:
        return _refused_on_page(request, question, error)
    messages.success(request, _("The question is open for answers again."))
    return redirect(question.get_absolute_url())


# ---------------------------------------------------------------------------------------------
# Similar questions while typing


def _error(message, status=400):
    response = JsonResponse({"error": message}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _search(request, text, group_id):
    query = SearchQuery(
        text=text,
        user=request.user,
        types=("question",),
        group_id=group_id,
        site_id=sites.current_site_id(request),
        language=get_language(),
        per_page=MAX_SIMILAR,
    )
    results, _limited = with_fallback(lambda backend: backend.search(query))
    return results.hits


@require_GET
def similar(request):
    """At most five questions the person may see whose words match the title being typed:
    ``{"results": [{"title", "url", "answers", "answered"}]}``, from search (its access
    filter), read against the rows for their answers."""
    form = SimilarQuery(request.GET)
    if not form.is_valid():
        return _error(" ".join(form.problems()))
    text = " ".join(form.cleaned_data["q"].split())
    if len(text) > MAX_SIMILAR_QUERY:
        return _error(_("A question has at most 200 characters."))
    group_id = None
    if form.cleaned_data["group"]:
        group = (
            Group.objects.visible_to(request.user).filter(slug=form.cleaned_data["group"]).first()
        )
        if group is None:
            return _error(_("There is no such group."), 404)
        group_id = group.pk
    hits = []
    if len(text) >= 2:
        hits = _search(request, text, group_id)
        words = text.split()
        if not hits and len(words) > 1 and not request.GET.get("q", "").endswith(" "):
            # The last word may still be being typed.
            hits = _search(request, " ".join(words[:-1]), group_id)
    ids = [hit.object_id for hit in hits]
    rows = {
        row.pk: row
        for row in Question.objects.visible_to(request.user)
        .filter(pk__in=ids)
        .select_related("group")
        .only("pk", "title", "answer_count", "best_answer_id", "group__slug")
    }
    results = [
        {
            "title": rows[pk].title,
            "url": rows[pk].get_absolute_url(),
            "answers": rows[pk].answer_count,
            "answered": rows[pk].best_answer_id is not None,
        }
        for pk in ids
        if pk in rows
    ]
    response = JsonResponse({"results": results})
    # What a person may see changes when they join or leave a group.
    response["Cache-Control"] = "private, no-store"
    return response
