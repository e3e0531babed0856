"""A group's switched-off parts are off everywhere (issue 19, finding 2).

The members tab: with it off, who is in the group (the members page, the activity stream, the
organisations taking part, the people one may start a conversation with) is shown only to the
group's owners and admins, who manage the members; everyone else gets a 404 and no link.
Switching a part off or on re-indexes exactly that part's content in search after commit.
The access matrices (tests/security, tests/search) probe every switch on every surface.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from activity.services import group_entries
from blog import services as blog_services
from blog.models import Comment
from blog.services import PostInput, Publish
from chat import services as chat_services
from chat.forms import DirectConversationForm
from groups.forms import GroupForm
from groups.models import Activity, Group
from meent import access
from notifications import notify
from search.backends import SearchQuery, get_search_backend
from search.models import OutboxItem
from tests.factories import GroupFactory, MembershipFactory, OrganisationFactory, UserFactory
from wiki import services as wiki_services

pytestmark = pytest.mark.django_db

SWITCHES = ("wiki_enabled", "blog_enabled", "chat_enabled", "members_tab_enabled")


@pytest.fixture
def club(db):
    """An open group (listed, open for reading) with an owner, an admin and a member, each of an
    organisation of their own, and an outsider."""
    group = GroupFactory(slug="club", name="De club", content_default="open")
    people = {}
    for role in ("owner", "admin", "member"):
        person = UserFactory(
            first_name=f"Naam{role}",
            last_name="Lid",
            organisation=OrganisationFactory(name=f"Organisatie van {role}"),
        )
        MembershipFactory(group=group, user=person, role=role)
        Activity.objects.create(group=group, verb=Activity.Verb.JOINED, actor=person)
        people[role] = person
    people["outsider"] = UserFactory(first_name="Buiten", last_name="Staander")
    return group, people


def switch(group, field, on):
    setattr(group, field, on)
    group.save()


def get(client, person, url):
    client.logout()
    if person is not None:
        client.force_login(person)
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def test_anonymous_visitors_cannot_list_members_when_the_tab_is_off(client, club):
    """The probe's finding: with the Members tab off, the members URL still listed them."""
    group, people = club
    url = reverse("groups:members", args=[group.slug])
    assert get(client, None, url).status_code == 200  # the tab is on: open for reading
    switch(group, "members_tab_enabled", False)
    response = get(client, None, url)
    assert response.status_code == 404
    assert "Nameigenaar" not in response.content.decode()


@pytest.mark.parametrize(
    "role, listed",
    [("owner", True), ("admin", True), ("member", False), ("outsider", False), (None, False)],
)
def test_with_the_tab_off_only_owners_and_admins_see_the_members(client, club, role, listed):
    group, people = club
    switch(group, "members_tab_enabled", False)
    person = people.get(role)
    members = get(client, person, reverse("groups:members", args=[group.slug]))
    home = get(client, person, group.get_absolute_url()).content.decode()
    names = [p.display_name for r, p in people.items() if r != "outsider"]
    members_link = f'href="{reverse("groups:members", args=[group.slug])}"'
    if listed:
        assert members.status_code == 200
        assert all(name in members.content.decode() for name in names)
        assert "Only the group's owners and admins see this list" in members.content.decode()
        # Their tab and the activity stream (joins and leaves) are theirs still.
        assert members_link in home
        assert all(name in home for name in names)
        assert "Organisatie van member" in home
    else:
        assert members.status_code == 404
        assert members_link not in home
        # Nobody is named on the group's home page: not in the activity, not by organisation
        # (a member sees their own name in the header, as on every page).
        others = [n for n in names if person is None or n != person.display_name]
        assert not any(name in home for name in others), role
        assert "Organisatie van" not in home
        # The stream is there for the content, without a line about who joined or left.
        assert (
            not group_entries(person or AnonymousUser(), group)
            .filter(kind__startswith="groups.")
            .exists()
        )
    # The policy's answers agree: the member list's rows and the activity's.
    user = person
    visible_rows = group.memberships.model.objects.visible_to(user).filter(group=group).count()
    assert visible_rows == (3 if listed else 0)
    assert Activity.objects.visible_to(user).filter(group=group).exists() == listed
    for membership in group.memberships.all():
        assert access.can_view(user, membership) == listed
    # The count of members stays: it names nobody.
    assert "3 members" in home


def test_the_groups_list_names_no_organisation_of_a_group_with_the_tab_off(client, club):
    group, people = club
    GroupFactory(slug="ander", name="Andere groep")
    listing = reverse("groups:list")
    organisation = people["member"].organisation
    by_organisation = f"{listing}?organisation={organisation.pk}"
    # The card's "Organisations" (the filter's choices name every organisation, whoever).
    taking_part = "<dd>Organisatie van admin, Organisatie van member, Organisatie van owner</dd>"
    assert taking_part in get(client, None, listing).content.decode()
    assert 'href="/groups/club/"' in get(client, None, by_organisation).content.decode()
    switch(group, "members_tab_enabled", False)
    for role in (None, "outsider", "member"):
        person = people.get(role)
        html = get(client, person, listing).content.decode()
        assert 'href="/groups/club/"' in html
        assert taking_part not in html
        # Filtering by organisation does not tell that someone of it is a member either.
        assert 'href="/groups/club/"' not in get(client, person, by_organisation).content.decode()
    assert taking_part in get(client, people["admin"], listing).content.decode()
    filtered = get(client, people["admin"], by_organisation).content.decode()
    assert 'href="/groups/club/"' in filtered


def test_a_new_conversation_offers_no_one_known_only_from_a_group_with_the_tab_off(club):
    group, people = club
    member, owner = people["member"], people["owner"]
    offered = DirectConversationForm(member).fields["people"].queryset
    assert owner in offered
    switch(group, "members_tab_enabled", False)
    access.forget_memberships(member)
    assert owner not in DirectConversationForm(member).fields["people"].queryset
    # An admin still sees the members they manage; a group shared otherwise still counts.
    assert member in DirectConversationForm(people["admin"]).fields["people"].queryset
    MembershipFactory(group=GroupFactory(), user=member)
    other = MembershipFactory(group=member.memberships.last().group, user=owner).group
    assert other.members_tab_enabled
    access.forget_memberships(member)
    assert owner in DirectConversationForm(member).fields["people"].queryset


def test_switching_the_tab_back_on_shows_everything_again(client, club):
    group, people = club
    switch(group, "members_tab_enabled", False)
    url = reverse("groups:members", args=[group.slug])
    assert get(client, None, url).status_code == 404
    switch(group, "members_tab_enabled", True)
    response = get(client, None, url)
    assert response.status_code == 200
    assert people["member"].display_name in response.content.decode()


def test_the_settings_form_says_what_each_switch_does(client, club):
    group, people = club
    form = GroupForm(instance=group)
    for field in SWITCHES:
        assert str(form.fields[field].help_text), field
    page = get(client, people["owner"], reverse("groups:edit", args=[group.slug])).content.decode()
    assert "only the group's owners and admins see who is a member" in page
    assert "Nothing is deleted" in page
    # The owner reaches the settings whatever is switched off.
    for field in SWITCHES:
        setattr(group, field, False)
    group.save()
    settings_page = get(client, people["owner"], reverse("groups:edit", args=[group.slug]))
    assert settings_page.status_code == 200


# ---------------------------------------------------------------------------------------------
# Search follows a switch, part by part, after commit


def search_ids(user, type_name):
    results = get_search_backend().search(
        SearchQuery(text="schakelwoord", user=user, types=(type_name,), per_page=50)
    )
    return {hit.object_id for hit in results.hits}


def test_switching_a_part_re_indexes_that_part_only(club, django_capture_on_commit_callbacks):
    group, people = club
    owner, member = people["owner"], people["member"]
    with django_capture_on_commit_callbacks(execute=True):
        page = wiki_services.create_page(
            owner, group, title="Pagina", body="<p>schakelwoord</p>", visibility="public"
        )
        post = blog_services.save_post(
            owner,
            PostInput(title="Bericht", body="<p>schakelwoord</p>", publish=Publish.NOW),
            group=group,
        )
        comment = Comment.objects.create(post=post, author=member, body="schakelwoord")
        message = chat_services.post_message(
            chat_services.room_for_group(group), owner, "s1", "schakelwoord"
        ).message
    found = {
        "wiki_page": {page.pk},
        "blog_post": {post.pk},
        "blog_comment": {comment.pk},
        "chat_message": {message.pk},
    }
    parts = {
        "wiki_enabled": ["wiki_page"],
        "blog_enabled": ["blog_post", "blog_comment"],
        "chat_enabled": ["chat_message"],
        "members_tab_enabled": [],
    }
    for type_name, ids in found.items():
        assert search_ids(member, type_name) == ids
    for field, types in parts.items():
        group.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            switch(group, field, False)
        # Queued in the same transaction, indexed after commit: this part's content only (and
        # the group itself, as every save of it).
        queued = set(OutboxItem.objects.values_list("type", flat=True))
        assert queued == {"group", *types}, field
        for callback in callbacks:
            callback()
        assert OutboxItem.objects.count() == 0
        for type_name, ids in found.items():
            expected = set() if type_name in types else ids
            assert search_ids(member, type_name) == expected, (field, type_name)
            assert search_ids(owner, type_name) == expected, (field, type_name)
        with django_capture_on_commit_callbacks(execute=True):
            switch(group, field, True)
        for type_name, ids in found.items():
            assert search_ids(member, type_name) == ids, (field, type_name)
    # Saving the group without touching a switch queues nothing of its content.
    with django_capture_on_commit_callbacks(execute=True):
        group.description = "Anders"
        group.save()
    assert Group.objects.get(pk=group.pk).description == "Anders"


def test_old_notifications_about_a_switched_off_part_lead_to_a_clear_page(client, club):
    group, people = club
    owner, member = people["owner"], people["member"]
    room = chat_services.room_for_group(group)
    message = chat_services.post_message(room, owner, "n1", "Hallo").message
    url = f"{room.get_absolute_url()}#m{message.seq}"
    notification = notify(member, "mention", "chat.mention", url, about=room)
    assert notification is not None
    switch(group, "chat_enabled", False)
    # No new notification is made about what lives in a switched-off part.
    assert notify(member, "mention", "chat.mention", room.get_absolute_url(), about=room) is None
    client.force_login(member)
    opened = client.get(
        reverse("notifications:open", args=[notification.pk]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert opened.status_code == 404
    assert "This page does not exist, or you may not see it." in opened.content.decode()
