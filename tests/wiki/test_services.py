"""The wiki's rules, through its service layer: revisions, conflicts, the tree, watching."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from notifications.models import Notification
from tests.security.html_safety import assert_plain_text, assert_safe_html
from tests.security.xss_corpus import PAYLOADS
from wiki import services
from wiki.models import WikiPage, WikiRevision, WikiWatch

pytestmark = pytest.mark.django_db


def create(group, title, role="member", **kwargs):
    return services.create_page(group.people[role], group, title=title, **kwargs)


def test_creating_a_page_writes_revision_one_and_follows_it(wiki_group):
    page = create(wiki_group, "Werkafspraken", body="<p>Wij <b>spreken</b> af.</p>")
    assert (page.path, page.slug, page.revision_number, page.position) == (
        "werkafspraken",
        "werkafspraken",
        1,
        1,
    )
    revision = page.revisions.get()
    assert (revision.number, revision.body, revision.author) == (
        1,
        "<p>Wij <b>spreken</b> af.</p>",
        wiki_group.people["member"],
    )
    assert WikiWatch.objects.filter(page=page, user=wiki_group.people["member"]).exists()
    second = create(wiki_group, "Agenda")
    assert second.position == 2


def test_subpages_nest_in_the_path(wiki_group):
    parent = create(wiki_group, "Projecten")
    child = create(wiki_group, "Open source", parent=parent)
    grandchild = create(wiki_group, "Licenties", parent=child)
    assert grandchild.path == "projecten/open-source/licenties"
    assert grandchild.ancestor_paths == ["projecten", "projecten/open-source"]


def test_script_in_a_body_is_removed_on_save(wiki_group):
    page = create(wiki_group, "Veilig", body='<p onclick="x()">Hoi</p><script>alert(1)</script>')
    page.refresh_from_db()
    assert page.body == "<p>Hoi</p>alert(1)"
    assert page.revisions.get().body == page.body


def test_every_xss_payload_is_stored_safely_through_the_save_path(wiki_group):
    page = create(wiki_group, "Corpus")
    failures = []
    for index, payload in enumerate(PAYLOADS):
        services.save_page(
            wiki_group.people["member"],
            page,
            base_revision=page.revision_number,
            title=f"Corpus {index}",
            body=payload,
        )
        page.refresh_from_db()
        try:
            assert_safe_html(page.body)
        except AssertionError as error:
            failures.append((index, payload, str(error)))
    assert failures == []
    assert page.revision_number > len(PAYLOADS) / 2  # the corpus really went through


def test_every_xss_payload_in_a_title_is_stored_as_plain_text(wiki_group):
    failures = []
    for index, payload in enumerate(PAYLOADS):
        try:
            page = create(wiki_group, f"{index} {payload}"[:200])
        except services.WikiError:
            continue  # refused (empty after cleaning, or [[ ]] in it): nothing stored
        try:
            assert_plain_text(page.title)
        except AssertionError as error:
            failures.append((index, payload, str(error)))
    assert failures == []


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "title"),
        ("   ", "title"),
        ("x" * 201, "200"),
        ("Zie [[Andere pagina]]", "[["),
    ],
)
def test_bad_titles_are_refused_and_nothing_is_saved(wiki_group, title, message):
    with translation.override("en"), pytest.raises(services.WikiError) as caught:
        create(wiki_group, title)
    assert message in caught.value.message
    assert caught.value.field == "title"
    assert not WikiPage.objects.exists()
    assert not WikiRevision.objects.exists()


def test_titles_are_unique_per_wiki_ignoring_case_and_spaces(wiki_group):
    create(wiki_group, "Werk afspraken")
    with pytest.raises(services.WikiError) as caught:
        create(wiki_group, "  werk   AFSPRAKEN ")
    assert caught.value.field == "title"
    assert WikiPage.objects.count() == 1


def test_siblings_cannot_share_a_web_address_but_cousins_can(wiki_group):
    first = create(wiki_group, "Notities 2025", slug="notities")
    with pytest.raises(services.WikiError) as caught:
        create(wiki_group, "Notities 2026", slug="notities")
    assert caught.value.field == "slug"
    elsewhere = create(wiki_group, "Notities 2026", slug="notities", parent=first)
    assert elsewhere.path == "notities/notities"


def test_a_reserved_web_address_is_refused(wiki_group):
    with pytest.raises(services.WikiError):
        create(wiki_group, "Streepje", slug="-")


def test_outsiders_and_archived_groups_cannot_create(wiki_group):
    with pytest.raises(services.WikiError) as caught:
        create(wiki_group, "Indringer", role="outsider")
    assert caught.value.status == 403
    wiki_group.is_archived = True
    wiki_group.save()
    with pytest.raises(services.WikiError) as caught:
        create(wiki_group, "Te laat")
    assert caught.value.status == 409
    assert not WikiPage.objects.exists()


def test_a_closed_group_clamps_visibility_to_members(db):
    from tests.factories import GroupFactory, MembershipFactory, UserFactory

    group = GroupFactory(content_default="members")
    person = UserFactory()
    MembershipFactory(group=group, user=person, role="member")
    page = services.create_page(person, group, title="Geheim", visibility="public")
    assert page.visibility == WikiPage.Visibility.GROUP


def test_saving_adds_a_revision_and_keeps_history(wiki_group):
    page = create(wiki_group, "Planning", body="<p>Eerst dit.</p>")
    editor = wiki_group.people["admin"]
    revision = services.save_page(
        editor,
        page,
        base_revision=1,
        title="Planning",
        body="<p>Dan dat.</p>",
        summary="Bijgewerkt",
    )
    page.refresh_from_db()
    assert (revision.number, revision.summary, page.revision_number) == (2, "Bijgewerkt", 2)
    assert page.body == "<p>Dan dat.</p>"
    assert page.updated_by == editor
    assert list(page.revisions.values_list("number", "body")) == [
        (2, "<p>Dan dat.</p>"),
        (1, "<p>Eerst dit.</p>"),
    ]


def test_saving_without_a_change_writes_no_revision(wiki_group):
    page = create(wiki_group, "Stil", body="<p>Zo.</p>")
    result = services.save_page(
        wiki_group.people["member"], page, base_revision=1, title="Stil", body="<p>Zo.</p>"
    )
    assert result is None
    assert page.revisions.count() == 1


def test_a_save_based_on_an_old_revision_is_refused_and_changes_nothing(wiki_group):
    page = create(wiki_group, "Samen", body="<p>Begin.</p>")
    services.save_page(
        wiki_group.people["admin"], page, base_revision=1, title="Samen", body="<p>Admin.</p>"
    )
    with pytest.raises(services.WikiConflict) as caught:
        services.save_page(
            wiki_group.people["member"],
            page,
            base_revision=1,
            title="Samen (lid)",
            body="<p>Lid.</p>",
        )
    assert caught.value.status == 409
    assert caught.value.page.revision_number == 2
    page.refresh_from_db()
    assert (page.title, page.body, page.revision_number) == ("Samen", "<p>Admin.</p>", 2)
    assert page.revisions.count() == 2


def test_renaming_to_a_taken_title_is_refused(wiki_group):
    create(wiki_group, "Een")
    page = create(wiki_group, "Twee")
    with pytest.raises(services.WikiError):
        services.save_page(
            wiki_group.people["member"], page, base_revision=1, title="EEN", body="<p>x</p>"
        )
    page.refresh_from_db()
    assert (page.title, page.revision_number) == ("Twee", 1)


def test_pages_for_admins_only_refuse_members(wiki_group):
    page = create(wiki_group, "Beleid", role="admin", edit_policy="admins")
    with pytest.raises(services.WikiError) as caught:
        services.save_page(
            wiki_group.people["member"], page, base_revision=1, title="Beleid", body="<p>x</p>"
        )
    assert caught.value.status == 403
    assert services.save_page(
        wiki_group.people["owner"], page, base_revision=1, title="Beleid", body="<p>x</p>"
    )


def test_only_managers_change_who_may_edit(wiki_group):
    page = create(wiki_group, "Open")
    services.save_page(
        wiki_group.people["member"],
        page,
        base_revision=1,
        title="Open",
        body="<p>a</p>",
        edit_policy="admins",
    )
    page.refresh_from_db()
    assert page.edit_policy == "members"
    services.save_page(
        wiki_group.people["admin"],
        page,
        base_revision=2,
        title="Open",
        body="<p>a</p>",
        edit_policy="admins",
    )
    page.refresh_from_db()
    assert page.edit_policy == "admins"


def test_restoring_makes_a_new_revision_with_the_old_text(wiki_group):
    page = create(wiki_group, "Terug", body="<p>Een</p>")
    member = wiki_group.people["member"]
    services.save_page(member, page, base_revision=1, title="Terug", body="<p>Twee</p>")
    services.save_page(member, page, base_revision=2, title="Terug!", body="<p>Drie</p>")
    revision = services.restore_revision(member, page, 1)
    page.refresh_from_db()
    assert (revision.number, revision.restored_from) == (4, 1)
    assert (page.title, page.body, page.revision_number) == ("Terug", "<p>Een</p>", 4)
    assert page.revisions.count() == 4
    with pytest.raises(services.WikiError):
        services.restore_revision(member, page, 4)  # already current
    with pytest.raises(services.WikiError) as caught:
        services.restore_revision(member, page, 99)
    assert caught.value.status == 404


def test_moving_a_page_takes_its_subtree_along(wiki_group):
    a = create(wiki_group, "A")
    b = create(wiki_group, "B")
    child = create(wiki_group, "Kind", parent=a)
    grandchild = create(wiki_group, "Kleinkind", parent=child)
    services.move_page(wiki_group.people["member"], child, parent=b, index=0)
    child.refresh_from_db()
    grandchild.refresh_from_db()
    assert (child.path, grandchild.path) == ("b/kind", "b/kind/kleinkind")
    assert child.parent == b


def test_a_page_cannot_move_under_itself_or_its_descendants(wiki_group):
    a = create(wiki_group, "A")
    child = create(wiki_group, "Kind", parent=a)
    grandchild = create(wiki_group, "Kleinkind", parent=child)
    member = wiki_group.people["member"]
    for target in (a, child, grandchild):
        with pytest.raises(services.WikiError) as caught:
            services.move_page(member, a, parent=target, index=0)
        assert caught.value.field == "parent"
    assert list(WikiPage.objects.order_by("pk").values_list("path", flat=True)) == [
        "a",
        "a/kind",
        "a/kind/kleinkind",
    ]


def test_moving_next_to_a_sibling_with_the_same_address_is_refused(wiki_group):
    a = create(wiki_group, "A")
    create(wiki_group, "Notulen", parent=a)
    loose = create(wiki_group, "Notulen oud", slug="notulen")
    with pytest.raises(services.WikiError) as caught:
        services.move_page(wiki_group.people["member"], loose, parent=a, index=0)
    assert caught.value.field == "slug"
    loose.refresh_from_db()
    assert (loose.path, loose.parent) == ("notulen", None)
    moved = services.move_page(
        wiki_group.people["member"], loose, parent=a, index=0, slug="notulen-oud"
    )
    assert moved.path == "a/notulen-oud"


def test_reordering_siblings(wiki_group):
    pages = [create(wiki_group, title) for title in ("Een", "Twee", "Drie")]
    member = wiki_group.people["member"]
    services.shift_page(member, pages[2], -1)
    order = list(WikiPage.objects.filter(parent=None).values_list("title", flat=True))
    assert order == ["Een", "Drie", "Twee"]
    with pytest.raises(services.WikiError):
        services.shift_page(member, WikiPage.objects.get(title="Een"), -1)
    services.move_page(member, pages[0], parent=None, index=99)
    order = list(WikiPage.objects.filter(parent=None).values_list("title", "position"))
    assert order == [("Drie", 1), ("Twee", 2), ("Een", 3)]


def test_watchers_are_told_about_changes_but_not_the_author(
    wiki_group, django_capture_on_commit_callbacks
):
    member, admin = wiki_group.people["member"], wiki_group.people["admin"]
    with django_capture_on_commit_callbacks(execute=True):
        page = create(wiki_group, "Volgen")
    services.set_watching(admin, page, True)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_page(member, page, base_revision=1, title="Volgen", body="<p>Nieuw</p>")
    assert not Notification.objects.filter(recipient=member).exists()
    notification = Notification.objects.get(recipient=admin)
    assert notification.kind == "wiki"
    assert "Volgen" in notification.display_text
    assert notification.url == page.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        services.save_page(admin, page, base_revision=2, title="Volgen", body="<p>Terug</p>")
    assert Notification.objects.filter(recipient=member).count() == 1


def test_someone_who_lost_access_hears_nothing(db, django_capture_on_commit_callbacks):
    from groups.models import Membership
    from tests.factories import GroupFactory, MembershipFactory, UserFactory

    group = GroupFactory(content_default="members")
    author, leaver = UserFactory(), UserFactory()
    MembershipFactory(group=group, user=author, role="member")
    MembershipFactory(group=group, user=leaver, role="member")
    page = services.create_page(author, group, title="Intern")
    services.set_watching(leaver, page, True)
    Membership.objects.filter(user=leaver).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.save_page(author, page, base_revision=1, title="Intern", body="<p>Nieuw</p>")
    assert not Notification.objects.filter(recipient=leaver).exists()


def test_watching_needs_access(wiki_group):
    page = create(wiki_group, "Alleen leden", visibility="group")
    with pytest.raises(services.WikiError):
        services.set_watching(wiki_group.people["outsider"], page, True)


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "is_image"),
    [
        ("logo.png", PNG, "image/png", True),
        ("verslag.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf", False),
        ("notities.txt", "Dit is tekst, ook met ë.".encode(), "text/plain", False),
    ],
)
def test_accepted_uploads(wiki_group, settings, tmp_path, name, content, content_type, is_image):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(name, content)
    attachment = services.add_attachment(wiki_group.people["member"], wiki_group, upload)
    assert (attachment.content_type, attachment.is_image) == (content_type, is_image)
    assert attachment.name.endswith("." + name.rsplit(".", 1)[1])


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plaatje.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'),
        ("pagina.html", b"<!doctype html><script>x()</script>"),
        ("vermomd.png", b"<html><body onload=x()>"),
        ("leeg.txt", b""),
        ("binair.bin", b"\x00\x01\x02\x03" * 10),
    ],
)
def test_refused_uploads(wiki_group, settings, tmp_path, name, content):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(services.WikiError) as caught:
        services.add_attachment(
            wiki_group.people["member"], wiki_group, SimpleUploadedFile(name, content)
        )
    assert caught.value.status == 400
    assert not list(tmp_path.rglob("*.*"))


def test_uploads_over_the_limit_are_refused(wiki_group, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEENT_WIKI_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(services.WikiError) as caught:
        services.add_attachment(
            wiki_group.people["member"], wiki_group, SimpleUploadedFile("a.txt", b"a" * 101)
        )
    assert "limit" in caught.value.message or "limiet" in caught.value.message


def test_deleting_pages_is_for_managers_and_leaves_no_orphans(wiki_group):
    top = create(wiki_group, "Boven")
    child = create(wiki_group, "Onder", parent=top)
    sibling = create(wiki_group, "Naast")
    with pytest.raises(services.WikiError) as caught:
        services.delete_page(wiki_group.people["member"], child)
    assert caught.value.status == 403
    with pytest.raises(services.WikiError) as caught:
        services.delete_page(wiki_group.people["admin"], top)
    assert caught.value.status == 409
    services.delete_page(wiki_group.people["admin"], child)
    services.delete_page(wiki_group.people["owner"], top)
    assert list(WikiPage.objects.values_list("title", "position")) == [("Naast", 1)]
    assert not WikiRevision.objects.exclude(page=sibling).exists()


def test_a_page_tells_the_people_it_newly_mentions_once(
    wiki_group, django_capture_on_commit_callbacks
):
    from meent.mentions.models import Mention

    member, admin, owner = (wiki_group.people[role] for role in ("member", "admin", "owner"))
    link = (
        f'<a class="mention" data-person="{admin.pk}" href="{admin.get_absolute_url()}">'
        f"@{admin.display_name}</a>"
    )

    def told(person):
        return Notification.objects.filter(recipient=person, message="wiki.page_mention").count()

    with django_capture_on_commit_callbacks(execute=True):
        page = create(wiki_group, "Agenda", body=f"<p>Vraag {link}</p>")
    assert (told(admin), told(owner)) == (1, 0)
    notification = Notification.objects.get(recipient=admin, message="wiki.page_mention")
    assert (notification.kind, notification.url) == ("mention", page.get_absolute_url())
    with translation.override("en"):
        assert notification.display_text == (
            "Lies Lid mentioned you in the wiki page “Agenda” in Kennisbank"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.save_page(
            member, page, base_revision=1, title="Agenda", body=f"<p>Vraag {link} en @Eva Eigen</p>"
        )
    assert (told(admin), told(owner)) == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_page(
            member, page, base_revision=2, title="Agenda", body=f"<p>Vraag {link} of @Eva Eigen</p>"
        )
    assert (told(admin), told(owner)) == (1, 1)
    page.refresh_from_db()
    # Someone who may not read the page (a members-only page, an outsider) is never told.
    outsider = wiki_group.people["outsider"]
    with django_capture_on_commit_callbacks(execute=True):
        secret = create(
            wiki_group, "Geheim", body="<p>@Otto Buiten</p>", visibility=WikiPage.Visibility.GROUP
        )
    assert Notification.objects.filter(recipient=outsider).count() == 0
    assert Mention.objects.filter(object_id=secret.pk, person=outsider).exists()
    services.delete_page(owner, secret)
    assert not Mention.objects.filter(person=outsider).exists()


def test_the_writer_hears_when_a_wiki_mention_reaches_nobody_or_may_not_read(client, wiki_group):
    from django.urls import reverse

    member = wiki_group.people["member"]
    outsider = wiki_group.people["outsider"]
    client.force_login(member)
    response = client.post(
        reverse("wiki:create", args=[wiki_group.slug]),
        {
            "title": "Leden",
            "body": (
                f'<p><a class="mention" data-person="{outsider.pk}" href="/people/{outsider.pk}/">'
                "@Otto Buiten</a> en @Nemo Niemand</p>"
            ),
            "summary": "",
            "slug": "",
            "parent": "",
            "visibility": "group",
        },
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    told = [str(message) for message in response.context["messages"]]
    assert any("@Nemo" in text and "nobody was told" in text for text in told), told
    assert any("Otto Buiten may not read this" in text for text in told), told
    page = WikiPage.objects.get(title="Leden")
    edit = client.get(reverse("wiki:edit", args=[wiki_group.slug, page.pk]))
    assert 'data-mentions-url="/people/mention-suggestions/"' in edit.content.decode()
