"""The access matrix, files dimension: every stored file of every kind of content x every role x
every address it can be reached by.

Files: blog covers of posts of every visibility and state (draft, scheduled, unpublished, hidden by
a moderator, deleted through a report) and of group posts in an open, a members-only and a hidden
group; event covers of group events in those groups and in a group whose agenda is off, of
community events for everyone and for who is signed in, cancelled, hidden and deleted by a moderator; group images of listed, hidden, moderator-hidden and deleted groups; profile pictures of a
person as usual, with a hidden profile, suspended and deactivated; wiki attachments of the three
kinds of group; a data export; Wagtail documents in a public, a signed-in, a Wagtail-group and a
password collection. Roles: those of tests/search/test_access_matrix.py.

Addresses (surfaces): ``view``, the checking view (``/files/…``, the wiki's attachment view,
``/my-data/…/download/``, ``/documents/…``); ``media``, the file's own ``/media/<name>``;
``legacy media``, where covers, group images and pictures used to be (``/media/blog/covers/<post
address>.png`` and the like), with a copy of the file left there; ``page``, the page that shows the
file (post, group home, profile), which must carry its address for exactly the same people.

Each file has a hand-written audience (the roles that may get it); a probe is a leak when someone
else gets the file's bytes (or its address on the page), a miss when someone of the audience does
not. Every probe is counted; the total is printed and checked, so a surface that silently stops
being probed fails. Wagtail images are public by design (the themes' logos and favicons, which no
restricted page can show): ``test_wagtail_images_are_only_the_public_theme_images`` holds that.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group as AuthGroup
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import FileField
from django.test import Client
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Site

from blog import services as blog_services
from blog.services import PostInput, Publish
from events import services as event_services
from events.services import EventInput
from files import services as file_services
from meent import access
from moderation import services as moderation_services
from privacy.models import DataExport
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_moderator,
)
from tests.search.test_access_matrix import ROLES
from tests.security.test_private_files import png_bytes
from wiki import services as wiki_services

pytestmark = pytest.mark.django_db

ALL = frozenset(ROLES)
SIGNED_IN = frozenset({"outsider", "colleague", "member", "author", "moderator"})
MEMBERS = frozenset({"member", "author"})
AUTHOR = frozenset({"author"})
NOBODY = frozenset()
SURFACES = {"view", "media", "legacy media", "page"}
# Every file field of the project, and where the matrix probes it (or why it does not).
FILE_FIELDS = {
    "blog.Post.cover": "blog cover",
    "events.Event.cover": "event cover",
    "groups.Group.avatar": "group image",
    "accounts.User.avatar": "profile picture",
    "wiki.WikiAttachment.file": "wiki attachment",
    # Every version of a group's file; tests/security/test_files_library_matrix.py probes the
    # library's other addresses (versions, previews, ZIPs) per folder reach and state.
    "files.FileVersion.stored": "group file",
    "privacy.DataExport.file": "data export",
    "wagtaildocs.Document.file": "document",
    # Public: the themes' logos and favicons (test_wagtail_images_are_only_the_public_theme_images).
    "wagtailimages.Image.file": None,
    "wagtailimages.Rendition.file": None,
    # Staff's pictures in Wagtail's admin, under random names; shown in the admin only.
    "wagtailusers.UserProfile.avatar": None,
    # The admin's multiple upload, for custom image and document models with required fields
    # (Meent has none); under wagtail_uploads/, which /media/ never serves.
    "wagtailcore.UploadedFile.file": None,
}


@dataclass
class StoredFile:
    kind: str
    label: str
    content: bytes
    audience: frozenset
    addresses: dict = field(default_factory=dict)  # surface -> address
    page: str = ""  # a page that shows the file, and the address it shows it by

    def __str__(self):
        return f"{self.kind} ({self.label})"


def png(colour):
    return SimpleUploadedFile("plaatje.png", png_bytes(colour), content_type="image/png")


def write_legacy_copy(media_root, name, content):
    """A copy where such files used to be named, as if the move had left it behind."""
    path = media_root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return f"/media/{name}"


@pytest.fixture
def files_world(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = media_root = tmp_path / "media"
    home, elsewhere = OrganisationFactory(), OrganisationFactory()
    people = {
        "author": UserFactory(organisation=home),
        "colleague": UserFactory(organisation=home),
        "outsider": UserFactory(organisation=elsewhere),
        "member": UserFactory(organisation=elsewhere),
        "moderator": UserFactory(organisation=elsewhere, is_staff=True),
        "suspended": UserFactory(organisation=home),
    }
    make_moderator(people["moderator"])
    author, member, moderator = people["author"], people["member"], people["moderator"]
    files = []
    colours = iter(f"#{n:02x}{n:02x}80" for n in range(1, 200))

    def decide(kind, obj, decision):
        report, _new = moderation_services.report_item(member, kind, obj.pk, "abuse")
        # What waits for the commit (the deleted item's files) happens, as on the site.
        with django_capture_on_commit_callbacks(execute=True):
            moderation_services.decide(moderator, report, decision, "Volgens de melding")

    def group(slug, audience, **fields):
        made = GroupFactory(slug=slug, **fields)
        MembershipFactory(group=made, user=author, role="owner")
        MembershipFactory(group=made, user=member, role="member")
        MembershipFactory(group=made, user=people["suspended"], role="member")
        content = png_bytes(next(colours))
        made.avatar.save("avatar.png", ContentFile(content), save=True)
        files.append(
            StoredFile(
                "group image",
                slug,
                content,
                audience,
                {
                    "view": made.avatar_url,
                    "media": f"/media/{made.avatar.name}",
                    "legacy media": write_legacy_copy(media_root, f"groups/{slug}.png", content),
                },
                made.get_absolute_url(),
            )
        )
        return made

    def cover(post, label, audience):
        content = post.cover.open("rb").read()
        post.cover.close()
        files.append(
            StoredFile(
                "blog cover",
                label,
                content,
                audience,
                {
                    "view": post.cover_url,
                    "media": f"/media/{post.cover.name}",
                    "legacy media": write_legacy_copy(
                        media_root, f"blog/covers/{post.slug}.png", content
                    ),
                },
                post.get_absolute_url(),
            )
        )

    def write(label, audience, in_group=None, **fields):
        data = PostInput(
            title=f"Bericht {label}",
            body="<p>Tekst</p>",
            cover=png(next(colours)),
            cover_alt="Een plaatje",
            **{"publish": Publish.NOW, **fields},
        )
        with django_capture_on_commit_callbacks(execute=True):
            post = blog_services.save_post(author, data, group=in_group)
        cover(post, label, audience)
        return post

    def picture(person, label, audience):
        content = png_bytes(next(colours))
        person.avatar.save("avatar.png", ContentFile(content), save=True)
        files.append(
            StoredFile(
                "profile picture",
                label,
                content,
                audience,
                {
                    "view": person.avatar_url,
                    "media": f"/media/{person.avatar.name}",
                    "legacy media": write_legacy_copy(
                        media_root, f"avatars/{person.pk}/avatar.png", content
                    ),
                },
                person.get_absolute_url(),
            )
        )

    # Groups and their images.
    open_group = group("open-reading", ALL, visibility="listed", content_default="open")
    members_group = group("members-only", ALL, visibility="listed", content_default="members")
    hidden_group = group("hidden", MEMBERS, visibility="hidden", content_default="open")
    decide("group", group("moderator-hidden", MEMBERS, content_default="open"), "hide")
    decide("group", group("deleted", NOBODY, content_default="open"), "delete")

    # Blog covers.
    write("public", ALL, visibility="public")
    write("logged_in", SIGNED_IN, visibility="logged_in")
    write("organisation", frozenset({"colleague", "author"}), visibility="organisation")
    write("private", AUTHOR, visibility="private")
    write("draft", AUTHOR, publish=Publish.DRAFT)
    write(
        "scheduled",
        AUTHOR,
        publish=Publish.LATER,
        publish_at=timezone.now() + timedelta(days=3),
    )
    blog_services.unpublish(author, write("unpublished", AUTHOR))
    decide("post", write("hidden", NOBODY), "hide")
    decide("post", write("deleted", NOBODY), "delete")
    write("group open-reading", ALL, in_group=open_group)
    write("group members-only", MEMBERS, in_group=members_group)
    write("group hidden", MEMBERS, in_group=hidden_group)

    # Event covers: a group's events follow the group's content (and its agenda switch); a
    # community event its visibility; hidden or deleted by a moderator, nobody's.
    managers, _made = AuthGroup.objects.get_or_create(name=settings.MEENT_COMMUNITY_MANAGERS_GROUP)
    organiser = UserFactory(organisation=home)  # a community manager, of no role
    organiser.groups.add(managers)
    start = (timezone.now() + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    access.forget_memberships(author)  # the groups above were made after it was asked

    def event(label, audience, in_group=None, **fields):
        data = EventInput(
            title=f"Evenement {label}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            cover=png(next(colours)),
            cover_alt="Een plaatje",
            audience="members" if in_group is not None else "signed_in",
            **fields,
        )
        made = event_services.save_event(
            author if in_group is not None else organiser,
            data,
            group=in_group,
            site_id=None if in_group is not None else Site.objects.get(is_default_site=True).pk,
        )
        content = made.cover.open("rb").read()
        made.cover.close()
        files.append(
            StoredFile(
                "event cover",
                label,
                content,
                audience,
                {"view": made.cover_url, "media": f"/media/{made.cover.name}"},
                made.get_absolute_url(),
            )
        )
        return made

    event("group open-reading", ALL, in_group=open_group)
    event("group members-only", MEMBERS, in_group=members_group)
    event("group hidden", MEMBERS, in_group=hidden_group)
    event("community public", ALL, visibility="public")
    event("community logged_in", SIGNED_IN, visibility="logged_in")
    event_services.cancel_event(author, event("cancelled", ALL, in_group=open_group))
    decide("event", event("hidden", NOBODY, in_group=open_group), "hide")
    decide("event", event("deleted", NOBODY, in_group=open_group), "delete")
    agenda_off = GroupFactory(slug="agenda-off", visibility="listed", content_default="open")
    MembershipFactory(group=agenda_off, user=author, role="owner")
    MembershipFactory(group=agenda_off, user=member, role="member")
    access.forget_memberships(author)
    event("agenda off", NOBODY, in_group=agenda_off)
    agenda_off.events_enabled = False
    agenda_off.save()

    # Profile pictures: as usual, hidden by a moderator (the person still sees theirs),
    # suspended, deactivated.
    picture(author, "as usual", ALL)
    picture(people["colleague"], "hidden profile", frozenset({"colleague"}))
    decide("profile", people["colleague"], "hide")
    picture(people["suspended"], "suspended", NOBODY)
    moderation_services.suspend(
        moderator,
        people["suspended"],
        until=timezone.now() + timedelta(days=3),
        reason="Volgens de melding",
    )
    gone = UserFactory(organisation=home)
    picture(gone, "deactivated", NOBODY)
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    # Wiki attachments: they follow their group's content.
    for made, audience in ((open_group, ALL), (members_group, MEMBERS), (hidden_group, MEMBERS)):
        content = png_bytes(next(colours))
        attachment = wiki_services.add_attachment(
            author, made, SimpleUploadedFile("schema.png", content, content_type="image/png")
        )
        files.append(
            StoredFile(
                "wiki attachment",
                made.slug,
                content,
                audience,
                {
                    "view": attachment.get_absolute_url(),
                    "media": f"/media/{attachment.file.name}",
                },
            )
        )

    # Group files: they follow their group's content (their folder's reach is "everyone").
    for made, audience in ((open_group, ALL), (members_group, MEMBERS), (hidden_group, MEMBERS)):
        content = b"Notulen van het overleg\n" + next(colours).encode()
        uploaded = file_services.upload(
            author,
            file_services.root_folder(made),
            SimpleUploadedFile("notulen.txt", content, content_type="text/plain"),
        ).file
        files.append(
            StoredFile(
                "group file",
                made.slug,
                content,
                audience,
                {
                    "view": uploaded.download_url(),
                    "media": f"/media/{uploaded.current.stored.name}",
                },
            )
        )

    # A data export: its owner's alone.
    content = b"PK\x05\x06" + b"\x00" * 18
    export = DataExport.objects.create(
        user=author,
        status=DataExport.Status.READY,
        file=ContentFile(content, name="meent-data.zip"),
        finished_at=timezone.now(),
    )
    files.append(
        StoredFile(
            "data export",
            "own",
            content,
            AUTHOR,
            {"view": export.get_download_url(), "media": f"/media/{export.file.name}"},
        )
    )

    # Wagtail documents: collection privacy.
    root = Collection.get_first_root_node()
    moderators = AuthGroup.objects.get(name=settings.MEENT_MODERATORS_GROUP)
    for label, restriction, audience in (
        ("public", None, ALL),
        ("signed in", CollectionViewRestriction.LOGIN, SIGNED_IN),
        ("Wagtail group", CollectionViewRestriction.GROUPS, frozenset({"moderator"})),
        ("password", CollectionViewRestriction.PASSWORD, NOBODY),
    ):
        collection = root.add_child(name=f"Collectie {label}")
        if restriction:
            made = CollectionViewRestriction.objects.create(
                collection=collection,
                restriction_type=restriction,
                password="geheim-woord"
                if restriction == CollectionViewRestriction.PASSWORD
                else "",
            )
            if restriction == CollectionViewRestriction.GROUPS:
                made.groups.add(moderators)
        content = f"%PDF-1.7\n{label}\n".encode()
        document = get_document_model().objects.create(
            title=f"Document {label}",
            file=ContentFile(content, name="verslag.pdf"),
            collection=collection,
        )
        files.append(
            StoredFile(
                "document",
                label,
                content,
                audience,
                {"view": document.url, "media": f"/media/{document.file.name}"},
            )
        )
    return people, files


def got_file(response, content):
    if response.status_code != 200 or not getattr(response, "streaming", False):
        return False
    return b"".join(response.streaming_content) == content


def test_every_stored_file_reaches_exactly_its_audience_by_every_address(files_world):
    people, files = files_world
    probes = Counter()
    leaks, misses = [], []

    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(people[role])
        for stored in files:
            expected_role = role in stored.audience
            for surface, address in stored.addresses.items():
                shown = got_file(client.get(address), stored.content)
                # Only the checking view serves a file; every other address serves nobody.
                expected = expected_role and surface == "view"
                probes[surface] += 1
                if shown and not expected:
                    leaks.append((surface, role, str(stored), address))
                if expected and not shown:
                    misses.append((surface, role, str(stored), address))
            if stored.page:
                response = client.get(stored.page)
                html = response.content.decode() if response.status_code == 200 else ""
                shown = f'src="{stored.addresses["view"]}"' in html
                probes["page"] += 1
                if shown and not expected_role:
                    leaks.append(("page", role, str(stored), stored.page))
                if expected_role and not shown:
                    misses.append(("page", role, str(stored), stored.page))

    total = sum(probes.values())
    kinds = Counter(stored.kind for stored in files)
    print(f"files matrix: {total} probes of {len(files)} files over {dict(probes)}; {dict(kinds)}")
    assert leaks == [], f"{len(leaks)} leaks: {leaks[:20]}"
    assert misses == [], f"{len(misses)} misses: {misses[:20]}"
    assert set(probes) == SURFACES
    assert set(kinds) == {kind for kind in FILE_FIELDS.values() if kind}
    assert kinds == {
        "blog cover": 12,
        "event cover": 9,
        "group image": 5,
        "profile picture": 4,
        "wiki attachment": 3,
        "group file": 3,
        "data export": 1,
        "document": 4,
    }
    # Every role got something, and every file was refused to someone but its audience.
    for role in ROLES:
        assert any(role in stored.audience for stored in files), role
    assert total >= 700


def test_every_file_field_of_the_project_is_in_the_matrix_or_public_by_design():
    fields = {
        f"{model._meta.label}.{model_field.name}"
        for model in apps.get_models()
        for model_field in model._meta.get_fields()
        if isinstance(model_field, FileField)
    }
    assert fields == set(FILE_FIELDS), "a new file field: add it to the matrix, or say why not"


def test_wagtail_images_are_only_the_public_theme_images():
    """Wagtail's images (/media/original_images/, renditions under /media/images/) are served to
    everyone: no page type, block or rich text of Meent can show one, so none is ever on a page
    with a view restriction. Only the themes' logo and favicon use them, on every page of the
    community. A page or block that could show an image needs a checking view first (README)."""
    from wagtail import blocks
    from wagtail.fields import RichTextField, StreamField
    from wagtail.images import get_image_model
    from wagtail.images.blocks import ImageBlock, ImageChooserBlock

    image_model = get_image_model()
    users = {
        f"{model._meta.label}.{model_field.name}"
        for model in apps.get_models()
        for model_field in model._meta.get_fields()
        if model_field.concrete
        and getattr(model_field, "related_model", None) is image_model
        and model._meta.app_label not in ("wagtailimages",)
    }
    assert users == {"themes.ThemeSettings.logo", "themes.ThemeSettings.favicon"}

    def image_blocks(block):
        if isinstance(block, ImageChooserBlock | ImageBlock):
            yield block
        if isinstance(block, blocks.RichTextBlock) and "image" in (block.features or ["image"]):
            yield block
        for child in getattr(block, "child_blocks", {}).values():
            yield from image_blocks(child)
        child = getattr(block, "child_block", None)
        if child is not None:
            yield from image_blocks(child)

    found = []
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, StreamField):
                found += [
                    f"{model._meta.label}.{model_field.name}"
                    for _ in image_blocks(model_field.stream_block)
                ]
            if isinstance(model_field, RichTextField) and "image" in (
                model_field.features or ["image"]
            ):
                found.append(f"{model._meta.label}.{model_field.name}")
    assert found == []
