"""Private files only through access checks (issue 19, finding 1).

The probe found blog covers, group images and profile pictures served from ``/media/`` under
names made from the post's address, to anyone, also after the post was made private, unpublished
or deleted through a report. Each finding has a test here that failed before the fix; then what
the fix promises: random names under ``private/``, the checking views (headers, caching, 404s),
files leaving storage after commit, and the data migration that moves existing files. The files
dimension of the access matrix (every file x every role x every address) is
tests/security/test_files_matrix.py.
"""

import io
import re
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import post_init
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from blog import services as blog_services
from blog.models import Post
from blog.services import PostInput, Publish
from groups.models import Group
from meent import media
from meent.files import PRIVATE_ROOT, move_to_private
from moderation import services as moderation_services
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_moderator,
)

pytestmark = pytest.mark.django_db

SANDBOX = "default-src 'none'; sandbox"


def png_bytes(colour="teal"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = png_bytes()


def png(name="omslag.png", colour="teal"):
    return SimpleUploadedFile(name, png_bytes(colour), content_type="image/png")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(db):
    home = OrganisationFactory()
    return {
        "author": UserFactory(organisation=home),
        "colleague": UserFactory(organisation=home),
        "member": UserFactory(),
        "owner": UserFactory(),
        "outsider": UserFactory(),
    }


def client_of(person=None):
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def served(response, content=None):
    """The file itself came back (not a page, not a redirect to sign in)."""
    if response.status_code != 200 or not hasattr(response, "streaming_content"):
        return False
    body = b"".join(response.streaming_content)
    return content is None or body == content


def write_post(author, title="Bericht", group=None, cover=True, **fields):
    data = PostInput(title=title, body="<p>Tekst</p>", publish=Publish.NOW, **fields)
    if cover:
        data.cover, data.cover_alt = png(), "Een plaatje"
    return blog_services.save_post(author, data, group=group)


def stored(media_root, field_file):
    return media_root / field_file.name


def old_addresses(post):
    """Where the probe found the cover: named after the post's address, under /media/blog/."""
    return [f"/media/blog/covers/{post.slug}.png", f"/media/blog/covers/cover-{post.slug}.png"]


# ---------------------------------------------------------------------------------------------
# The findings, one test each


def test_a_private_posts_cover_is_served_neither_by_its_old_address_nor_to_anonymous(
    media_root, people
):
    post = write_post(people["author"], "Alleen voor mij", visibility="private")
    anonymous = client_of()
    for address in [*old_addresses(post), f"/media/{post.cover.name}"]:
        assert anonymous.get(address).status_code == 404, address
    # Nothing under a folder /media/ serves, and nothing named after the post.
    assert post.cover.name.startswith(f"{PRIVATE_ROOT}blog-covers/")
    assert post.slug not in post.cover.name
    assert not (media_root / "blog").exists()
    # The new address asks the access policy: the author only.
    assert anonymous.get(post.cover_url).status_code == 404
    assert client_of(people["colleague"]).get(post.cover_url).status_code == 404
    assert served(client_of(people["author"]).get(post.cover_url), PNG)


def test_an_unpublished_posts_cover_goes_with_the_post(media_root, people):
    post = write_post(people["author"], "Even openbaar")
    assert served(client_of().get(post.cover_url), PNG)
    blog_services.unpublish(people["author"], post)
    assert client_of().get(post.cover_url).status_code == 404
    assert client_of(people["colleague"]).get(post.cover_url).status_code == 404
    assert served(client_of(people["author"]).get(post.cover_url), PNG)
    for address in old_addresses(post):
        assert client_of().get(address).status_code == 404


def test_the_cover_of_a_post_deleted_through_a_report_leaves_storage(
    media_root, people, django_capture_on_commit_callbacks
):
    group = GroupFactory(content_default="open")
    MembershipFactory(group=group, user=people["owner"], role="owner")
    MembershipFactory(group=group, user=people["author"], role="member")
    MembershipFactory(group=group, user=people["member"], role="member")
    post = write_post(people["author"], "Beledigend", group=group)
    url, path = post.cover_url, stored(media_root, post.cover)
    assert served(client_of().get(url), PNG) and path.exists()
    report, _new = moderation_services.report_item(people["member"], "post", post.pk, "abuse")
    # The group's owner deletes it (a report about a group's content goes to them first).
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.decide(people["owner"], report, "delete", "Beledigend plaatje")
    assert not Post.objects.filter(pk=post.pk).exists()
    assert not path.exists()
    assert client_of().get(url).status_code == 404
    assert client_of(people["author"]).get(url).status_code == 404
    for address in old_addresses(post):
        assert client_of().get(address).status_code == 404


def test_a_hidden_groups_image_is_for_its_members(media_root, people):
    group = GroupFactory(visibility="hidden", content_default="open")
    MembershipFactory(group=group, user=people["member"], role="member")
    group.avatar.save("avatar.png", ContentFile(PNG), save=True)
    for client in (client_of(), client_of(people["outsider"])):
        assert client.get(group.avatar.url).status_code == 404
        assert client.get(f"/media/{group.avatar.name}").status_code == 404
        assert client.get("/media/groups/avatar.png").status_code == 404
    assert served(client_of(people["member"]).get(group.avatar.url), PNG)
    assert (
        group.avatar.url
        == group.avatar_url
        == reverse("group_image", args=[group.pk, group.avatar.name.rpartition("/")[2]])
    )


def test_a_suspended_persons_picture_is_shown_to_nobody(media_root, people):
    person = people["colleague"]
    person.avatar.save("avatar.png", ContentFile(PNG), save=True)
    url = person.avatar.url
    assert served(client_of().get(url), PNG)
    person.suspended_until = timezone.now() + timedelta(days=7)
    person.save(update_fields=["suspended_until"])
    for viewer in (None, people["author"], person):
        assert client_of(viewer).get(url).status_code == 404
    assert client_of().get(f"/media/{person.avatar.name}").status_code == 404
    assert client_of().get(f"/media/avatars/{person.pk}/avatar.png").status_code == 404
    # Its profile page does not point at it either.
    page = client_of(people["author"]).get(person.get_absolute_url())
    assert url not in page.content.decode()


def test_a_hidden_profiles_picture_is_shown_only_to_the_person(media_root, people):
    person = people["colleague"]
    person.avatar.save("avatar.png", ContentFile(PNG), save=True)
    url = person.avatar_url
    person.profile_hidden_at = timezone.now()
    person.save(update_fields=["profile_hidden_at"])
    moderator = make_moderator(UserFactory(is_staff=True))
    for viewer in (None, people["author"], moderator):
        assert client_of(viewer).get(url).status_code == 404
        assert url not in client_of(viewer).get(person.get_absolute_url()).content.decode()
    own = client_of(person)
    assert served(own.get(url), PNG)
    assert url in own.get(person.get_absolute_url()).content.decode()


# ---------------------------------------------------------------------------------------------
# Names, addresses, headers


def test_stored_names_are_random_and_addresses_cost_no_query(
    media_root, people, django_assert_num_queries
):
    first = write_post(people["author"], "Zelfde titel")
    second = write_post(people["author"], "Zelfde titel")
    names = [first.cover.name, second.cover.name]
    assert all(re.fullmatch(r"private/blog-covers/[\w-]{24}\.png", name) for name in names)
    assert names[0] != names[1]
    posts = list(Post.objects.filter(pk__in=[first.pk, second.pk]))
    with django_assert_num_queries(0):
        urls = [post.cover_url for post in posts]
    assert sorted(urls) == sorted(
        f"/files/blog/{post.pk}/{post.cover.name.rpartition('/')[2]}" for post in posts
    )
    post = Post(title="Nog niet bewaard")
    assert post.cover_url == ""


def test_the_views_send_meents_file_headers_and_cache_only_public_files(media_root, people):
    public = write_post(people["author"], "Voor iedereen")
    private = write_post(people["author"], "Voor collega's", visibility="organisation")
    response = client_of().get(public.cover_url)
    assert served(response)
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "public, max-age=300"
    response = client_of(people["colleague"]).get(private.cover_url)
    assert served(response)
    assert response["Cache-Control"] == "private, max-age=3600"
    assert client_of().head(public.cover_url).status_code == 200


def test_a_stored_file_that_is_not_an_image_is_a_sandboxed_download(media_root, people):
    post = write_post(people["author"], "Raar bestand")
    # Not possible through the form (uploads are checked by content); a view must still not
    # show whatever a stored name says inline.
    name = f"{PRIVATE_ROOT}blog-covers/abc.html"
    (media_root / name).write_bytes(b"<script>alert(1)</script>")
    Post.objects.filter(pk=post.pk).update(cover=name)
    post.refresh_from_db()
    response = client_of().get(post.cover_url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == SANDBOX


@pytest.mark.parametrize(
    "address",
    [
        "/files/blog/{pk}/andere-naam.png",  # not the current file
        "/files/blog/{pk}/",
        "/files/blog/999999/{name}",  # no such post
        "/files/blog/99999999999999999999999/{name}",  # more than the database counts
        "/files/groups/{pk}/{name}",  # another kind's object of the same number
        "/files/people/0/{name}",
        "/files/blog/{pk}/..%2F..%2Fmanage.py",
    ],
)
def test_wrong_addresses_are_a_404_never_an_error(media_root, people, address):
    post = write_post(people["author"], "Openbaar")
    name = post.cover.name.rpartition("/")[2]
    response = client_of(people["author"]).get(address.format(pk=post.pk, name=name))
    assert response.status_code == 404


def test_only_reading_methods_are_allowed(media_root, people):
    post = write_post(people["author"], "Openbaar")
    client = Client(enforce_csrf_checks=False)
    client.force_login(people["author"])
    assert client.post(post.cover_url).status_code == 405
    assert client.delete(post.cover_url).status_code == 405


def test_a_file_missing_from_storage_is_a_404(media_root, people):
    post = write_post(people["author"], "Openbaar")
    stored(media_root, post.cover).unlink()
    assert client_of().get(post.cover_url).status_code == 404


def test_wiki_attachments_go_through_the_same_helper(media_root, people):
    from wiki import services as wiki_services

    group = GroupFactory(content_default="open")
    MembershipFactory(group=group, user=people["member"], role="member")
    attachment = wiki_services.add_attachment(people["member"], group, png("schema.png"))
    url = attachment.get_absolute_url()
    response = client_of().get(url)
    assert served(response, PNG)
    assert response["Cache-Control"] == "public, max-age=300"  # the group is open for reading
    assert response["Content-Security-Policy"] == SANDBOX
    assert response["Content-Disposition"] == 'inline; filename="schema.png"'
    # A file gone from storage is a 404, not a server error.
    stored(media_root, attachment.file).unlink()
    assert client_of().get(url).status_code == 404


def test_media_never_serves_the_private_folders(client, media_root):
    for folder in ("private/avatars", "avatars/3", "groups", "blog/covers", "wagtail_uploads"):
        (media_root / folder).mkdir(parents=True, exist_ok=True)
        (media_root / folder / "x.png").write_bytes(PNG)
        assert media.is_private(f"{folder}/x.png")
        assert client.get(f"/media/{folder}/x.png").status_code == 404
    # Wagtail's images (the themes' logos and favicons) stay public.
    (media_root / "original_images").mkdir()
    (media_root / "original_images" / "logo.png").write_bytes(PNG)
    assert client.get("/media/original_images/logo.png").status_code == 200


# ---------------------------------------------------------------------------------------------
# Replaced and removed files leave storage after commit


def test_a_replaced_cover_gets_a_new_address_and_the_old_file_goes(
    media_root, people, django_capture_on_commit_callbacks
):
    post = write_post(people["author"], "Met omslag")
    old_url, old_path = post.cover_url, stored(media_root, post.cover)
    with django_capture_on_commit_callbacks(execute=True):
        post = blog_services.save_post(
            people["author"],
            PostInput(
                title="Met omslag",
                cover=png(colour="red"),
                cover_alt="Ander plaatje",
                publish=Publish.NOW,
            ),
            post=post,
        )
    assert post.cover_url != old_url and not old_path.exists()
    assert client_of().get(old_url).status_code == 404
    assert served(client_of().get(post.cover_url), png_bytes("red"))
    new_path = stored(media_root, post.cover)
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.save_post(
            people["author"],
            PostInput(title="Met omslag", remove_cover=True, publish=Publish.NOW),
            post=post,
        )
    assert not new_path.exists()
    assert not Post.objects.get(pk=post.pk).cover


def test_a_rolled_back_change_keeps_its_file(media_root, people):
    from django.db import transaction

    post = write_post(people["author"], "Met omslag")
    path = stored(media_root, post.cover)
    with pytest.raises(RuntimeError), transaction.atomic():
        Post.objects.get(pk=post.pk).delete()
        raise RuntimeError("rolled back")
    assert path.exists() and Post.objects.filter(pk=post.pk).exists()


def test_a_replaced_profile_picture_and_group_image_go_after_commit(
    media_root, people, django_capture_on_commit_callbacks
):
    person = people["author"]
    client = client_of(person)
    form = {"first_name": "Anna", "last_name": "Jansen", "job_title": "", "about": ""}
    client.post(
        reverse("accounts:edit_profile"), {**form, "avatar": png("ik.png"), "avatar_alt": "Ik"}
    )
    person.refresh_from_db()
    first = stored(media_root, person.avatar)
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:edit_profile"),
            {**form, "avatar": png("ik2.png", "red"), "avatar_alt": "Ik weer"},
        )
    person.refresh_from_db()
    assert not first.exists() and stored(media_root, person.avatar).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:edit_profile"), {**form, "avatar-clear": "on"})
    person.refresh_from_db()
    assert not person.avatar
    assert list(media_root.rglob("*.png")) == []

    group = GroupFactory()
    group.avatar.save("avatar.png", ContentFile(PNG), save=True)
    first = stored(media_root, group.avatar)
    with django_capture_on_commit_callbacks(execute=True):
        group = Group.objects.get(pk=group.pk)
        group.avatar.save("avatar.png", ContentFile(png_bytes("red")), save=True)
    assert not first.exists() and stored(media_root, group.avatar).exists()


def test_deleted_groups_and_their_posts_take_their_files_along(
    media_root, people, django_capture_on_commit_callbacks
):
    group = GroupFactory(content_default="open")
    MembershipFactory(group=group, user=people["author"], role="owner")
    group.avatar.save("avatar.png", ContentFile(PNG), save=True)
    post = write_post(people["author"], "In de groep", group=group)
    files = [stored(media_root, group.avatar), stored(media_root, post.cover)]
    assert all(path.exists() for path in files)
    moderator = make_moderator(UserFactory(is_staff=True))
    report, _new = moderation_services.report_item(people["member"], "group", group.pk, "spam")
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.decide(moderator, report, "delete", "Reclame")
    assert not Group.objects.filter(pk=group.pk).exists()
    assert not any(path.exists() for path in files)


def test_deferred_fields_are_not_loaded_to_remember_the_file(
    media_root, people, django_assert_num_queries, django_capture_on_commit_callbacks
):
    first = write_post(people["author"], "Openbaar")
    second = write_post(people["author"], "Ook openbaar")
    paths = [stored(media_root, first.cover), stored(media_root, second.cover)]
    with django_assert_num_queries(1):
        posts = list(Post.objects.only("title").order_by("pk"))
    assert len(posts) == 2 and post_init.has_listeners(Post)
    # Loaded without the file, and still its file goes when it is replaced or deleted.
    with django_capture_on_commit_callbacks(execute=True):
        posts[0].cover.save("cover.png", ContentFile(png_bytes("red")), save=True)
        posts[1].delete()
    assert not any(path.exists() for path in paths)
    assert stored(media_root, Post.objects.get(pk=first.pk).cover).exists()


# ---------------------------------------------------------------------------------------------
# The data migration: existing files move to random names under private/


def test_existing_files_move_to_private_names_once_and_missing_files_are_tolerated(
    media_root, people, django_capture_on_commit_callbacks
):
    author = people["author"]
    kept = write_post(author, "Al verhuisd")
    moved = write_post(author, "Oud bestand", cover=False)
    missing = write_post(author, "Kwijt", cover=False)
    (media_root / "blog" / "covers").mkdir(parents=True)
    (media_root / "blog" / "covers" / f"{moved.slug}.png").write_bytes(PNG)
    Post.objects.filter(pk=moved.pk).update(cover=f"blog/covers/{moved.slug}.png")
    Post.objects.filter(pk=missing.pk).update(cover="blog/covers/kwijt.png")
    (media_root / "avatars" / str(author.pk)).mkdir(parents=True)
    (media_root / "avatars" / str(author.pk) / "avatar.png").write_bytes(PNG)
    author.__class__.objects.filter(pk=author.pk).update(avatar=f"avatars/{author.pk}/avatar.png")

    with django_capture_on_commit_callbacks(execute=True):
        counts = move_to_private(django_apps, None, "blog.Post", "cover", "blog-covers")
        pictures = move_to_private(django_apps, None, "accounts.User", "avatar", "avatars")
    assert counts == {"moved": 1, "missing": 1, "kept": 1}
    assert pictures == {"moved": 1, "missing": 0, "kept": 0}
    moved.refresh_from_db()
    author.refresh_from_db()
    assert re.fullmatch(r"private/blog-covers/[\w-]{24}\.png", moved.cover.name)
    assert re.fullmatch(r"private/avatars/[\w-]{24}\.png", author.avatar.name)
    assert stored(media_root, moved.cover).read_bytes() == PNG
    # The old files and the emptied folder of the picture are gone; the missing one is as it was.
    assert not (media_root / "blog" / "covers" / f"{moved.slug}.png").exists()
    assert not (media_root / "avatars" / str(author.pk)).exists()
    assert Post.objects.get(pk=missing.pk).cover.name == "blog/covers/kwijt.png"
    assert Post.objects.get(pk=kept.pk).cover.name == kept.cover.name
    assert served(client_of().get(moved.cover_url), PNG)
    assert served(client_of().get(author.avatar_url), PNG)

    # Again: nothing moves.
    with django_capture_on_commit_callbacks(execute=True):
        again = move_to_private(django_apps, None, "blog.Post", "cover", "blog-covers")
    assert again == {"moved": 0, "missing": 1, "kept": 2}
    assert Post.objects.get(pk=moved.pk).cover.name == moved.cover.name


def test_a_failed_migration_keeps_the_old_files(media_root, people):
    """The old file goes only after commit: a rolled-back move leaves rows and files as they were."""
    from django.db import transaction

    post = write_post(people["author"], "Oud", cover=False)
    (media_root / "blog" / "covers").mkdir(parents=True)
    (media_root / "blog" / "covers" / "oud.png").write_bytes(PNG)
    Post.objects.filter(pk=post.pk).update(cover="blog/covers/oud.png")
    with pytest.raises(RuntimeError), transaction.atomic():
        move_to_private(django_apps, None, "blog.Post", "cover", "blog-covers")
        raise RuntimeError("the next migration failed")
    assert (media_root / "blog" / "covers" / "oud.png").exists()
    assert Post.objects.get(pk=post.pk).cover.name == "blog/covers/oud.png"
