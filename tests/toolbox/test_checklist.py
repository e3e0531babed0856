"""Ticking off checklist items: per person, all-or-nothing, shown per article and per section."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory
from tests.toolbox.factories import (
    ToolboxArticlePageFactory,
    ToolboxSectionPageFactory,
    block,
    checklist,
    toolbox_index,
)
from toolbox.models import ChecklistTick, Phase, Progress, progress_by_article

pytestmark = pytest.mark.django_db


def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def article():
    """Two checklists, five items in all, with known ids."""
    return ToolboxArticlePageFactory(
        title="Publiceren",
        body=[
            block("text", "<p>Inleiding</p>"),
            checklist(
                "Voorbereiden", [("p1", "Licentie"), ("p2", "README"), ("p3", "Geen geheimen")]
            ),
            checklist("Publiceren", [("q1", "Repository openbaar"), ("q2", "Aankondigen")]),
        ],
    )


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    english(client)
    return user


def post(client, article, items, done, **extra):
    return client.post(article.url + "checklist/", {"item": items, "done": done}, **extra)


def ticks(user, article):
    return set(
        ChecklistTick.objects.filter(user=user, page=article).values_list("item_id", flat=True)
    )


def test_anonymous_visitor_sees_a_plain_list_and_a_sign_in_link(client, article):
    html = english(client).get(article.url).content.decode()
    assert "<li>Licentie</li>" in html
    assert 'type="checkbox"' not in html
    assert "Sign in to keep your progress" in html
    assert "checklist.js" not in html


def test_person_sees_checkboxes_in_a_form_with_a_save_button_and_the_script(
    client, person, article
):
    html = client.get(article.url).content.decode()
    assert html.count('type="checkbox"') == 5
    assert f'action="{article.url}checklist/"' in html
    assert "csrfmiddlewaretoken" in html
    assert "Save progress" in html
    assert '<script type="module" src="/static/toolbox/checklist.js"></script>' in html
    assert "0 of 5 done" in html


def test_anonymous_post_is_sent_to_sign_in_and_saves_nothing(client, article):
    response = post(client, article, ["p1"], ["p1"])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not ChecklistTick.objects.exists()


def test_get_is_not_allowed(client, person, article):
    assert client.get(article.url + "checklist/").status_code == 405


def test_ticks_are_saved_and_the_person_is_sent_back_with_a_message(client, person, article):
    response = post(client, article, ["p1", "p2", "p3"], ["p1", "p3"], follow=True)
    assert response.redirect_chain[-1][0] == article.url + "#checklists"
    assert ticks(person, article) == {"p1", "p3"}
    html = response.content.decode()
    assert "Your progress is saved: 2 of 5 done." in html
    assert 'value="p1" id="tick-p1" checked' in html
    assert 'value="p2" id="tick-p2">' in html


def test_saving_again_is_idempotent_and_unticking_removes(client, person, article):
    post(client, article, ["p1", "p2", "p3"], ["p1", "p2"])
    post(client, article, ["p1", "p2", "p3"], ["p1", "p2"])
    assert ChecklistTick.objects.filter(user=person).count() == 2
    post(client, article, ["p1", "p2", "p3"], ["p2"])
    assert ticks(person, article) == {"p2"}


def test_a_form_only_changes_the_items_it_shows(client, person, article):
    post(client, article, ["p1", "p2", "p3"], ["p1"])
    post(client, article, ["q1", "q2"], ["q2"])
    assert ticks(person, article) == {"p1", "q2"}


@pytest.mark.parametrize(
    ("items", "done"),
    [
        (["p1", "elders"], ["p1"]),  # an item that is not on the page
        (["p1"], ["p1", "q1"]),  # a tick for an item the form did not show
        ([], []),  # nothing at all
        (["p1", "x" * 200], ["p1"]),
    ],
)
def test_bad_ids_are_refused_with_400_and_a_reason_and_nothing_is_saved(
    client, person, article, items, done
):
    ChecklistTick.objects.create(user=person, page=article, item_id="p2")
    response = post(client, article, items, done)
    assert response.status_code == 400
    assert "message--error" in response.content.decode()
    assert ticks(person, article) == {"p2"}


def test_ids_of_another_article_are_refused(client, person, article):
    other = ToolboxArticlePageFactory(body=[checklist("Ander", [("z1", "Iets")])])
    assert post(client, article, ["z1"], ["z1"]).status_code == 400
    assert post(client, other, ["z1"], ["z1"]).status_code == 302
    assert ticks(person, article) == set() and ticks(person, other) == {"z1"}


def test_json_answers_for_the_script(client, person, article):
    response = post(client, article, ["q1"], ["q1"], HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"done": 1, "total": 5, "label": "1 of 5 done"}
    response = post(client, article, ["nope"], [], HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "not on this article" in response.json()["error"]


def test_anonymous_json_post_is_401(client, article):
    response = post(client, article, ["q1"], ["q1"], HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert json.loads(response.content)["error"]


def test_csrf_token_is_required(person, article):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(person)
    assert post(strict, article, ["p1"], ["p1"]).status_code == 403
    assert not ChecklistTick.objects.exists()


def test_suspended_person_cannot_tick(client, article):
    user = UserFactory(suspended_until=timezone.now() + datetime.timedelta(days=1))
    client.force_login(user)
    response = post(client, article, ["p1"], ["p1"])
    assert response.status_code in (302, 403)
    assert response.get("Location", "") != article.url + "#checklists"
    assert not ChecklistTick.objects.exists()


def test_ticks_are_per_person(client, person, article):
    other = UserFactory()
    ChecklistTick.objects.create(user=other, page=article, item_id="p1")
    html = client.get(article.url).content.decode()
    assert "0 of 5 done" in html
    assert 'id="tick-p1" checked' not in html


def test_removed_items_no_longer_count(client, person, article):
    post(client, article, ["p1", "p2", "p3"], ["p1", "p2"])
    article.body = [checklist("Voorbereiden", [("p1", "Licentie")])]
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.checklist_item_ids == ["p1"]
    assert "1 of 1 done" in client.get(article.url).content.decode()
    assert post(client, article, ["p2"], ["p2"]).status_code == 400


def test_progress_per_article_and_per_section_on_index_and_section_pages(client, person):
    section = ToolboxSectionPageFactory(
        phase=Phase.PREPARING, title="Voorbereiden", slug="voorbereiden"
    )
    first = ToolboxArticlePageFactory(
        parent=section,
        title="Eerste",
        body=[checklist("A", [("a1", "1"), ("a2", "2"), ("a3", "3")])],
    )
    second = ToolboxArticlePageFactory(
        parent=section, title="Tweede", body=[checklist("B", [("b1", "1"), ("b2", "2")])]
    )
    ToolboxArticlePageFactory(
        parent=section, title="Zonder lijst", body=[block("text", "<p>Tekst</p>")]
    )
    post(client, first, ["a1", "a2", "a3"], ["a1", "a3"])
    post(client, second, ["b1", "b2"], ["b2"])

    index_html = client.get(toolbox_index().url).content.decode()
    section_html = client.get(section.url).content.decode()
    for html in (index_html, section_html):
        assert "Your progress in this phase:" in html
        assert '<span class="toolbox-progress-line__label">3 of 5 done</span>' in html
        assert f'data-progress-for="{first.pk}"' in html
        assert "2 of 3 done" in html and "1 of 2 done" in html
    assert "2 of 3 done" in client.get(first.url).content.decode()


def test_progress_numbers():
    assert Progress(3, 7).label == "3 of 7 done"
    assert (Progress(1, 2) + Progress(2, 3)) == Progress(3, 5)
    assert Progress(5, 5).complete and not Progress(0, 0).complete
    assert Progress(1, 3).percent == 33


def test_progress_by_article_for_anonymous_is_zero_without_queries(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    article = ToolboxArticlePageFactory(body=[checklist("A", [("a1", "1")])])
    with django_assert_num_queries(0):
        assert progress_by_article(AnonymousUser(), [article]) == {article.pk: Progress(0, 1)}
