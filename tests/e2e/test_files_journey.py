"""A group's files in the browser: Anna drops three files on the upload zone at once (each with
its own progress bar, told in a live region), makes a folder, moves a file into it, uploads a
new version of it, deletes a document and restores it from the trash. axe-core checks every
page; the pages once more at 320 px, without sideways scroll."""

import base64
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from files.models import FileVersion, GroupFile
from groups import services as group_services
from groups.models import Group
from tests.e2e.helpers import field, starts_with, submit
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory
from tests.files import documents

NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
LANGUAGE = "nl"

# Files made in the page from their bytes, put in a DataTransfer and dropped on the zone, as a
# person dragging them from their computer does.
DROP = """([files]) => {
    const transfer = new DataTransfer();
    for (const file of files) {
        const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], file.name, { type: file.type }));
    }
    const zone = document.querySelector("[data-drop-zone]");
    for (const type of ["dragenter", "dragover", "drop"]) {
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
}"""


def no_sideways_scroll(page):
    assert page.evaluate(NO_HORIZONTAL_SCROLL), page.url


def encoded(name, data, content_type):
    return {"name": name, "data": base64.b64encode(data).decode(), "type": content_type}


@pytest.fixture
def world(server):
    anna = UserFactory(first_name="Anna", last_name="Jansen", email="anna@utrecht.nl")
    group = group_services.create_group(
        anna, Group(name="Open data", slug="open-data", content_default="open")
    )
    bram = UserFactory(first_name="Bram", last_name="de Vries", email="bram@utrecht.nl")
    MembershipFactory(group=group, user=bram, role="member")
    return {"anna": anna, "bram": bram, "group": group}


def test_drop_three_files_make_a_folder_move_a_new_version_and_the_trash(
    page, world, sign_in, t, axe
):
    group = world["group"]
    sign_in(page, world["anna"].email, DEFAULT_PASSWORD)
    page.goto(group.get_absolute_url())
    page.locator("nav.tabs").get_by_role("link", name=t("Files", LANGUAGE)).click()
    library = urlsplit(page.url).path
    main = page.locator("main")
    expect(main).to_contain_text(
        t(
            "This folder is empty. Upload files with the form above (or drop them on it), or "
            "make a folder to keep things in order.",
            LANGUAGE,
        )
    )
    axe.check(page)

    # Three files dropped at once: a progress bar each, then the list shows them.
    dropped = [
        encoded(
            "Begroting.pdf", documents.make_pdf(["Begroting open data 2027"]), "application/pdf"
        ),
        encoded(
            "Notities.txt", documents.make_text("Eerste notities over open data\n"), "text/plain"
        ),
        encoded(
            "Plan.docx",
            documents.make_docx("Het plan"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ]
    page.evaluate(DROP, [dropped])
    expect(main.locator(".upload__item")).to_have_count(3)
    expect(main.locator(".upload__item--done")).to_have_count(3)
    expect(main.locator("[data-upload-live]")).not_to_be_empty()
    file_list = main.locator("[data-file-list]")
    for item in dropped:
        expect(file_list.get_by_role("link", name=item["name"])).to_be_visible()
    assert GroupFile.objects.filter(group=group).count() == 3
    axe.check(page)

    # Chosen with the file input and sent with the button (the keyboard's way): the same name
    # again is uploaded under another and says so.
    upload_form = main.locator("form[data-upload]")
    upload_form.locator("input[type=file]").set_input_files(
        {"name": "Notities.txt", "mimeType": "text/plain", "buffer": b"Nog meer notities\n"}
    )
    upload_form.get_by_role("button", name=t("Upload", LANGUAGE), exact=True).click()
    expect(main.locator(".upload__item--done")).to_have_count(4)
    expect(main.locator(".upload__item").last).to_contain_text("Notities (2).txt")
    expect(file_list.get_by_role("link", name="Notities (2).txt")).to_be_visible()

    # A folder.
    main.get_by_role("link", name=t("New folder", LANGUAGE)).click()
    form = main.locator("form")
    form.get_by_label(field(t, "Name", LANGUAGE)).fill("Verslagen")
    axe.check(page)
    submit(page, form.get_by_role("button", name=t("Make the folder", LANGUAGE)))
    expect(page.get_by_role("heading", level=1)).to_have_text("Verslagen")
    axe.check(page)

    # Move the notes into it.
    page.goto(library)
    main.get_by_role("link", name="Notities.txt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notities.txt")
    expect(main.locator("pre")).to_contain_text("Eerste notities over open data")
    axe.check(page)
    file_page = urlsplit(page.url).path
    main.get_by_role("link", name=starts_with(t("Move", LANGUAGE))).click()
    form = main.locator("form")
    form.get_by_label(field(t, "Move to folder", LANGUAGE)).select_option(label="— Verslagen")
    axe.check(page)
    submit(page, form.get_by_role("button", name=t("Move", LANGUAGE)))
    expect(page.locator("nav.breadcrumbs")).to_contain_text("Verslagen")

    # A new version of it.
    version_form = main.locator("form.file__new-version")
    version_form.locator("input[type=file]").set_input_files(
        {
            "name": "Notities.txt",
            "mimeType": "text/plain",
            "buffer": b"Tweede versie van de notities\n",
        }
    )
    submit(page, version_form.get_by_role("button", name=t("Upload the new version", LANGUAGE)))
    expect(main.locator("pre")).to_contain_text("Tweede versie van de notities")
    expect(main.locator(".version--current")).to_contain_text("2")
    notes = GroupFile.objects.get(name="Notities.txt")
    assert notes.folder.name == "Verslagen" and FileVersion.objects.filter(file=notes).count() == 2
    axe.check(page)

    # The Word document to the trash, and back.
    page.goto(library)
    main.get_by_role("link", name="Plan.docx").click()
    expect(main).to_contain_text(t("Word document", LANGUAGE))
    axe.check(page)
    main.get_by_role("link", name=starts_with(t("Delete", LANGUAGE))).click()
    axe.check(page)
    submit(page, main.get_by_role("button", name=t("Move to the trash", LANGUAGE)))
    expect(main.locator("[data-file-list]")).not_to_contain_text("Plan.docx")
    main.get_by_role("link", name=t("Trash", LANGUAGE), exact=True).click()
    expect(main).to_contain_text("Plan.docx")
    axe.check(page)
    submit(page, main.get_by_role("button", name=starts_with(t("Restore", LANGUAGE))))
    expect(main.locator(".messages")).to_contain_text("Plan.docx")
    expect(main).to_contain_text(t("The trash is empty.", LANGUAGE))
    axe.check(page)
    assert GroupFile.objects.get(name="Plan.docx").deleted_at is None

    # The PDF's page, and every page once more at 320 px.
    page.goto(library)
    main.get_by_role("link", name="Begroting.pdf").click()
    expect(main.locator("iframe.file__pdf")).to_have_count(1)
    pdf_page = urlsplit(page.url).path
    axe.check(page)
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (
        library,
        file_page,
        pdf_page,
        f"{library}trash/",
        f"{file_page}edit/",
        f"{file_page}move/",
    ):
        page.goto(path)
        no_sideways_scroll(page)
        axe.check(page)
    axe.done()
