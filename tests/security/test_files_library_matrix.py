"""The group file library's access matrix: role x kind of group x folder reach x state x surface.

The world: four groups (an open listed one, a members-only one, a hidden one, and an open one
whose files tab is switched off after its files were added), each with folders of every reach
(for everyone, for who is signed in, for members; a members folder inside an open one and a
folder that inherits inside an open one) and a PDF in each, plus, in the open folder, a file in
the trash and a file hidden by a moderator. A group on the second community has an open file.

What each role may see is written down here from the world's own description (``expected``),
not asked of the policy: members (owner, admin, member) see every file that is not in the trash,
hidden, or in a group whose tab is off; others only files of the open listed group whose
folder's reach lets them (a suspended person is treated as anonymous). Then every surface is
asked: the folder's page (and the file's link in it), the file's page, the download of the
current version, the stable address of version 1, the preview, the folder's ZIP (status, and
each entry), the editors' pick.json, search, the group's activity stream and what is new on the
start page, and the policy itself (``can_view`` and ``visible_to``). The other community's file
is asked on this community's host: it leads to its own host (or is not found), never shown here.
Every probe is counted, per surface; the total is asserted so that a surface that stops being
probed fails the test.
"""

import io
import zipfile

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from activity import services as activity_services
from files import download_views, services
from files.models import Folder, GroupFile
from meent import access
from search.backends import SearchQuery, get_search_backend
from search.indexing import drain_outbox
from tests.factories import GroupFactory, MembershipFactory, UserFactory, make_moderator
from tests.files.library import pdf, put
from tests.security.matrix import Probes

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "owner", "admin", "moderator", "suspended"]
MEMBERS = {"member", "owner", "admin"}
GROUP_KINDS = {
    "open": {"visibility": "listed", "content_default": "open"},
    "closed": {"visibility": "listed", "content_default": "members"},
    "hidden": {"visibility": "hidden", "content_default": "open"},
    "files-off": {"visibility": "listed", "content_default": "open"},
}
# (name, parent, visibility, the reach it has): nested folders take the narrowest on the way.
FOLDERS = [
    ("Openbaar", None, "public", "public"),
    ("Ingelogd", None, "logged_in", "logged_in"),
    ("Leden", None, "members", "members"),
    ("Binnen", "Openbaar", "members", "members"),
    ("Verder", "Openbaar", "inherit", "public"),
]
SURFACES = {
    "folder",
    "list",
    "file page",
    "download",
    "version",
    "preview",
    "zip",
    "pick",
    "search",
    "stream",
    "policy",
    "community",
}
OTHER_HOST = "oost.testserver"
# The count of probes of this world: asserted, so a surface that stops being probed shows.
EXPECTED_PROBES = 3621


def expected(role, group_kind, reach, state) -> bool:
    if state != "normal" or group_kind == "files-off":
        return False
    if role in MEMBERS:
        return True
    if group_kind != "open":
        return False
    if reach == "public":
        return True
    return reach == "logged_in" and role in ("outsider", "moderator")


def folder_expected(role, group_kind, reach) -> bool:
    return expected(role, group_kind, reach, "normal")


@pytest.fixture
def library_world(db, settings):
    settings.ALLOWED_HOSTS = ["testserver", OTHER_HOST]
    people = {
        "outsider": UserFactory(first_name="Otto"),
        "member": UserFactory(first_name="Mees"),
        "owner": UserFactory(first_name="Olga"),
        "admin": UserFactory(first_name="Ad"),
        "moderator": UserFactory(first_name="Mo", is_staff=True),
        "suspended": UserFactory(first_name="Sus"),
    }
    make_moderator(people["moderator"])
    owner = people["owner"]
    files, folders = [], []  # (file, group kind, reach, state), (folder, group kind, reach)
    groups = {}
    for kind, fields in GROUP_KINDS.items():
        group = GroupFactory(slug=f"bieb-{kind}", name=f"Bieb {kind}", **fields)
        groups[kind] = group
        for role, person in people.items():
            if role in MEMBERS or role == "suspended":
                MembershipFactory(
                    group=group, user=person, role=role if role != "suspended" else "member"
                )
        access.forget_memberships(owner)
        root = services.root_folder(group)
        made = {None: root}
        folders.append((root, kind, "public"))
        files.append(
            (
                put(owner, root, f"Wortel {kind}.pdf", pdf(f"bibmerk wortel {kind}")),
                kind,
                "public",
                "normal",
            )
        )
        for name, parent, visibility, reach in FOLDERS:
            folder = services.create_folder(owner, made[parent], name, visibility)
            assert folder.reach == reach, (name, folder.reach)
            made[name] = folder
            folders.append((folder, kind, reach))
            file = put(owner, folder, f"{name} {kind}.pdf", pdf(f"bibmerk {name} {kind}"))
            files.append((file, kind, reach, "normal"))
        trashed = put(owner, made["Openbaar"], f"Prullenbak {kind}.pdf", pdf(f"bibmerk weg {kind}"))
        services.trash_file(owner, trashed)
        files.append((trashed, kind, "public", "trashed"))
        hidden = put(
            owner, made["Openbaar"], f"Verborgen {kind}.pdf", pdf(f"bibmerk verborgen {kind}")
        )
        services.hide_file(hidden)
        files.append((hidden, kind, "public", "hidden"))
    off = groups["files-off"]
    off.files_enabled = False
    off.save()
    people["suspended"].suspended_until = timezone.now() + timezone.timedelta(days=3)
    people["suspended"].save()
    # The other community, with an open group and a file for everyone.
    other = Site.objects.create(
        hostname=OTHER_HOST, port=80, root_page=Page.get_first_root_node(), site_name="Oost"
    )
    oost = GroupFactory(slug="bieb-oost", name="Bieb Oost", site=other, content_default="open")
    MembershipFactory(group=oost, user=owner, role="owner")
    access.forget_memberships(owner)
    oost_folder = services.create_folder(owner, services.root_folder(oost), "Openbaar", "public")
    elsewhere = put(owner, oost_folder, "Oost.pdf", pdf("bibmerk oost"))
    for person in people.values():
        access.forget_memberships(person)
    drain_outbox()
    files = [(GroupFile.objects.get(pk=f.pk), k, r, s) for f, k, r, s in files]
    folders = [(Folder.objects.get(pk=f.pk), k, r) for f, k, r in folders]
    return people, groups, files, folders, elsewhere


def test_every_library_surface_shows_exactly_what_each_role_may_see(library_world, monkeypatch):
    monkeypatch.setattr(download_views, "ZIPS_PER_HOUR", 10**6)
    people, groups, files, folders, elsewhere = library_world
    main_site = Site.objects.get(is_default_site=True)
    probe = Probes()

    for role in ROLES:
        user = AnonymousUser() if role == "anonymous" else people[role]
        client = Client()
        if role != "anonymous":
            client.force_login(user)
        answers = {}

        def get(url, client=client, answers=answers, **extra):
            key = (url, tuple(sorted(extra.items())))
            if key not in answers:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE="en", **extra)
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                answers[key] = (response.status_code, body, response)
            return answers[key]

        def refused(status, what, role=role):
            assert status in (302, 403, 404), (role, what, status)

        # --- Folders: their page, and each file's link in its folder's page; their ZIP --------
        zips = {}
        for folder, kind, reach in folders:
            url = folder.get_absolute_url()
            status, _body, _response = get(url)
            if status != 200:
                refused(status, url)
            probe("folder", role, url, folder_expected(role, kind, reach), status == 200)
            status, body, _response = get(reverse("files:zip", args=[folder.group.slug, folder.pk]))
            if status == 200:
                with zipfile.ZipFile(io.BytesIO(body)) as archive:
                    zips[folder.pk] = {name.rsplit("/", 1)[-1] for name in archive.namelist()}
            else:
                refused(status, f"zip {folder}")
            probe("zip", role, f"zip {folder}", folder_expected(role, kind, reach), status == 200)
        for file, kind, reach, state in files:
            should = expected(role, kind, reach, state)
            what = f"{file.name} ({state})"
            status, body, _response = get(file.folder.get_absolute_url())
            shown = status == 200 and f'href="{file.get_absolute_url()}"' in body.decode()
            probe("list", role, what, should, shown)
            # Every ZIP of a folder above the file (it takes its subfolders along).
            for folder_id in [*file.folder.ancestor_ids(), file.folder_id]:
                probe(
                    "zip",
                    role,
                    f"{what} in zip {folder_id}",
                    should,
                    file.name in zips.get(folder_id, ()),
                )

            # --- The file's own addresses ------------------------------------------------------
            status, _body, _response = get(file.get_absolute_url())
            if status != 200:
                refused(status, what)
            probe("file page", role, what, should, status == 200)
            stored = file.versions.get(number=1).stored.open("rb").read()
            slug = file.group.slug
            for surface, url in (
                ("download", reverse("files:download", args=[slug, file.pk, file.name])),
                ("version", reverse("files:version", args=[slug, file.pk, 1, file.name])),
                ("preview", reverse("files:preview", args=[slug, file.pk, 1])),
            ):
                status, body, _response = get(url)
                if status != 200:
                    refused(status, f"{surface} {what}")
                probe(surface, role, what, should, status == 200 and body == stored)

        # --- The editors' picker, per group -------------------------------------------------
        picked = {}
        for kind, group in groups.items():
            status, body, _response = get(reverse("files:pick", args=[group.slug]))
            if status == 200:
                import json

                picked[kind] = {row["id"] for row in json.loads(body)["files"]}
            else:
                refused(status, f"pick {kind}")
        for file, kind, reach, state in files:
            should = expected(role, kind, reach, state)
            probe("pick", role, file.name, should, file.pk in picked.get(kind, set()))

        # --- Search ----------------------------------------------------------------------------
        results = get_search_backend().search(
            SearchQuery(text="bibmerk", user=user, types=("file",), per_page=100)
        )
        found = {hit.object_id for hit in results.hits}
        for file, kind, reach, state in files:
            probe("search", role, file.name, expected(role, kind, reach, state), file.pk in found)

        # --- The group's activity stream, and what is new on the start page -------------------
        streams = {}
        for kind, group in groups.items():
            status, body, _response = get(f"/groups/{group.slug}/activity/")
            streams[kind] = body.decode() if status == 200 else ""
        news = set()
        if access.is_active_person(user) and role != "owner":
            news = {
                e.target_id
                for e in activity_services.news_entries(
                    user,
                    None,
                    group_ids={g.pk for g in groups.values()},
                    people_ids=[people["owner"].pk],
                )
                if e.kind == "files.uploaded"
            }
        for file, kind, reach, state in files:
            should = expected(role, kind, reach, state)
            shown = f'href="{file.get_absolute_url()}"' in streams[kind]
            probe("stream", role, file.name, should, shown)
            if access.is_active_person(user) and role != "owner":
                probe("stream", role, f"news {file.name}", should, file.pk in news)

        # --- The policy itself ---------------------------------------------------------------
        visible_files = set(GroupFile.objects.visible_to(user).values_list("pk", flat=True))
        visible_folders = set(Folder.objects.visible_to(user).values_list("pk", flat=True))
        for file, kind, reach, state in files:
            should = expected(role, kind, reach, state)
            probe("policy", role, file.name, should, access.can_view(user, file))
            probe("policy", role, file.name, should, file.pk in visible_files)
        for folder, kind, reach in folders:
            should = folder_expected(role, kind, reach)
            probe("policy", role, str(folder), should, access.can_view(user, folder))
            probe("policy", role, str(folder), should, folder.pk in visible_folders)

        # --- The other community's file, asked on this community's host ----------------------
        slug = elsewhere.group.slug
        for url in (
            elsewhere.get_absolute_url(),
            elsewhere.folder.get_absolute_url(),
            reverse("files:download", args=[slug, elsewhere.pk, elsewhere.name]),
            reverse("files:version", args=[slug, elsewhere.pk, 1, elsewhere.name]),
            reverse("files:preview", args=[slug, elsewhere.pk, 1]),
            reverse("files:zip", args=[slug, elsewhere.folder_id]),
            reverse("files:pick", args=[slug]),
        ):
            status, _body, response = get(url)
            led_away = status == 302 and response["Location"].startswith(f"http://{OTHER_HOST}/")
            assert led_away or status == 404, (role, url, status)
            probe("community", role, url, False, status == 200)
            status, _body, _response = get(url, HTTP_HOST=OTHER_HOST)
            probe("community", role, f"{url} on its host", True, status == 200)
        here = get_search_backend().search(
            SearchQuery(text="bibmerk oost", user=user, site_id=main_site.pk, types=("file",))
        )
        probe(
            "community",
            role,
            "search here",
            False,
            elsewhere.pk in {h.object_id for h in here.hits},
        )

    probe.check("files library matrix", SURFACES, EXPECTED_PROBES)
