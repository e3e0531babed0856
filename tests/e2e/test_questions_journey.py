"""Questions in the browser: Anna asks a question in her group in the editor, Lotte and Bram
answer, Anna marks Bram's answer the best (it is shown first, marked in words) and the question
closes; then Lotte starts typing a similar title in the ask form, the live region says one
similar question was found, and she follows the suggestion. axe-core checks the list, the page
and the form; they are shown once more at 320 px, without sideways scroll."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from groups import services as group_services
from groups.models import Group
from questions.models import Answer, Question
from tests.e2e.helpers import field, starts_with, submit
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory

NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
LANGUAGE = "nl"
TITLE = "Hoe vraag ik toegang aan tot het archief?"


def no_sideways_scroll(page):
    assert page.evaluate(NO_HORIZONTAL_SCROLL), page.url


def sign_out(page, t):
    submit(page, page.locator("header").get_by_role("button", name=t("Sign out", LANGUAGE)))


@pytest.fixture
def world(server):
    anna = UserFactory(first_name="Anna", last_name="Jansen", email="anna@utrecht.nl")
    group = group_services.create_group(
        anna, Group(name="Archief", slug="archief", content_default="open")
    )
    people = {"anna": anna}
    for first, last in (("Lotte", "Visser"), ("Bram", "de Vries")):
        person = UserFactory(first_name=first, last_name=last, email=f"{first.lower()}@meent.nl")
        MembershipFactory(group=group, user=person, role="member")
        people[first.lower()] = person
    return {"people": people, "group": group}


def answer(page, t, text):
    main = page.locator("main")
    form = main.locator("form.answer-form")
    area = form.get_by_role("textbox", name=field(t, "Your answer", LANGUAGE))
    expect(area).to_have_attribute("contenteditable", "true")
    area.click()
    page.keyboard.type(text)
    submit(page, form.get_by_role("button", name=t("Send answer", LANGUAGE)))


def test_ask_answer_choose_the_best_and_find_it_again_while_asking(page, world, sign_in, t, axe):
    people, group = world["people"], world["group"]
    main = page.locator("main")

    # Anna asks from the group's Questions tab.
    sign_in(page, people["anna"].email, DEFAULT_PASSWORD)
    page.goto(group.get_absolute_url())
    page.locator("nav.tabs").get_by_role("link", name=t("Questions", LANGUAGE), exact=True).click()
    listing = urlsplit(page.url).path
    expect(main).to_contain_text(t("No questions yet.", LANGUAGE))
    axe.check(page)
    main.get_by_role("link", name=t("Ask a question", LANGUAGE)).click()
    ask_form = urlsplit(page.url).path
    form = main.locator("form.question-form")
    form.get_by_label(field(t, "Your question", LANGUAGE)).fill(TITLE)
    details = form.get_by_role("textbox", name=field(t, "Details (optional)", LANGUAGE))
    expect(details).to_have_attribute("contenteditable", "true")
    details.click()
    page.keyboard.type("Ik zoek de notulen van 2019.")
    axe.check(page)
    submit(page, form.get_by_role("button", name=t("Ask", LANGUAGE), exact=True))
    question = Question.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(main).to_contain_text("Ik zoek de notulen van 2019.")
    sign_out(page, t)

    # Lotte and Bram answer.
    for who, text in (
        ("lotte", "Vul het formulier op de archiefpagina in."),
        ("bram", "Mail de archivaris, die stuurt ze dezelfde dag."),
    ):
        sign_in(page, people[who].email, DEFAULT_PASSWORD)
        page.goto(question.get_absolute_url())
        answer(page, t, text)
        expect(main.locator("li.answer").last).to_contain_text(text)
        sign_out(page, t)
    bram = Answer.objects.get(author=people["bram"])

    # Anna marks Bram's answer the best: it is shown first, said in words, and the question
    # takes no new answers.
    sign_in(page, people["anna"].email, DEFAULT_PASSWORD)
    page.goto(question.get_absolute_url())
    best_button = main.locator(f"#answer-{bram.pk}").get_by_role(
        "button", name=starts_with(t("Mark as the best answer", LANGUAGE))
    )
    submit(page, best_button)
    first = main.locator("li.answer").first
    expect(first).to_have_id(f"answer-{bram.pk}")
    expect(first).to_contain_text(t("Best answer", LANGUAGE))
    expect(main).to_contain_text(t("This question is closed: it has a best answer.", LANGUAGE))
    expect(main.locator("form.answer-form")).to_have_count(0)
    question.refresh_from_db()
    assert question.best_answer_id == bram.pk and question.is_closed
    axe.check(page)
    page.goto(listing)
    expect(main.locator(".question-card", has_text=TITLE)).to_contain_text(
        t("Has a best answer", LANGUAGE)
    )
    axe.check(page)
    sign_out(page, t)

    # Lotte starts typing a similar question: the suggestion is announced and she follows it.
    sign_in(page, people["lotte"].email, DEFAULT_PASSWORD)
    page.goto(ask_form)
    title = main.get_by_label(field(t, "Your question", LANGUAGE))
    title.press_sequentially("Toegang archief aanvragen", delay=20)
    status = page.locator("#similar-questions-status")
    expect(status).to_have_text(t("1 similar question", LANGUAGE))
    expect(status).to_have_attribute("aria-live", "polite")
    suggestion = main.locator(".similar-questions").get_by_role("link", name=TITLE)
    expect(suggestion).to_be_visible()
    axe.check(page)
    suggestion.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # The list, the page and the form at 320 px.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (listing, question.get_absolute_url(), ask_form):
        page.goto(path)
        no_sideways_scroll(page)
        axe.check(page)
    axe.done()
