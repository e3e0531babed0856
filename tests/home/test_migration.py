"""Migration 0005: the rich-text body of a front page becomes its first text block, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.e2e.conftest import _ensure_home_page

# Migrating runs outside a test transaction (SQLite cannot change tables inside one).
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("home", "0004_statement_pages")]
AFTER = [("home", "0005_front_page_blocks")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_the_body_moves_into_a_text_block_and_back():
    from home.models import HomePage

    # A transactional test before this one in the process may have emptied the page tree that
    # the migrations made.
    _ensure_home_page()
    home_id = HomePage.objects.first().pk
    try:
        old_apps = migrate(BEFORE)
        OldHomePage = old_apps.get_model("home", "HomePage")
        OldHomePage.objects.filter(pk=home_id).update(body="<p>Over <b>Meent</b></p>")
        new_apps = migrate(AFTER)
        page = new_apps.get_model("home", "HomePage").objects.get(pk=home_id)
        assert [(b["type"], b["value"]) for b in page.content.raw_data] == [
            ("rich_text", "<p>Over <b>Meent</b></p>")
        ]
        old_apps = migrate(BEFORE)
        assert OldHomePage.objects.filter(pk=home_id).exists()
        page = old_apps.get_model("home", "HomePage").objects.get(pk=home_id)
        assert page.body == "<p>Over <b>Meent</b></p>"
    finally:
        migrate(AFTER)
    assert HomePage.objects.get(pk=home_id).content[0].block_type == "rich_text"
