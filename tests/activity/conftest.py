import pytest

from blog import services as blog_services
from blog.services import PostInput, Publish
from groups import services as group_services
from groups.models import Group
from tests.factories import UserFactory


@pytest.fixture
def world(db):
    """A members-only group (Anna owns it, Bram is a member), an outsider (Chris)."""
    anna = UserFactory(first_name="Anna", last_name="Jansen")
    bram = UserFactory(first_name="Bram", last_name="de Vries")
    chris = UserFactory(first_name="Chris", last_name="Visser")
    group = group_services.create_group(anna, Group(name="Werkgroep", slug="werkgroep"))
    group_services.join(group, bram)
    return {"anna": anna, "bram": bram, "chris": chris, "group": group}


def publish(author, title="Bericht", group=None, **fields):
    fields.setdefault("publish", Publish.NOW)
    fields.setdefault("body", "<p>Tekst</p>")
    return blog_services.save_post(author, PostInput(title=title, **fields), group=group)
