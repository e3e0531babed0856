"""The decision aid page: one question per GET URL, the outcome with share and print, bad trails,
and the admin refusing a tree with a loop or a dead end, naming the step."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from demo.loader import (
    licence_chooser_introduction,
    licence_chooser_steps,
    licence_chooser_title,
)
from home.models import HomePage
from tests.factories import UserFactory
from tests.helpers import activate_totp
from toolbox.decisions.blocks import DecisionStepsBlock, OutcomeBlock, QuestionBlock, tree_of
from toolbox.decisions.models import DecisionAidPage
from toolbox.decisions.tree import Tree, problems, walk
from toolbox.models import ToolboxIndexPage

pytestmark = pytest.mark.django_db

EUPL_TRAIL = "0.2.0.0"  # software, no GPL code, an application, changes shared: EUPL-1.2


@pytest.fixture
def toolbox():
    home = HomePage.objects.first()
    return home.add_child(instance=ToolboxIndexPage(title="Toolbox", slug="toolbox"))


@pytest.fixture
def chooser(toolbox):
    page = toolbox.add_child(
        instance=DecisionAidPage(
            title=licence_chooser_title("nl"),
            slug="licentiekiezer",
            introduction=licence_chooser_introduction("nl"),
            steps=licence_chooser_steps("nl"),
        )
    )
    page.save_revision().publish()
    return DecisionAidPage.objects.get(pk=page.pk)


def get(client, page, trail=None, **params):
    if trail is not None:
        params["trail"] = trail
    return client.get(page.url, params, HTTP_ACCEPT_LANGUAGE="en")


def html(response):
    return response.content.decode()


def radio_values(response):
    return re.findall(
        r'<input type="radio" name="answer" id="answer-(\d+)" value="(\d+)"', html(response)
    )


# --- serving ----------------------------------------------------------------------------------


def test_start_shows_introduction_and_first_question_as_a_get_form(client, chooser):
    response = get(client, chooser)
    assert response.status_code == 200
    content = html(response)
    assert "Licentiekiezer" in content
    assert "open-sourcelicentie" in content  # the introduction
    assert re.search(
        r'<form class="decision-step" method="get" action="/toolbox/licentiekiezer/">', content
    )
    assert '<input type="hidden" name="trail" value="">' in content
    assert "<fieldset" in content and "<legend" in content
    assert "Wat wil je publiceren?" in content
    assert radio_values(response) == [("0", "0"), ("1", "1"), ("2", "2")]
    assert '<button type="submit" class="button">' in content
    assert "toolbox_decisions/decisions.css" in content
    assert "<script>" not in content  # no inline scripts


def test_choosing_an_answer_redirects_to_the_canonical_step_url(client, chooser):
    response = get(client, chooser, trail="", answer="0")
    assert response.status_code == 302
    assert response["Location"] == "/toolbox/licentiekiezer/?trail=0"
    response = get(client, chooser, trail="0", answer="2")
    assert response["Location"] == "/toolbox/licentiekiezer/?trail=0.2"


def test_each_step_is_its_own_url_with_answers_so_far_and_links_to_change_them(client, chooser):
    response = get(client, chooser, "0.2")
    assert response.status_code == 200
    content = html(response)
    assert "Wat voor software is het?" in content
    assert '<input type="hidden" name="trail" value="0.2">' in content
    assert "Your answers so far" in content
    assert "Software: broncode" in content
    assert "Nee, alleen eigen code of losse bibliotheken onder andere licenties" in content
    # Change links go back to the question, with the answers before it.
    assert 'href="/toolbox/licentiekiezer/"' in content
    assert 'href="/toolbox/licentiekiezer/?trail=0"' in content
    assert "Question 3:" in content
    assert "open-sourcelicentie?" not in content  # the introduction is only on the first step


def test_outcome_shows_advice_answers_share_link_print_and_start_again(client, chooser):
    response = get(client, chooser, EUPL_TRAIL)
    assert response.status_code == 200
    content = html(response)
    assert "EUPL-1.2: de gebruikelijke keuze voor overheidssoftware" in content
    assert "open, tenzij" in content
    assert 'href="https://spdx.org/licenses/EUPL-1.2.html"' in content
    assert "Your answers" in content
    assert content.count("decision-answers__change") == 4
    assert f'value="http://testserver/toolbox/licentiekiezer/?trail={EUPL_TRAIL}"' in content
    assert 'id="share-url"' in content and 'for="share-url"' in content
    assert "data-print" in content
    assert "Start again" in content
    assert 'name="answer"' not in content  # no question form on the outcome


def test_every_outcome_of_the_licence_chooser_is_served(client, chooser):
    tree = chooser.tree
    served = set()
    pending = [()]
    while pending:
        trail = pending.pop()
        result = walk(tree, trail)
        if result.outcome:
            response = get(client, chooser, ".".join(map(str, trail)))
            assert response.status_code == 200
            assert result.outcome.title in html(response)
            served.add(result.outcome.key)
        else:
            pending.extend((*trail, n) for n in range(len(result.question.answers)))
    assert served == {step.key for step in tree.outcomes}


@pytest.mark.parametrize(
    "trail", ["abc", "0.9", "0.2.0.0.0", "0..1", "-1", "0." * 500, "9" * 10, "<script>"]
)
def test_bad_trail_gets_a_friendly_400_with_start_again(client, chooser, trail):
    response = get(client, chooser, trail)
    assert response.status_code == 400
    content = html(response)
    assert "This link does not work" in content
    assert 'class="button" href="/toolbox/licentiekiezer/"' in content
    assert "<script>" not in content.split("<main", 1)[1]


@pytest.mark.parametrize("answer", ["", "x", "7", "0.1", "-1"])
def test_missing_or_bad_answer_asks_again(client, chooser, answer):
    response = get(client, chooser, trail="0", answer=answer)
    assert response.status_code == 400
    content = html(response)
    assert "Choose one of the answers." in content
    assert "Neem je code over uit een project onder de GPL of AGPL" in content
    assert 'aria-describedby="question-help question-error"' in content


def test_answer_sent_to_an_outcome_redirects_to_the_outcome(client, chooser):
    response = get(client, chooser, trail=EUPL_TRAIL, answer="0")
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query) == {"trail": [EUPL_TRAIL]}


def test_constant_number_of_queries_per_step(client, chooser):
    counts = []
    for trail in ["", "0", "0.2", "0.2.0", EUPL_TRAIL]:
        get(client, chooser, trail)  # warm caches (site root paths and the like)
        with CaptureQueriesContext(connection) as queries:
            assert get(client, chooser, trail).status_code == 200
        counts.append(len(queries))
    assert len(set(counts[1:])) == 1, counts
    assert max(counts) <= 11, counts  # Wagtail routing, one per level, and its locale lookup


def test_english_licence_chooser_is_served(client, toolbox):
    page = toolbox.add_child(
        instance=DecisionAidPage(
            title=licence_chooser_title("en"),
            slug="licence-chooser",
            steps=licence_chooser_steps("en"),
        )
    )
    response = get(client, page, EUPL_TRAIL)
    assert response.status_code == 200
    assert "EUPL-1.2: the usual choice for government software" in html(response)


# --- blocks -----------------------------------------------------------------------------------


def test_licence_chooser_data_validates_as_the_stream_block():
    block = DecisionStepsBlock()
    value = block.to_python(licence_chooser_steps("nl"))
    cleaned = block.clean(value)
    tree = tree_of(cleaned)
    assert problems(tree) == []
    assert tree.first.key == "kind"
    assert len(tree.outcomes) == 9


def test_stream_block_refuses_a_cycle_naming_the_step():
    from wagtail.blocks.stream_block import StreamBlockValidationError

    block = DecisionStepsBlock()
    value = block.to_python(
        [
            {
                "type": "question",
                "value": {
                    "key": "eerste",
                    "question": "Eerste vraag?",
                    "answers": [{"label": "Verder", "next": "tweede"}],
                },
            },
            {
                "type": "question",
                "value": {
                    "key": "tweede",
                    "question": "Tweede vraag?",
                    "answers": [{"label": "Terug", "next": "eerste"}],
                },
            },
        ]
    )
    with pytest.raises(StreamBlockValidationError) as raised:
        block.clean(value)
    messages = [str(m) for e in raised.value.non_block_errors.as_data() for m in e.messages]
    assert any(
        "“tweede” (Tweede vraag?)" in m and "eerste → tweede → eerste" in m for m in messages
    )
    assert 1 in raised.value.block_errors  # the step is marked too


@pytest.mark.parametrize("block", [QuestionBlock(), OutcomeBlock(), DecisionStepsBlock()])
def test_blocks_have_icon_description_and_template(block):
    assert block.meta.icon
    assert str(block.get_description())
    assert block.meta.template.startswith("toolbox_decisions/blocks/")


@pytest.mark.parametrize("block", [QuestionBlock(), OutcomeBlock()])
def test_block_previews_render(rf, block):
    from django.template.loader import render_to_string

    assert block.is_previewable
    value = block.get_preview_value()
    bound = block.bind(value)
    request = rf.get("/")
    content = render_to_string(
        block.get_preview_template(value),
        {"request": request, "block_def": block, "bound_block": bound, "page_title": "preview"},
    )
    assert "meent.css" in content
    if isinstance(block, QuestionBlock):
        assert "Wat wil je publiceren?" in content and 'type="radio"' in content
    else:
        assert "Kies de EUPL-1.2" in content


# --- the admin --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    user = UserFactory(email="beheerder@voorbeeld.nl", is_staff=True, is_superuser=True)
    # Staff reach /admin/ only with two-factor sign-in set up (accounts.middleware).
    activate_totp(user)
    client.force_login(user)
    return client


def question_form(key, text, answers):
    return (
        "question",
        {
            "key": key,
            "question": text,
            "help": "",
            "answers": {
                "count": str(len(answers)),
                **{
                    str(i): {
                        "value": {"label": label, "next": target},
                        "deleted": "",
                        "order": str(i),
                    }
                    for i, (label, target) in enumerate(answers)
                },
            },
        },
    )


def outcome_form(key, title):
    return (
        "outcome",
        {
            "key": key,
            "title": title,
            "advice": rich_text("<p>Advies.</p>"),
            "recommendation": "",
            "recommendation_url": "",
        },
    )


def edit_form(page, steps):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "introduction": "",
            "steps": streamfield(steps),
            "seo_title": "",
            "search_description": "",
            "comments": {
                "TOTAL_FORMS": "0",
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            },
            "action-publish": "publish",
        }
    )


@pytest.fixture
def small_aid(toolbox):
    page = toolbox.add_child(
        instance=DecisionAidPage(
            title="Kleine keuzehulp",
            slug="kleine-keuzehulp",
            steps=[
                {
                    "type": "question",
                    "value": {
                        "key": "soort",
                        "question": "Wat publiceer je?",
                        "help": "",
                        "answers": [{"label": "Software", "next": "eupl"}],
                    },
                },
                {
                    "type": "outcome",
                    "value": {"key": "eupl", "title": "Kies de EUPL-1.2", "advice": "<p>Ja.</p>"},
                },
            ],
        )
    )
    page.save_revision().publish()
    return page


def post_edit(admin_client, page, steps):
    return admin_client.post(
        f"/admin/pages/{page.pk}/edit/", edit_form(page, steps), HTTP_ACCEPT_LANGUAGE="en"
    )


def stream_errors(response):
    """The StreamField's errors as the admin hands them to its block editor (JSON in an attribute):
    the messages on top of the field and, per step index, the messages on that step."""
    soup = BeautifulSoup(response.content, "html.parser")
    field = soup.find(id="steps")
    assert field is not None, "no steps field in the admin form"
    _value, errors = json.loads(field["data-w-block-arguments-value"])
    assert errors, "the steps field has no errors"
    per_step = {int(i): e["messages"] for i, e in (errors.get("blockErrors") or {}).items()}
    return errors.get("messages", []), per_step


def test_admin_accepts_a_sound_tree(admin_client, small_aid):
    response = post_edit(
        admin_client,
        small_aid,
        [
            question_form("soort", "Wat publiceer je?", [("Software", "delen"), ("Data", "cc0")]),
            question_form("delen", "Delen?", [("Ja", "eupl"), ("Nee", "eupl")]),
            outcome_form("eupl", "Kies de EUPL-1.2"),
            outcome_form("cc0", "Kies CC0"),
        ],
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = DecisionAidPage.objects.get(pk=small_aid.pk)
    assert [step.key for step in page.tree.steps] == ["soort", "delen", "eupl", "cc0"]


def test_admin_refuses_a_cycle_naming_the_step(admin_client, small_aid):
    response = post_edit(
        admin_client,
        small_aid,
        [
            question_form("soort", "Wat publiceer je?", [("Software", "delen")]),
            question_form("delen", "Moeten wijzigingen gedeeld worden?", [("Opnieuw", "soort")]),
            outcome_form("eupl", "Kies de EUPL-1.2"),
        ],
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "The page could not be saved due to validation errors" in content
    messages, per_step = stream_errors(response)
    loop = (
        "Loop: in the question “delen” (Moeten wijzigingen gedeeld worden?) the answer “Opnieuw” "
        "leads back to “soort”, so the path soort → delen → soort never ends."
    )
    assert loop in messages
    assert loop in per_step[1]
    # The outcome nobody reaches any more is named as well.
    assert any("“eupl” (Kies de EUPL-1.2) cannot be reached" in m for m in messages)
    page = DecisionAidPage.objects.get(pk=small_aid.pk)
    assert [step.key for step in page.tree.steps] == ["soort", "eupl"]  # unchanged


def test_admin_refuses_a_dead_end_naming_the_step(admin_client, small_aid):
    response = post_edit(
        admin_client,
        small_aid,
        [
            question_form("soort", "Wat publiceer je?", [("Software", "eupl"), ("Data", "")]),
            outcome_form("eupl", "Kies de EUPL-1.2"),
        ],
    )
    assert response.status_code == 200
    messages, per_step = stream_errors(response)
    assert messages == [
        "Dead end: in the question “soort” (Wat publiceer je?) the answer “Data” does not say "
        "which step comes next."
    ]
    assert per_step == {0: messages}
    assert Page.objects.get(pk=small_aid.pk).specific.tree.first.answers[0].label == "Software"
    assert len(DecisionAidPage.objects.get(pk=small_aid.pk).tree.first.answers) == 1


def test_admin_refuses_an_unknown_key(admin_client, small_aid):
    response = post_edit(
        admin_client,
        small_aid,
        [
            question_form(
                "soort", "Wat publiceer je?", [("Software", "eupl"), ("Data", "opendata")]
            ),
            outcome_form("eupl", "Kies de EUPL-1.2"),
        ],
    )
    assert response.status_code == 200
    messages, _per_step = stream_errors(response)
    assert messages == [
        "In the question “soort” (Wat publiceer je?) the answer “Data” leads to “opendata”, "
        "but there is no step with that key."
    ]


def test_tree_from_stream_equals_tree_from_raw(chooser):
    assert chooser.tree == Tree.from_raw(licence_chooser_steps("nl"))


@pytest.mark.parametrize(
    ("name", "shown"),
    [("question", "Wat wil je publiceren?"), ("outcome", "Kies de EUPL-1.2")],
)
def test_admin_block_picker_previews_each_step_block(admin_client, name, shown):
    block = DecisionAidPage._meta.get_field("steps").stream_block.child_blocks[name]
    response = admin_client.get(f"/admin/block-preview/?id={block.definition_prefix}")
    assert response.status_code == 200
    content = response.content.decode()
    assert shown in content
    assert "toolbox_decisions/decisions.css" in content
