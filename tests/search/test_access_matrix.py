"""Role x kind of content x surface (results, counts, facets, snippets), for search.

Every object carries the marker word in its text, so one query matches everything; what each
person finds must be exactly what ``access.can_view`` lets them open, object by object.

The switches dimension: beside the three kinds of group, an open group per part switched off
(wiki, blog, chat, members tab, agenda, files), each with content in every part, switched off
after it was written. Group files are PDFs with the marker inside them: found by their text. What lives in a switched-off part is expected to be read by nobody: ``expected_for``
knows that from the switches themselves (``SWITCHED_OFF``), not from the policy, so a policy
that forgot a switch shows up as a leak on every surface.
"""

import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import Group as AuthGroup
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from blog import services as blog_services
from blog.models import Comment, Post
from blog.services import PostInput, Publish
from chat import services as chat_services
from chat.models import Message
from events import services as event_services
from events.models import Event
from events.services import EventInput
from groups.models import Activity, Group, Membership
from groups.policies import can_read_content
from meent import access
from search import registry
from search.backends import SearchQuery, get_search_backend
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_moderator,
)
from wiki import services as wiki_services
from wiki.models import WikiPage

pytestmark = pytest.mark.django_db

MARKER = "zoekmerk"
ROLES = ["anonymous", "outsider", "colleague", "member", "author", "moderator", "suspended"]
GROUP_KINDS = {
    "open-reading": {"visibility": "listed", "content_default": "open"},
    "members-only": {"visibility": "listed", "content_default": "members"},
    "hidden": {"visibility": "hidden", "content_default": "open"},
}
POST_KINDS = ["public", "logged_in", "organisation", "private", "draft", "scheduled"]
# An open group (listed, open for reading: the most open kind) per switch, switched off.
SWITCHED_OFF = {
    "wiki-off": "wiki_enabled",
    "blog-off": "blog_enabled",
    "chat-off": "chat_enabled",
    "members-off": "members_tab_enabled",
    "agenda-off": "events_enabled",
    "files-off": "files_enabled",
    "polls-off": "polls_enabled",
    "questions-off": "questions_enabled",
    "discussions-off": "discussions_enabled",
}
# The switch each kind of content lives behind (a comment: its post's).
PART_OF = {
    "wikipage": "wiki_enabled",
    "post": "blog_enabled",
    "message": "chat_enabled",
    "event": "events_enabled",
    "groupfile": "files_enabled",
    "poll": "polls_enabled",
    "question": "questions_enabled",
    "discussion": "discussions_enabled",
}
# Community events (no group) of each visibility, and what a moderator or organiser did to some.
COMMUNITY_EVENTS = ["public", "logged_in", "hidden", "cancelled"]


def plan_event(author, title, *, group=None, visibility="public"):
    """An event a week ahead through the services (so its stream line is recorded); a community
    event by ``author`` as a community manager for the moment."""
    start = (timezone.now() + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    data = EventInput(
        title=title,
        description=f"<p>{MARKER} {title}</p>",
        location=f"Zaal {MARKER}",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        audience="members" if group is not None else "signed_in",
        visibility=visibility,
    )
    if group is not None:
        return event_services.save_event(author, data, group=group)
    managers, _made = AuthGroup.objects.get_or_create(name=settings.MEENT_COMMUNITY_MANAGERS_GROUP)
    author.groups.add(managers)
    organiser = type(author)._default_manager.get(pk=author.pk)  # no cached rights
    site = Site.objects.get(is_default_site=True)
    try:
        return event_services.save_event(organiser, data, site_id=site.pk)
    finally:
        author.groups.remove(managers)


def ask_polls(author, group, kind):
    """A poll in the group (its options hold the marker too), and one a moderator hid."""
    from polls import services as poll_services
    from polls.services import PollInput

    def ask(question):
        data = PollInput(
            question=question,
            ends_at=timezone.now() + timedelta(days=7),
            options=[f"Ja {MARKER}", "Nee"],
        )
        return poll_services.create_poll(author, group, data)

    hidden = ask(f"Verborgen peiling {MARKER} {kind}?")
    poll_services.hide_poll(hidden)
    return [ask(f"Peiling {MARKER} {kind}?"), hidden]


def ask_questions(author, group, kind):
    """A question in the group whose marker is in an answer only (found by it), and one a
    moderator hid; ``group`` None: community questions of every visibility, and a hidden one."""
    from questions import services as question_services

    if group is None:
        made = [
            question_services.ask(author, f"Vraag voor {v} hier", f"<p>{MARKER}</p>", visibility=v)
            for v in ("public", "logged_in", "organisation")
        ]
    else:
        found = question_services.ask(author, f"Wie weet {kind} iets?", "", group=group)
        question_services.answer(author, found, f"<p>Antwoord {MARKER} {kind}</p>")
        made = [found]
    hidden = question_services.ask(
        author, f"Verborgen vraag {kind} hier", f"<p>{MARKER}</p>", group=group
    )
    question_services.hide_question(hidden)
    return [*made, hidden]


def start_discussions(author, group, kind):
    """A discussion in the group whose marker is in a reply only (found by it), and one a
    moderator hid."""
    from discussions import services as discussion_services

    found = discussion_services.start(author, group, f"Overleg {kind}", "<p>Wie doet wat?</p>")
    discussion_services.reply(author, found, f"Antwoord {MARKER} {kind}")
    hidden = discussion_services.start(author, group, f"Verborgen {kind}", f"<p>{MARKER}</p>")
    discussion_services.hide(hidden)
    return [found, hidden]


def add_files(author, group, kind):
    """A PDF with the marker inside it (found by its text, not its name) in a folder of every
    reach; in a switch's group, one in a folder for everyone. In the open group also one in the
    trash and one hidden by a moderator."""
    from files import services as file_services
    from tests.files.library import pdf, put

    root = file_services.root_folder(group)
    reaches = ("public",) if kind in SWITCHED_OFF else ("public", "logged_in", "members")
    made = []
    for reach in reaches:
        folder = file_services.create_folder(author, root, f"Map {reach}", reach)
        made.append(put(author, folder, f"Stuk {reach}.pdf", pdf(f"{MARKER} in {kind}")))
    if kind == "open-reading":
        gone = put(author, root, "Weggegooid.pdf", pdf(f"{MARKER} weg"))
        file_services.trash_file(author, gone)
        hidden = put(author, root, "Verborgen stuk.pdf", pdf(f"{MARKER} verborgen"))
        file_services.hide_file(hidden)
        made += [gone, hidden]
    return made


@pytest.fixture
def world(db):
    home, elsewhere = OrganisationFactory(), OrganisationFactory()
    people = {
        "author": UserFactory(organisation=home, job_title=f"Schrijver {MARKER}"),
        "colleague": UserFactory(organisation=home, job_title=MARKER),
        "outsider": UserFactory(organisation=elsewhere, job_title=MARKER),
        "member": UserFactory(organisation=elsewhere, job_title=MARKER),
        "moderator": UserFactory(organisation=elsewhere, is_staff=True, job_title=MARKER),
        "suspended": UserFactory(organisation=home, job_title=MARKER),
        "gone": UserFactory(organisation=home, job_title=MARKER, is_active=False),
    }
    make_moderator(people["moderator"])
    author = people["author"]
    objects = []
    kinds = {**GROUP_KINDS, **dict.fromkeys(SWITCHED_OFF, GROUP_KINDS["open-reading"])}
    for kind, fields in kinds.items():
        group = GroupFactory(slug=kind, description=f"Groep {MARKER}", **fields)
        objects.append(group)
        MembershipFactory(group=group, user=author, role="owner")
        MembershipFactory(group=group, user=people["member"], role="member")
        MembershipFactory(group=group, user=people["suspended"], role="member")
        if kind in SWITCHED_OFF:
            # An admin: with the members tab off, owners and admins still see the members.
            MembershipFactory(group=group, user=people["colleague"], role="admin")
        for person in (author, people["member"]):
            Activity.objects.create(group=group, verb=Activity.Verb.JOINED, actor=person)
        access.forget_memberships(author)
        # A page of every visibility; one public page in a switch's group.
        visibilities = ("public",) if kind in SWITCHED_OFF else ("public", "logged_in", "group")
        for visibility in visibilities:
            page = wiki_services.create_page(
                author,
                group,
                title=f"Pagina {visibility}",
                body=f"<p>{MARKER} {kind}</p>",
                visibility=visibility,
            )
            # A closed group clamps visibility; the matrix tests what the person chose.
            WikiPage.objects.filter(pk=page.pk).update(visibility=visibility)
            page.refresh_from_db()
            objects.append(page)
        post = blog_services.save_post(
            author,
            PostInput(title=f"In {kind}", body=f"<p>{MARKER}</p>", publish=Publish.NOW),
            group=group,
        )
        objects.append(post)
        room = chat_services.room_for_group(group)
        posted = chat_services.post_message(
            room, author, str(uuid.uuid4()), f"Chatbericht {MARKER} {kind}"
        )
        objects.append(posted.message)
        objects.append(plan_event(author, f"Evenement {kind}", group=group))
        objects.extend(add_files(author, group, kind))
        objects.extend(ask_polls(author, group, kind))
        objects.extend(start_discussions(author, group, kind))
        objects.extend(ask_questions(author, group, kind))
    objects.extend(ask_questions(author, None, "community"))
    # Community events: for everyone, for who is signed in; one a moderator hid, one cancelled;
    # and a cancelled event of the open group (it stays visible, marked as cancelled).
    for kind in COMMUNITY_EVENTS:
        visibility = "logged_in" if kind == "logged_in" else "public"
        objects.append(plan_event(author, f"Gemeenschap {kind}", visibility=visibility))
    objects.append(plan_event(author, "Afgelast in de groep", group=objects[0]))
    for event in [o for o in objects if o._meta.model_name == "event"]:
        if event.title in ("Gemeenschap cancelled", "Afgelast in de groep"):
            event_services.cancel_event(people["moderator"], event)
        if event.title == "Gemeenschap hidden":
            Event.objects.filter(pk=event.pk).update(hidden_at=timezone.now())
    # A chat message a moderator hid: it keeps its place in the room, its words are shown to
    # nobody.
    hidden_message = chat_services.post_message(
        chat_services.room_for_group(objects[0]), author, str(uuid.uuid4()), f"Verborgen {MARKER}"
    ).message
    Message.objects.filter(pk=hidden_message.pk).update(hidden_at=timezone.now())
    objects.append(hidden_message)
    for kind in POST_KINDS:
        data = PostInput(
            title=f"Bericht {kind}", body=f"<p>{MARKER} {kind}</p>", publish=Publish.NOW
        )
        if kind in ("public", "logged_in", "organisation", "private"):
            data.visibility = kind
        if kind == "draft":
            data.publish = Publish.DRAFT
        if kind == "scheduled":
            data.publish = Publish.LATER
            data.publish_at = timezone.now() + timedelta(days=3)
        objects.append(blog_services.save_post(author, data))
    # Hidden by a moderator (moderation/): a public post and a public wiki page of the open group
    # that nobody may see any more, on any surface.
    hidden = blog_services.save_post(
        author,
        PostInput(
            title="Verborgen bericht", body=f"<p>{MARKER} verborgen</p>", publish=Publish.NOW
        ),
    )
    hidden_page = wiki_services.create_page(
        author, objects[0], title="Verborgen pagina", body=f"<p>{MARKER}</p>", visibility="public"
    )
    Post.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    WikiPage.objects.filter(pk=hidden_page.pk).update(hidden_at=timezone.now())
    hidden.refresh_from_db()
    hidden_page.refresh_from_db()
    objects.extend([hidden, hidden_page])
    posts = [obj for obj in objects if obj._meta.model_name == "post"]
    for post in posts:
        objects.append(
            Comment.objects.create(post=post, author=people["colleague"], body=f"Reactie {MARKER}")
        )
    removed = Comment.objects.create(
        post=posts[0], author=people["member"], body=f"Weg {MARKER}", removed_at=timezone.now()
    )
    # Each switch's part off, as the group's settings form does it (a save of the group).
    for slug, field in SWITCHED_OFF.items():
        group = Group.objects.get(slug=slug)
        setattr(group, field, False)
        group.save()
    people["suspended"].suspended_until = timezone.now() + timedelta(days=3)
    people["suspended"].save()
    for person in people.values():
        access.forget_memberships(person)
    # Fresh from the database: nothing keeps a copy of a group from before its switch.
    objects = [type(obj)._default_manager.get(pk=obj.pk) for obj in objects]
    objects.extend(person for person in people.values())
    # The updates above bypassed the signals: index everything afresh.
    call_command("search_index", "rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return people, objects, removed


def key(obj):
    return (registry.for_model(type(obj)).type_name, obj.pk)


def group_of(obj):
    """The group an object lives in (or is), or None."""
    name = obj._meta.model_name
    if name == "group":
        return obj
    if name == "comment":
        return obj.post.group
    if name == "message":
        return obj.room.group
    return getattr(obj, "group", None)


def switch_of(obj) -> str | None:
    """The switch that is off in the object's group (of the switches dimension), or None."""
    group = group_of(obj)
    return SWITCHED_OFF.get(group.slug) if group is not None else None


def switched_off(obj) -> bool:
    """Whether ``obj`` lives in a part of its group that is switched off, read from the world's
    own switches (by the group's address), not from the policy."""
    name = "post" if obj._meta.model_name == "comment" else obj._meta.model_name
    return name in PART_OF and switch_of(obj) == PART_OF[name]


def expected_for(user, obj):
    if obj._meta.model_name == "user" and not obj.is_active:
        return False
    if switched_off(obj):
        return False  # read by nobody, whatever the policy says: a leak shows
    return access.can_view(user, obj)


def expected_members(user, group) -> bool:
    """Who may see who is in a group (its members list, activity, organisations taking part):
    with the members tab off, its (active) owners and admins only, read from the memberships
    and the world's switches; with it on, whoever reads the group's content."""
    if SWITCHED_OFF.get(group.slug) == "members_tab_enabled":
        return access.is_active_person(user) and (
            Membership.objects.filter(group=group, user=user, role__in=("owner", "admin")).exists()
        )
    return can_read_content(user, group)


def every_hit(user, **filters):
    """The first page's results and the hits of every page (more than a page's 100 may be
    found: the matrix holds every kind of content)."""
    first = get_search_backend().search(
        SearchQuery(text=MARKER, user=user, per_page=100, **filters)
    )
    hits, page = list(first.hits), 1
    while len(hits) < first.total:
        page += 1
        more = get_search_backend().search(
            SearchQuery(text=MARKER, user=user, per_page=100, page=page, **filters)
        )
        assert more.hits, (page, first.total)
        hits.extend(more.hits)
    return first, hits


@pytest.mark.parametrize("role", ROLES)
def test_search_finds_exactly_what_each_person_may_see(world, role):
    people, objects, removed = world
    user = AnonymousUser() if role == "anonymous" else people[role]
    results, hits = every_hit(user)
    found = {(hit.type, hit.object_id): hit for hit in hits}
    expected = {key(obj) for obj in objects if expected_for(user, obj)}
    probes = 0
    mismatches = []
    for obj in objects:
        probes += 1
        if (key(obj) in found) != (key(obj) in expected):
            mismatches.append((key(obj), str(obj), key(obj) in found))
    assert mismatches == []
    # Counts and facets tell no more than the results.
    assert results.total == len(expected) == len(found)
    assert results.facets == dict(Counter(type_name for type_name, _pk in expected))
    # Snippets come from what may be seen only; a removed comment's text is never found.
    assert key(removed) not in found
    assert not any("Weg" in hit.snippet for hit in hits)
    assert all(
        f"<mark>{MARKER}</mark>" in hit.snippet or MARKER in hit.title.casefold() for hit in hits
    )
    # Every filter narrows within what may be seen.
    for type_name in registry.type_names():
        _narrowed, narrowed_hits = every_hit(user, types=(type_name,))
        probes += 1
        assert {(hit.type, hit.object_id) for hit in narrowed_hits} == {
            k for k in expected if k[0] == type_name
        }
    assert probes == len(objects) + len(registry.type_names())
    # The switches dimension: every switch is probed, on everything its group holds.
    switches = Counter(switch_of(obj) for obj in objects if switch_of(obj))
    print(f"search matrix ({role}): {probes} probes; per switch off: {dict(switches)}")
    assert set(switches) == set(SWITCHED_OFF.values())
    # group, page, post, comment, message, event, file
    assert all(count >= 7 for count in switches.values())
    assert not any(switched_off(obj) and key(obj) in found for obj in objects)
    # Something to see for everyone, and something hidden from all but the author.
    assert expected
    if role != "author":
        assert len(expected) < len(objects)
