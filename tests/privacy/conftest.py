import io
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from blog import services as blog_services
from blog.models import Post
from chat import services as chat_services
from moderation.models import Flag, Report
from tests.factories import GroupFactory, MembershipFactory, OrganisationFactory, UserFactory
from wiki import services as wiki_services


def png(name="plaatje.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def privacy_world(db):
    """Anna writes in the group "Team" (owned by Bram) and on her own blog; Bram writes things
    of his own, some of them private."""
    home = OrganisationFactory(name="Gemeente Meent", slug="gemeente-meent")
    anna = UserFactory(
        email="anna@meent.nl",
        first_name="Anna",
        last_name="Jansen",
        organisation=home,
        job_title="Adviseur",
    )
    anna.avatar.save("avatar.png", png(), save=True)
    bram = UserFactory(email="bram@meent.nl", first_name="Bram", last_name="Eigen")
    group = GroupFactory(slug="team", name="Team", content_default="members")
    MembershipFactory(group=group, user=bram, role="owner")
    MembershipFactory(group=group, user=anna, role="member")

    group_post = blog_services.save_post(
        anna,
        blog_services.PostInput(
            title="Annas groepsbericht", body="<p>Voor de groep</p>", publish="now"
        ),
        group=group,
    )
    own_post = blog_services.save_post(
        anna,
        blog_services.PostInput(
            title="Annas eigen bericht",
            body="<p>Van mij</p>",
            publish="now",
            cover=png("omslag.png"),
            cover_alt="Een vlak",
        ),
    )
    bram_public = blog_services.save_post(
        bram, blog_services.PostInput(title="Brams openbare post", body="<p>Hoi</p>", publish="now")
    )
    bram_private = blog_services.save_post(
        bram,
        blog_services.PostInput(
            title="Brams geheime post", body="<p>Geheim</p>", publish="now", visibility="private"
        ),
    )
    comment = blog_services.add_comment(anna, bram_public, "Annas reactie op Bram")
    blog_services.add_comment(bram, group_post, "Brams reactie op Anna")
    blog_services.react(anna, post=bram_public)
    page = wiki_services.create_page(
        anna, group, title="Annas wikipagina", body="<p>Wikitekst van Anna</p>", summary="Begin"
    )
    room = chat_services.room_for_group(group)
    chat_services.post_message(room, anna, "anna-1", "Annas chatbericht")
    chat_services.post_message(room, bram, "bram-1", "Brams chatbericht")
    report = Report.objects.create(
        content_type=ContentType.objects.get_for_model(Post),
        object_id=bram_public.pk,
        kind="post",
        title=bram_public.title,
        author=bram,
    )
    Flag.objects.create(report=report, reporter=anna, reason="spam", text="Reclame")
    return SimpleNamespace(
        anna=anna,
        bram=bram,
        group=group,
        group_post=group_post,
        own_post=own_post,
        bram_public=bram_public,
        bram_private=bram_private,
        comment=comment,
        page=page,
        room=room,
    )
