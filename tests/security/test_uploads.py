"""Uploads (security suite): every upload is judged by its content, never by its name, within a size
and pixel limit, with a clear message on the form that comes back and nothing saved; SVG and HTML
are never shown from the site's own origin; private files go out only through views that check
who may read them.

Upload paths: avatars (profile form), group images (group form), blog covers (post form), wiki
attachments (the editor's upload), Wagtail images and documents (the admin). Serving paths: /media/
(meent/media.py, what the proxy must copy in production), the wiki's attachment view and Wagtail's
document view.
"""

import io
import re
import zlib

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from blog.models import Post
from groups.models import Group
from meent import media, uploads
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.helpers import activate_totp
from wiki.models import WikiAttachment

pytestmark = pytest.mark.django_db

SANDBOX = "default-src 'none'; sandbox"

# ---------------------------------------------------------------------------------------------
# Files, made in memory


def image_bytes(size=(64, 48), image_format="PNG", colour=(21, 66, 115)):
    buffer = io.BytesIO()
    mode = "P" if image_format == "GIF" else "RGB"
    Image.new(mode, size, colour if mode == "RGB" else 1).save(buffer, format=image_format)
    return buffer.getvalue()


PNG = image_bytes()
JPEG = image_bytes(image_format="JPEG")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
# A real GIF that Pillow opens and verifies, with a web page after its last byte.
POLYGLOT_GIF = image_bytes(image_format="GIF") + b"<html><body><script>alert(1)</script>"
# A GIF signature in front of a web page: what a browser sniffing the first bytes would render.
FAKE_GIF = b"GIF89a<html><body onload=alert(1)><script>alert(2)</script></body></html>"


def pixel_bomb(width, height):
    """A PNG of a few dozen bytes whose header claims ``width`` × ``height`` pixels: decoded, it
    would take gigabytes (a decompression bomb)."""
    data = bytearray(image_bytes((1, 1)))
    # The signature (8 bytes), then IHDR: length (4), type (4), width (4), height (4), ... CRC.
    data[16:20] = width.to_bytes(4, "big")
    data[20:24] = height.to_bytes(4, "big")
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    return bytes(data)


BOMB = pixel_bomb(30_000, 30_000)  # 900 million pixels: Pillow itself refuses to open it
BIG = pixel_bomb(7_000, 7_000)  # 49 million pixels: Pillow opens it, our limit does not


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def errors_of(response, field):
    return " ".join(str(error) for error in response.context["form"].errors.get(field, []))


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# What each upload path must refuse, with (part of) the message the person reads. None: the
# message is Django's own (its field refuses the file before ours sees it), asserted only to exist.
NOT_AN_IMAGE = "This file is not an image we can read."
MARKUP = "web page code (HTML or script)"
TOO_MANY_PIXELS = "too many pixels"
DJANGO_EMPTY = "The submitted file is empty."
DJANGO_NOT_AN_IMAGE = "Upload a valid image."

REFUSED_IMAGES = {
    "svg-named-png": ("logo.png", SVG),
    "html-named-png": ("foto.png", HTML),
    "html-named-jpg": ("foto.jpg", b"<html><script>alert(1)</script></html>"),
    "polyglot-gif": ("animatie.gif", POLYGLOT_GIF),
    "gif-header-html": ("animatie.gif", FAKE_GIF),
    "pixel-bomb": ("bom.png", BOMB),
    "empty": ("leeg.png", b""),
}


# ---------------------------------------------------------------------------------------------
# The checks themselves (meent/uploads.py)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (SVG, "not_an_image"),
        (HTML, "not_an_image"),
        (POLYGLOT_GIF, "markup"),
        (FAKE_GIF, "markup"),
        (BOMB, "too_many_pixels"),
        (BIG, "too_many_pixels"),
        # 90 million pixels: Pillow only warns; refused all the same, also where warnings are errors.
        pytest.param(
            pixel_bomb(9_500, 9_500),
            "too_many_pixels",
            marks=pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning"),
            id="pillow-warns",
        ),
        pytest.param(
            pixel_bomb(9_500, 9_500),
            "too_many_pixels",
            marks=pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning"),
            id="pillow-warning-as-error",
        ),
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "not_an_image"),  # a signature and nothing else
        (image_bytes(image_format="BMP"), "not_an_image"),  # an image, but not one of ours
        (image_bytes(image_format="TIFF"), "not_an_image"),
    ],
)
def test_validate_image_refuses_by_content(content, code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        uploads.validate_image(upload("bestand.png", content), 10 * 1024 * 1024)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("logo.svg", PNG, "image/png", "png"),  # the name plays no part
        ("foto.png", JPEG, "image/jpeg", "jpg"),
        ("film.html", image_bytes(image_format="GIF"), "image/gif", "gif"),
        ("plaatje", image_bytes(image_format="WEBP"), "image/webp", "webp"),
    ],
)
def test_validate_image_accepts_real_images_whatever_their_name(
    name, content, content_type, extension
):
    kind = uploads.validate_image(upload(name, content), 10 * 1024 * 1024)
    assert (kind.content_type, kind.extension, kind.is_image) == (content_type, extension, True)


def test_messages_say_what_is_wrong_and_what_to_do():
    from django.core.exceptions import ValidationError

    cases = [
        (PNG, 100, {}, "The image is 168\xa0bytes; the limit is 100\xa0bytes."),
        (BIG, 10**6, {}, "The image has too many pixels: at most 40 million."),
        (image_bytes((300, 20)), 10**6, {"max_side": 256}, "at most 256×256 is allowed"),
        (POLYGLOT_GIF, 10**6, {}, "Save the image again in an image editor"),
    ]
    with translation.override("en"):
        for content, limit, options, message in cases:
            with pytest.raises(ValidationError) as caught:
                uploads.validate_image(upload("x.png", content), limit, **options)
            text = " ".join(caught.value.messages)
            if "bytes" in message:  # the exact size depends on Pillow's encoder
                assert "the limit is 100\xa0bytes. Choose a smaller image." in text
            else:
                assert message in text


def test_markup_is_found_in_a_large_file_beyond_the_first_chunk():
    content = PNG + b"\0" * (3 * 1024 * 1024) + b"<ScRiPt>alert(1)</script>"
    assert uploads.contains_markup(upload("groot.png", content))
    assert not uploads.contains_markup(upload("groot.png", PNG + b"\0" * (3 * 1024 * 1024)))


# ---------------------------------------------------------------------------------------------
# Avatars: the profile form


def profile_data(**overrides):
    return {
        "first_name": "Anna",
        "last_name": "Jansen",
        "job_title": "Adviseur",
        "about": "",
        "avatar_alt": "Foto van Anna",
        **overrides,
    }


@pytest.mark.parametrize("case", sorted(REFUSED_IMAGES))
def test_avatar_refused_by_content_and_nothing_saved(client, media_root, case):
    name, content = REFUSED_IMAGES[case]
    person = UserFactory(job_title="Oud")
    client.force_login(person)
    english(client)
    response = client.post(
        reverse("accounts:edit_profile"), {**profile_data(), "avatar": upload(name, content)}
    )
    assert response.status_code == 200  # the form again, with the message
    message = errors_of(response, "avatar")
    assert message
    assert escape(message) in response.content.decode()
    # Django's image field reads the file first: what Pillow cannot open never reaches our check.
    expected = {"polyglot-gif": MARKUP, "empty": DJANGO_EMPTY}.get(case, DJANGO_NOT_AN_IMAGE)
    assert expected in message
    person.refresh_from_db()
    assert person.job_title == "Oud" and not person.avatar  # nothing half-saved
    assert stored_files(media_root) == []


def test_avatar_over_the_size_or_pixel_limit_is_refused(client, media_root, settings):
    person = UserFactory()
    client.force_login(person)
    english(client)
    url = reverse("accounts:edit_profile")
    settings.AVATAR_MAX_BYTES = 100
    response = client.post(url, {**profile_data(), "avatar": upload("me.png", PNG)})
    assert "the limit is 100\xa0bytes. Choose a smaller image." in errors_of(response, "avatar")
    settings.AVATAR_MAX_BYTES = 2 * 1024 * 1024
    response = client.post(url, {**profile_data(), "avatar": upload("me.png", BIG)})
    assert "The image is 7000×7000 pixels; at most 4096×4096 is allowed." in errors_of(
        response, "avatar"
    )
    person.refresh_from_db()
    assert not person.avatar
    assert stored_files(media_root) == []


def test_avatar_is_stored_under_the_name_of_what_it_is_and_shown_inline(client, media_root):
    person = UserFactory()
    client.force_login(person)
    # A PNG called .jpeg: accepted (it is an image) and stored as what it is.
    response = client.post(
        reverse("accounts:edit_profile"), {**profile_data(), "avatar": upload("ik.jpeg", PNG)}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    # Under a random name in a folder /media/ never serves (meent/files.py).
    assert person.avatar.name.startswith("private/avatars/")
    assert re.fullmatch(r"private/avatars/[\w-]{24}\.png", person.avatar.name)
    shown = client.get(person.avatar.url)
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/png"
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert shown["Content-Security-Policy"] == SANDBOX
    assert not shown["Content-Disposition"].startswith("attachment")
    assert b"".join(shown.streaming_content) == PNG


def test_a_png_called_svg_never_becomes_an_svg_avatar(client, media_root):
    """Django's image field refuses the extension before our check runs; either way no .svg is
    stored."""
    person = UserFactory()
    client.force_login(person)
    english(client)
    response = client.post(
        reverse("accounts:edit_profile"), {**profile_data(), "avatar": upload("ik.svg", PNG)}
    )
    assert response.status_code == 200
    assert errors_of(response, "avatar")
    assert stored_files(media_root) == []


# ---------------------------------------------------------------------------------------------
# Group images: the group form


def group_form_data(client, group):
    """What the edit form sends unchanged, read from the form itself."""
    form = client.get(reverse("groups:edit", args=[group.slug])).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name == "avatar" or value in (None, False):
            continue
        data[name] = "on" if value is True else value
    return data


@pytest.fixture
def managed_group(client):
    group = GroupFactory(name="Beeldbank", slug="beeldbank")
    owner = UserFactory()
    MembershipFactory(group=group, user=owner, role="owner")
    client.force_login(owner)
    english(client)
    return group


@pytest.mark.parametrize("case", sorted(REFUSED_IMAGES))
def test_group_image_refused_by_content_and_nothing_saved(client, media_root, managed_group, case):
    name, content = REFUSED_IMAGES[case]
    data = group_form_data(client, managed_group)
    response = client.post(
        reverse("groups:edit", args=[managed_group.slug]),
        {**data, "name": "Nieuwe naam", "avatar_alt": "Logo", "avatar": upload(name, content)},
    )
    assert response.status_code == 200
    assert errors_of(response, "avatar")
    group = Group.objects.get(pk=managed_group.pk)
    assert group.name == "Beeldbank" and not group.avatar
    assert stored_files(media_root) == []


def test_group_image_over_the_limit_is_refused_then_a_real_one_is_kept(
    client, media_root, managed_group, settings
):
    data = {**group_form_data(client, managed_group), "avatar_alt": "Ons logo"}
    url = reverse("groups:edit", args=[managed_group.slug])
    settings.AVATAR_MAX_BYTES = 100
    response = client.post(url, {**data, "avatar": upload("logo.png", PNG)})
    assert "the limit is 100\xa0bytes" in errors_of(response, "avatar")
    assert stored_files(media_root) == []
    settings.AVATAR_MAX_BYTES = 2 * 1024 * 1024
    response = client.post(url, {**data, "avatar": upload("logo.webp", JPEG)})
    assert response.status_code == 302
    group = Group.objects.get(pk=managed_group.pk)
    assert group.avatar.name.endswith(".jpg")
    shown = client.get(group.avatar.url)
    assert shown["Content-Type"] == "image/jpeg"
    assert shown["Content-Security-Policy"] == SANDBOX
    assert not shown["Content-Disposition"].startswith("attachment")


# ---------------------------------------------------------------------------------------------
# Blog covers: the post form


def post_data(**overrides):
    return {
        "title": "Met omslag",
        "cover_alt": "Drie collega's",
        "publish": "now",
        "visibility": "public",
        **overrides,
    }


@pytest.mark.parametrize("case", [*sorted(REFUSED_IMAGES), "oversized", "too-many-pixels"])
def test_blog_cover_refused_by_content_and_nothing_saved(client, media_root, settings, case):
    settings.MEENT_BLOG_COVER_MAX_BYTES = 1000
    name, content = (
        REFUSED_IMAGES.get(case)
        or {
            "oversized": ("groot.png", image_bytes((400, 400)) + b"\0" * 1000),
            "too-many-pixels": ("groot.png", BIG),
        }[case]
    )
    client.force_login(UserFactory())
    english(client)
    response = client.post(reverse("blog:create"), post_data(cover=upload(name, content)))
    assert response.status_code == 400
    message = errors_of(response, "cover")
    assert escape(message) in response.content.decode()
    expected = {
        "polyglot-gif": MARKUP,
        "gif-header-html": MARKUP,
        "empty": DJANGO_EMPTY,
        "pixel-bomb": TOO_MANY_PIXELS,
        "too-many-pixels": TOO_MANY_PIXELS,
        "oversized": "the limit is 1000\xa0bytes. Choose a smaller image.",
    }.get(case, NOT_AN_IMAGE)
    assert expected in message
    assert Post.objects.count() == 0
    assert stored_files(media_root) == []


def test_blog_cover_png_called_svg_is_stored_and_served_as_a_png(client, media_root):
    client.force_login(UserFactory())
    response = client.post(reverse("blog:create"), post_data(cover=upload("omslag.svg", PNG)))
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.cover.name.endswith(".png")
    shown = client.get(post.cover.url)
    assert shown["Content-Type"] == "image/png"
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert not shown["Content-Disposition"].startswith("attachment")


# ---------------------------------------------------------------------------------------------
# Wiki attachments: the editor's upload and the download view


@pytest.fixture
def closed_group():
    """A group whose content is for members only, with a member."""
    group = GroupFactory(content_default=Group.ContentDefault.MEMBERS)
    group.member = UserFactory()
    MembershipFactory(group=group, user=group.member, role="member")
    return group


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", SVG, "This type of file cannot be uploaded."),
        ("pagina.txt", HTML, "This type of file cannot be uploaded."),
        ("plaatje.svg", SVG, "This type of file cannot be uploaded."),
        ("animatie.gif", POLYGLOT_GIF, MARKUP),
        ("animatie.gif", FAKE_GIF, MARKUP),
        ("bom.png", BOMB, TOO_MANY_PIXELS),
        ("groot.pdf", b"%PDF-1.7\n" + b"0" * 200, "the limit is 100\xa0bytes"),
        ("leeg.txt", b"", "Choose a file to upload."),
    ],
)
def test_wiki_upload_refused_by_content(
    client, media_root, settings, closed_group, name, content, message
):
    settings.MEENT_WIKI_ATTACHMENT_MAX_BYTES = 100 if name == "groot.pdf" else 10 * 1024 * 1024
    client.force_login(closed_group.member)
    english(client)
    response = client.post(
        reverse("wiki:upload", args=[closed_group.slug]), {"file": upload(name, content)}
    )
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not WikiAttachment.objects.exists()
    assert stored_files(media_root) == []


def test_wiki_attachment_of_a_closed_group_is_for_its_members_only(
    client, media_root, closed_group
):
    client.force_login(closed_group.member)
    response = client.post(
        reverse("wiki:upload", args=[closed_group.slug]),
        {"file": upload("notulen.pdf", b"%PDF-1.7\n%%EOF\n")},
    )
    assert response.status_code == 201
    url = response.json()["url"]
    attachment = WikiAttachment.objects.get()

    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == SANDBOX
    assert "private" in served["Cache-Control"]

    client.force_login(UserFactory())  # signed in, not a member
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    # The stored file is not reachable past the view either, not even by a member.
    client.force_login(closed_group.member)
    direct = f"{django_settings.MEDIA_URL}{attachment.file.name}"
    assert direct.startswith("/media/wiki/")
    assert client.get(direct).status_code == 404


def test_wiki_images_are_shown_inline_and_everything_else_is_a_download(
    client, media_root, closed_group
):
    client.force_login(closed_group.member)
    url = reverse("wiki:upload", args=[closed_group.slug])
    image = client.post(url, {"file": upload("schema.svg", PNG)}).json()  # a PNG by content
    assert image["is_image"] and image["name"].endswith(".png")
    shown = client.get(image["url"])
    assert shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"].startswith("inline")
    text = client.post(url, {"file": upload("notities.html", b"Gewone tekst.")}).json()
    assert text["name"].endswith(".txt")
    downloaded = client.get(text["url"])
    assert downloaded["Content-Type"].startswith("text/plain")
    assert downloaded["Content-Disposition"].startswith("attachment")


# ---------------------------------------------------------------------------------------------
# /media/: what Meent serves itself (and the proxy must copy)


@pytest.mark.parametrize(
    ("name", "content", "inline"),
    [
        ("plaatje.png", PNG, True),
        ("foto.jpg", JPEG, True),
        ("tekening.svg", SVG, False),
        ("pagina.html", HTML, False),
        ("pagina.htm", HTML, False),
        ("data.xml", b"<?xml version='1.0'?><x/>", False),
        ("script.js", b"alert(1)", False),
        ("zonder-extensie", HTML, False),
        ("verslag.pdf", b"%PDF-1.7\n", False),
    ],
)
def test_media_shows_only_raster_images_and_sandboxes_everything(
    client, media_root, name, content, inline
):
    # images/: Wagtail's renditions, public (see README "Serving uploaded files").
    (media_root / "images").mkdir()
    (media_root / "images" / name).write_bytes(content)
    response = client.get(f"/media/images/{name}")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    if inline:
        assert response["Content-Type"].startswith("image/")
        assert response["Content-Disposition"].startswith("inline")
    else:
        assert response["Content-Disposition"] == "attachment"


@pytest.mark.parametrize(
    "path",
    [
        "documents/verslag.pdf",
        "wiki/1/0123456789abcdef",
        "Documents/verslag.pdf",
        "blog/../documents/verslag.pdf",
        "./wiki/1/0123456789abcdef",
    ],
)
def test_media_never_serves_files_that_belong_behind_an_access_check(client, media_root, path):
    for private in ("documents/verslag.pdf", "wiki/1/0123456789abcdef"):
        (media_root / private).parent.mkdir(parents=True, exist_ok=True)
        (media_root / private).write_bytes(b"%PDF-1.7\ngeheim")
    assert media.is_private(path)
    assert client.get(f"/media/{path}").status_code == 404


def test_media_refuses_paths_outside_the_media_root(client, media_root):
    assert client.get("/media/../config/settings/base.py").status_code in (400, 404)
    assert client.get("/media/%2e%2e/manage.py").status_code in (400, 404)
    assert client.get("/media/blog/%2e%2e/%2e%2e/manage.py").status_code in (400, 404)


# ---------------------------------------------------------------------------------------------
# Wagtail documents: served by Wagtail's view, which applies collection privacy


def library_document(collection, name, content, title="Document"):
    return get_document_model().objects.create(
        title=title, file=ContentFile(content, name=name), collection=collection
    )


@pytest.fixture
def private_collection():
    collection = Collection.get_first_root_node().add_child(name="Intern")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


def test_a_document_in_a_private_collection_is_not_served_to_anonymous(
    client, media_root, private_collection
):
    document = library_document(private_collection, "intern.pdf", b"%PDF-1.7\ngeheim")
    response = client.get(document.url)
    assert response.status_code == 302  # to sign in
    assert "login" in response["Location"] and "next=" in response["Location"]
    assert b"geheim" not in response.content
    # Nor past the view, through /media/.
    assert client.get(f"/media/{document.file.name}").status_code == 404

    client.force_login(UserFactory())
    served = client.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"%PDF-1.7\ngeheim"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in served["Content-Security-Policy"]


def test_a_group_restricted_document_is_not_served_to_others(client, media_root):
    from django.contrib.auth.models import Group as AuthGroup

    readers = AuthGroup.objects.create(name="Lezers")
    collection = Collection.get_first_root_node().add_child(name="Lezers")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(readers)
    document = library_document(collection, "lezers.pdf", b"%PDF-1.7\nlezers")
    client.logout()
    assert client.get(document.url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(document.url).status_code == 302
    reader = UserFactory()
    reader.groups.add(readers)
    client.force_login(reader)
    assert client.get(document.url).status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "disposition"),
    [
        ("verslag.pdf", b"%PDF-1.7\n", "inline"),
        ("notities.txt", HTML, "attachment"),
        # Not accepted by the admin (WAGTAILDOCS_EXTENSIONS), but should one ever be in the library:
        ("pagina.html", HTML, "attachment"),
        ("tekening.svg", SVG, "attachment"),
    ],
)
def test_wagtail_documents_never_show_html_or_svg_inline(
    client, media_root, name, content, disposition
):
    document = library_document(Collection.get_first_root_node(), name, content)
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(disposition)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_wagtail_document_settings():
    assert django_settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert django_settings.WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT is True
    inline = set(django_settings.WAGTAILDOCS_INLINE_CONTENT_TYPES)
    assert inline <= {"application/pdf"}
    assert not {"html", "htm", "svg", "xml", "js", "xhtml"} & set(
        django_settings.WAGTAILDOCS_EXTENSIONS
    )
    assert "svg" not in django_settings.WAGTAILIMAGES_EXTENSIONS
    assert django_settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS <= uploads.MAX_IMAGE_PIXELS


# ---------------------------------------------------------------------------------------------
# Wagtail's admin: document and image uploads


@pytest.fixture
def editor(client):
    person = UserFactory(is_staff=True, is_superuser=True)
    activate_totp(person)  # staff reach /admin/ only with two-factor sign-in
    client.force_login(person)
    english(client)
    return person


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("verslag.pdf", b"%PDF-1.7\n%%EOF\n", True),
        ("notities.txt", "Gewone tekst, ook met ë.".encode(), True),
        ("tabel.csv", b"naam,aantal\nappels,3\n", True),
        ("tabel.csv", "naam;plaats\nRené;Den Haag\n".encode("cp1252"), True),  # from Excel
        ("notities.txt", "Unicode-tekst: ë".encode("utf-16"), True),
        ("brief.rtf", b"{\\rtf1\\ansi Beste collega,}", True),
        ("brief.rtf", HTML, False),
        ("notities.txt", "<html><body>".encode("utf-16"), False),
        ("notities.txt", b"\xef\xbb\xbf<!doctype html><p>x", False),
        ("verslag.pdf", HTML, False),
        ("notities.txt", HTML, False),
        ("tabel.csv", SVG, False),
        ("brief.docx", PNG, False),
        ("archief.zip", b"PK\x03\x04 not really a zip", False),
        ("pagina.html", HTML, False),  # not an allowed extension at all
    ],
)
def test_admin_document_upload_is_checked_by_content(
    client, media_root, editor, name, content, accepted
):
    Document = get_document_model()
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Stuk",
            "file": upload(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    if accepted:
        assert response.status_code == 302, response.context["form"].errors
        assert Document.objects.count() == 1
    else:
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
        assert Document.objects.count() == 0
        assert stored_files(media_root) == []


def test_admin_document_mismatch_message(client, media_root, editor):
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Stuk",
            "file": upload("verslag.pdf", HTML),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert "The content of this file is not a .pdf file." in errors_of(response, "file")


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("foto.png", PNG, True),
        ("foto.jpg", JPEG, True),
        ("tekening.svg", SVG, False),
        ("foto.png", SVG, False),
        ("foto.gif", PNG, False),  # the format must be what the extension says
        ("bom.png", BOMB, False),
        ("leeg.png", b"", False),
    ],
)
def test_admin_image_upload_is_checked_by_content(
    client, media_root, editor, name, content, accepted
):
    Image_ = get_image_model()
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Beeld",
            "file": upload(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    if accepted:
        assert response.status_code == 302, response.context["form"].errors
        assert Image_.objects.count() == 1
    else:
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
        assert Image_.objects.count() == 0
        assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("content", "accepted"),
    [
        ("naam;plaats\nJosé;Zaltbommel\ncafé;één\n".encode("cp1252"), True),  # a Dutch CSV
        ("\ufeffnaam\tplaats\nJosé\tÉcole\n".encode("utf-16"), True),  # "Unicode text"
        ("<script>alert(1)</script>".encode("utf-16"), False),  # markup, also in UTF-16
        (b"caf\xe9 <html><body>hoi</body></html>", False),  # markup in Windows-1252
        (b"\xe9\x01\x02\x03\x04binary\x05\x06", False),  # control bytes: not text
        (b"\xe9\x00 binary with a NUL", False),
    ],
)
def test_text_in_the_encodings_spreadsheets_write_is_text(content, accepted):
    kind = uploads.identify(io.BytesIO(content))
    assert (kind is not None and kind.content_type == "text/plain") is accepted
