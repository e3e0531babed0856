"""Group files in search: found by a word inside the document (a real PDF, read as the
background task reads it), by description and tags, with a snippet from the text; gone while in
the trash, hidden, or with the files tab off; a folder's reach followed by the files below it
(the services' ``reindex_folder_subtree``); both backends."""

from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser

from files import search as file_search
from files import services
from files.models import GroupFile
from meent import access
from search import backends
from search.backends import SearchQuery, get_search_backend
from search.indexing import drain_outbox
from search.models import OutboxItem
from tests.factories import GroupFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.files import documents
from tests.files.library import folder, pdf, put

pytestmark = pytest.mark.django_db

WORD = "waterkering"


@pytest.fixture
def library(db):
    home = OrganisationFactory(name="Waterschap Meent")
    owner = UserFactory(first_name="Olga", organisation=home)
    member = UserFactory(first_name="Mees", organisation=OrganisationFactory())
    outsider = UserFactory(first_name="Otto")
    group = GroupFactory(slug="dijken", name="Dijken", visibility="listed", content_default="open")
    MembershipFactory(group=group, user=owner, role="owner")
    MembershipFactory(group=group, user=member, role="member")
    root = services.root_folder(group)
    public = folder(owner, root, "Openbaar", "public")
    return {
        "home": home,
        "owner": owner,
        "member": member,
        "outsider": outsider,
        "group": group,
        "root": root,
        "public": public,
    }


def find(user, text, **filters):
    drain_outbox()
    assert OutboxItem.objects.count() == 0
    results = get_search_backend().search(
        SearchQuery(text=text, user=user, types=("file",), per_page=50, **filters)
    )
    return {hit.object_id: hit for hit in results.hits}


def test_a_pdf_is_found_by_a_word_inside_it_with_a_snippet_from_its_text(library):
    file = put(
        library["owner"],
        library["public"],
        "Kwartaalverslag.pdf",
        pdf(f"De {WORD} bij Meent is in 2026 versterkt.", "Tweede bladzijde."),
    )
    assert file.text_status == GroupFile.TextStatus.DONE and WORD in file.text
    hits = find(AnonymousUser(), WORD)
    assert list(hits) == [file.pk]
    hit = hits[file.pk]
    assert hit.type == "file"
    assert hit.title == "Kwartaalverslag.pdf"
    assert hit.url == file.get_absolute_url()
    assert f"<mark>{WORD}</mark>" in hit.snippet


@pytest.mark.parametrize(
    "name, data",
    [
        ("Notitie.docx", documents.make_docx(f"Over de {WORD} en het peil.")),
        ("Notitie.odt", documents.make_odt(f"Over de {WORD} en het peil.")),
        ("Peilen.csv", documents.make_text(f"plaats;{WORD}\nMeent;3\n")),
    ],
    ids=["docx", "odt", "csv"],
)
def test_office_and_text_documents_are_found_by_their_words(library, name, data):
    file = put(library["owner"], library["public"], name, data)
    assert list(find(library["outsider"], WORD)) == [file.pk]


def test_name_description_and_tags_are_found_and_filters_narrow(library):
    owner, member = library["owner"], library["member"]
    described = put(
        owner,
        library["public"],
        "Kaart.png",
        documents_png(),
        description=f"Een kaart van de {WORD}.",
        tags="kaarten, dijkversterking",
    )
    by_member = put(member, library["public"], f"{WORD}-planning.txt", b"Planning\n")
    assert set(find(owner, WORD)) == {described.pk, by_member.pk}
    assert set(find(owner, "dijkversterking")) == {described.pk}
    # The filters of every type: author, organisation, group.
    assert set(find(owner, WORD, author_id=member.pk)) == {by_member.pk}
    assert set(find(owner, WORD, organisation_id=library["home"].pk)) == {described.pk}
    other = GroupFactory(slug="elders", content_default="open")
    assert set(find(owner, WORD, group_id=library["group"].pk)) == {described.pk, by_member.pk}
    assert find(owner, WORD, group_id=other.pk) == {}


def documents_png() -> bytes:
    """A small real PNG (Pillow)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def test_trash_hiding_and_the_files_tab_take_a_file_out_of_search_and_back(library):
    owner, member = library["owner"], library["member"]
    file = put(owner, library["public"], "Verslag.pdf", pdf(f"Over de {WORD}."))
    assert list(find(member, WORD)) == [file.pk]

    services.trash_file(owner, file)
    assert find(member, WORD) == {}
    services.restore_file(owner, GroupFile.objects.get(pk=file.pk))
    assert list(find(member, WORD)) == [file.pk]

    services.hide_file(file)
    assert find(member, WORD) == {}
    assert find(owner, WORD) == {}  # hidden from its own uploader too
    services.unhide_file(file)
    assert list(find(member, WORD)) == [file.pk]

    group = library["group"]
    group.files_enabled = False
    group.save()  # as the settings form: part_switched re-indexes the group's files
    assert find(owner, WORD) == {}
    group.files_enabled = True
    group.save()
    assert list(find(owner, WORD)) == [file.pk]


def test_a_folder_made_members_only_takes_the_files_below_it_along(library):
    owner = library["owner"]
    nested = folder(owner, library["public"], "Binnen")
    deeper = folder(owner, nested, "Dieper")
    file = put(owner, deeper, "Diep.pdf", pdf(f"Diep in de {WORD}."))
    assert list(find(AnonymousUser(), WORD)) == [file.pk]
    services.set_folder_visibility(owner, nested, "members")
    assert find(AnonymousUser(), WORD) == {}
    assert find(library["outsider"], WORD) == {}
    assert list(find(library["member"], WORD)) == [file.pk]
    # Moved back to where everyone may see it: found again.
    services.move_folder(owner, deeper, library["public"])
    assert list(find(AnonymousUser(), WORD)) == [file.pk]


def test_a_members_only_group_keeps_its_files_to_its_members(library):
    owner = library["owner"]
    closed = GroupFactory(slug="binnenkring", content_default="members")
    MembershipFactory(group=closed, user=owner, role="owner")
    access.forget_memberships(owner)
    public = folder(owner, services.root_folder(closed), "Voor iedereen", "public")
    file = put(owner, public, "Besloten.pdf", pdf(f"Besloten {WORD}."))
    assert find(AnonymousUser(), WORD) == {}
    assert find(library["member"], WORD) == {}
    assert list(find(owner, WORD)) == [file.pk]


def test_new_words_are_found_after_reindex(library):
    owner = library["owner"]
    file = put(owner, library["public"], "Leeg.txt", b"Nog niets.\n", read=False)
    drain_outbox()
    GroupFile.objects.filter(pk=file.pk).update(text=f"Later gelezen: {WORD}.")
    assert find(owner, WORD) == {}
    file_search.reindex([file.pk])
    assert list(find(owner, WORD)) == [file.pk]


def test_a_new_version_is_found_by_its_words_and_not_by_the_old_ones(library):
    owner = library["owner"]
    file = put(owner, library["public"], "Plan.pdf", pdf("Eerste versie over polders."))
    assert list(find(owner, "polders")) == [file.pk]
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.add_version(owner, file, SimpleUploadedFile("Plan.pdf", pdf(f"Nu over {WORD}.")))
    services.read_text(file.pk)
    assert list(find(owner, WORD)) == [file.pk]
    assert find(owner, "polders") == {}


# --- Elasticsearch (the fake node of tests/search/test_elasticsearch.py) ---------------------


def test_elasticsearch_gets_the_documents_words_and_labels_and_forgets_a_hidden_file(
    library, settings
):
    from elasticsearch import Elasticsearch

    from search.backends.elasticsearch import ElasticsearchBackend
    from tests.search.test_elasticsearch import FakeNode, FakeServer

    server = FakeNode.server = FakeServer()
    client = Elasticsearch("http://fake:9200", node_class=FakeNode, max_retries=0)
    backend = ElasticsearchBackend("http://fake:9200", "test", client=client)
    settings.ELASTICSEARCH_URL = "http://fake:9200"
    with mock.patch.object(backends, "_configured_backend", return_value=backend):
        file = put(library["owner"], library["public"], "Verslag.pdf", pdf(f"De {WORD}."))
        drain_outbox()
        sources = [
            line
            for bulk in server.sent("PUT", "/_bulk") + server.sent("POST", "/_bulk")
            for line in bulk["body"]
            if line.get("type") == "file" and line.get("object_id") == file.pk
        ]
        assert sources, "the file was not sent to Elasticsearch"
        source = sources[-1]
        assert source["title"] == "Verslag.pdf"
        assert WORD in source["body"]
        assert source["group_id"] == library["group"].pk
        assert source["author_id"] == library["owner"].pk
        assert set(source["access"]) == {"public", f"group:{library['group'].pk}"}
        services.hide_file(file)
        drain_outbox()
    removed = [
        r
        for r in server.requests
        if r["path"].startswith("/test-write-file")
        or (
            r["path"].endswith("/_bulk")
            and {"delete": {"_index": "test-write-file", "_id": f"file:{file.pk}"}} in r["body"]
        )
    ]
    assert removed, "the hidden file was not removed from Elasticsearch"
