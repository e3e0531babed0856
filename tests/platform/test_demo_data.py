"""The demo content's data files (demo/content/, read and checked by demo/loader.py): they are all
valid, and a broken one stops ``load_demo`` with an error naming the file and the key (issue 20)."""

import io
import shutil

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from demo import loader
from demo.loader import DemoDataError, read, read_all, toolbox_pages
from toolbox.decisions.tree import Tree, problems


@pytest.fixture
def content(tmp_path):
    """A copy of demo/content/ to break."""
    copy = tmp_path / "content"
    shutil.copytree(loader.CONTENT, copy)
    return copy


def edit(content, name, change):
    path = content / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


def test_every_data_file_is_valid_and_both_languages_are_there():
    data = read_all()
    pages = toolbox_pages()
    assert [kind for kind, _, _ in pages].count("articles") == 14
    assert {"moet-ik-dit-openbaar-maken", "licentiekiezer", "publiccode-yml-hulp"} <= {
        slug for _, slug, _ in pages
    }
    for _, slug, spec in pages:
        assert set(spec["title"]) == {"nl", "en"}, slug
    for name in ("licentiekiezer", "moet-ik-dit-openbaar-maken"):
        spec = read(f"toolbox/decision-aids/{name}.yaml")
        for lang in ("nl", "en"):
            assert not problems(Tree.from_raw(loader.decision_steps(spec, lang))), name
    people = {person["email"]: person for person in data["people.yaml"]["people"]}
    assert people["mohamed.yilmaz@amsterdam.nl"]["last_name"] == "Yılmaz"
    post = next(p for p in data["blog.yaml"]["posts"] if p["author"] == "anna.jansen@minbzk.nl")
    assert "@Mohamed Yilmaz" in post["body"]
    assert data["communities.yaml"]["others"][0]["hostname"] == "oost.localhost"


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        (
            "toolbox/articles/open-tenzij.yaml",
            lambda d: d["body"][0].update(htm=d["body"][0].pop("html")),
            "body[0].htm: unknown key 'htm'",
        ),
        (
            "toolbox/articles/open-tenzij.yaml",
            lambda d: d.pop("summary"),
            "missing key 'summary'",
        ),
        (
            "toolbox/articles/licentie-kiezen.yaml",
            lambda d: d["body"][1].update(type="kop"),
            "body[1]: unknown type 'kop'",
        ),
        (
            "toolbox/articles/licentie-kiezen.yaml",
            lambda d: d["title"].pop("en"),
            "title: missing key 'en'",
        ),
        (
            "toolbox/decision-aids/licentiekiezer.yaml",
            lambda d: d["steps"][0]["answers"][0].pop("next"),
            "steps[0].answers[0]: missing key 'next'",
        ),
        (
            "people.yaml",
            lambda d: d["people"][2].update(role="admin"),
            "people[2].role: 'admin' is not one of moderator, community_manager",
        ),
        (
            "groups.yaml",
            lambda d: d["groups"][0]["members"].append("niemand@example.org"),
            "groups[0].members[4]: 'niemand@example.org' is not in people.yaml",
        ),
        (
            "toolbox/articles/open-tenzij.yaml",
            lambda d: d.update(reviewed="twee"),
            "reviewed: expected a whole number, not 'twee'",
        ),
    ],
)
def test_a_broken_data_file_names_the_file_and_the_key(content, name, change, message):
    path = edit(content, name, change)
    with pytest.raises(DemoDataError) as raised:
        read_all(content)
    assert str(raised.value).startswith(f"{path}: {message}"), raised.value


def test_an_unlisted_page_file_and_bad_yaml_are_named(content):
    (content / "toolbox/articles/nieuw.yaml").write_text("title: x\n", encoding="utf-8")
    with pytest.raises(
        DemoDataError, match=r"index\.yaml: pages: articles/nieuw\.yaml is not listed"
    ):
        read_all(content)
    (content / "toolbox/articles/nieuw.yaml").unlink()
    (content / "wiki.yaml").write_text("pages: [\n", encoding="utf-8")
    with pytest.raises(DemoDataError, match=r"wiki\.yaml: not valid YAML"):
        read_all(content)


@pytest.mark.django_db
def test_load_demo_stops_on_a_broken_file_before_writing_anything(content, monkeypatch):
    edit(content, "people.yaml", lambda d: d["people"][0].pop("email"))
    monkeypatch.setattr(loader, "CONTENT", content)
    with pytest.raises(CommandError) as raised:
        call_command("load_demo", "--quiet-accounts", stdout=io.StringIO())
    assert str(raised.value) == "demo/content/people.yaml: people[0]: missing key 'email'"
    assert not User.objects.exists()
