"""Every page of the group wiki passes axe-core's WCAG 2.1 A/AA rules (serious, critical).

The pages are checked in the states that add markup: an empty wiki and a nested tree with the
Up/Down controls, a page with its table of contents, subpages and follow button, the page form with
the rich-text editor (new, after a failed save, after an edit conflict, with each of the editor's
dialogs open), the history, a comparison, an old revision, the move form (also refused), a refusal
and the print view. The page and its form are also checked in English.
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from groups.models import Membership
from tests.e2e.helpers import field, starts_with, submit, toolbar_button
from tests.factories import DEFAULT_PASSWORD, GroupFactory, MembershipFactory, UserFactory
from wiki import services
from wiki.models import WikiPage

HANDBOOK_BODY = (
    "<h2>Doel</h2><p>Wij delen hier <strong>belangrijke</strong> afspraken en "
    '<a href="https://www.example.nl">een link</a>. Zie ook [[Contact]] en [[Bestaat niet]].</p>'
    "<h3>Details</h3><ul><li>Eén</li><li>Twee</li></ul>"
    "<h2>Planning</h2><table><tbody><tr><th>Wanneer</th><th>Wat</th></tr>"
    "<tr><td>Maandag</td><td>Overleg</td></tr></tbody></table>"
    "<blockquote><p>Een citaat.</p></blockquote><pre><code>code()</code></pre>"
)


def pt(context, text, language):
    with translation.override(language):
        return translation.pgettext(context, text)


def editor(page, t, language="nl"):
    """The rich-text editor's editable area, once it has replaced the textarea."""
    area = page.locator("main form").get_by_role("textbox", name=field(t, "Text", language))
    expect(area).to_be_visible()
    expect(page.locator("main textarea[name=body]")).to_be_hidden()
    return area


def save_button(page, t, language="nl"):
    return page.locator("main form.form").get_by_role(
        "button", name=t("Save", language), exact=True
    )


@pytest.fixture
def wiki():
    """An open-for-reading group with an owner, a member and a small tree of pages.

    Handboek (two h2 and an h3, a table, links) > Afspraken > Telefoonlijst, Handboek > Contact;
    Nieuws at the top.
    """
    owner = UserFactory(first_name="Eva", last_name="Smit")
    member = UserFactory(first_name="Noor", last_name="van Dijk")
    group = GroupFactory(name="Kennisbank", slug="kennisbank", content_default="open")
    MembershipFactory(group=group, user=owner, role=Membership.Role.OWNER)
    MembershipFactory(group=group, user=member)
    handbook = services.create_page(
        owner, group, title="Handboek", body=HANDBOOK_BODY, visibility="public"
    )
    agreements = services.create_page(
        owner, group, title="Afspraken", body="<p>Afspraken.</p>", parent=handbook
    )
    services.create_page(owner, group, title="Contact", body="<p>Bel ons.</p>", parent=handbook)
    services.create_page(
        owner, group, title="Telefoonlijst", body="<p>Nummers.</p>", parent=agreements
    )
    services.create_page(owner, group, title="Nieuws", body="")
    return {"owner": owner, "member": member, "group": group, "handbook": handbook}


def test_empty_wiki_and_a_nested_tree_with_controls(page, axe, sign_in, t, wiki):
    empty = GroupFactory(name="Leeg", slug="leeg")
    MembershipFactory(group=empty, user=wiki["member"])
    sign_in(page, wiki["member"].email, DEFAULT_PASSWORD)

    # An empty wiki, for a member who may write the first page.
    page.goto("/groups/leeg/wiki/")
    expect(page.locator("main")).to_contain_text(
        t(
            "This wiki has no pages yet. Write the first one: what should everyone in the group "
            "know?",
            "nl",
        )
    )
    expect(page.locator("main").get_by_role("link", name=t("New page", "nl"))).to_be_visible()
    axe.check(page)

    # The tree, three levels deep, with Up and Down buttons for every page.
    page.goto("/groups/kennisbank/wiki/")
    tree = page.locator("main .wiki-tree")
    expect(tree.get_by_role("link")).to_have_text(
        ["Handboek", "Afspraken", "Telefoonlijst", "Contact", "Nieuws"]
    )
    expect(tree.locator(".wiki-tree__children .wiki-tree__children a")).to_have_text(
        "Telefoonlijst"
    )
    up = pt("move page", "Up", "nl")
    expect(tree.get_by_role("button", name=starts_with(up))).to_have_count(5)
    axe.check(page)

    # After moving a page down: the success message and the focus target in the URL.
    submit(page, tree.get_by_role("button", name=starts_with(pt("move page", "Down", "nl"))).first)
    expect(page).to_have_url(re.compile(r"/groups/kennisbank/wiki/#page-\d+$"))
    expect(page.locator("main .messages")).to_be_visible()
    expect(tree.locator(":scope > li > a")).to_have_text(["Nieuws", "Handboek"])
    axe.check(page)

    # Signed out, the members-only wiki of another group: only a notice and a sign-in link.
    GroupFactory(name="Besloten", slug="besloten", content_default="members")
    page.context.clear_cookies()
    page.goto("/groups/besloten/wiki/")
    expect(page.locator("main")).to_contain_text(
        t("Only members of this group can read its wiki.", "nl")
    )
    axe.check(page)
    axe.done()


@pytest.mark.parametrize(
    ("browser_locale", "language"), [("nl-NL", "nl"), ("en-US", "en")], ids=["nl", "en"]
)
def test_page_view_and_page_form(page, axe, sign_in, t, wiki, language):
    sign_in(page, wiki["member"].email, DEFAULT_PASSWORD)

    # The page with its table of contents, subpages, a missing-page link and the follow button.
    page.goto("/groups/kennisbank/wiki/handboek/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    main = page.locator("main")
    toc = main.get_by_role("navigation", name=t("Contents", language))
    expect(toc.get_by_role("link")).to_have_text(["Doel", "Details", "Planning"])
    subpages = main.locator(
        "section", has=page.get_by_role("heading", name=t("Subpages", language))
    )
    expect(subpages.get_by_role("link")).to_have_text(["Afspraken", "Contact"])
    expect(main.locator(".wikilink--missing")).to_have_count(1)
    follow = main.get_by_role("button", name=t("Follow", language), exact=True)
    expect(follow).to_have_attribute("aria-pressed", "false")
    axe.check(page)

    # Followed: the button says so, with the success message.
    submit(page, follow)
    following = main.get_by_role("button", name=t("Following", language), exact=True)
    expect(following).to_have_attribute("aria-pressed", "true")
    expect(main.locator(".messages")).to_be_visible()
    axe.check(page)

    # The new-page form with the editor loaded.
    main.get_by_role("link", name=t("New subpage", language)).click()
    expect(page).to_have_url(re.compile(r"/wiki/-/new/\?parent=\d+$"))
    area = editor(page, t, language)
    axe.check(page)

    # Saved with a title that is taken: the form again, with the error and the text kept.
    form = main.locator("form.form")
    form.get_by_label(field(t, "Title", language)).fill("contact")
    area.click()
    page.keyboard.type("Een tekst die blijft.")
    response = submit(page, save_button(page, t, language))
    assert response.status == 400
    expect(main.locator(".field--error")).to_contain_text(
        t("This wiki already has a page called “%(title)s”. Choose another title.", language)
        % {"title": "contact"}
    )
    expect(main.locator(".form-errors")).to_be_visible()
    expect(editor(page, t, language)).to_have_text("Een tekst die blijft.")
    axe.check(page)

    # The edit form of the page with headings, a table, a list, a quote and code in the editor.
    page.goto(f"/groups/kennisbank/wiki/-/{wiki['handbook'].pk}/edit/")
    area = editor(page, t, language)
    expect(area.locator("table")).to_have_count(1)
    area.locator("td", has_text="Maandag").click()  # the table's own buttons show
    expect(
        main.get_by_role("group", name=t("Table", language)).get_by_role("button").first
    ).to_be_visible()
    axe.check(page)
    axe.done()


@pytest.mark.parametrize(
    ("browser_locale", "language"), [("nl-NL", "nl"), ("en-US", "en")], ids=["nl", "en"]
)
def test_editor_dialogs(page, axe, sign_in, t, wiki, language):
    sign_in(page, wiki["member"].email, DEFAULT_PASSWORD)
    page.goto("/groups/kennisbank/wiki/-/new/")
    area = editor(page, t, language)
    area.click()
    page.keyboard.type("Tekst")

    for button, title, submit_text in [
        ("Link", "Link", "Save"),
        ("Link to a wiki page", "Link to a wiki page", "Insert"),
        ("Add image or file", "Add image or file", "Upload"),
    ]:
        toolbar_button(page, t, button, language).click()
        dialog = page.get_by_role("dialog", name=t(title, language))
        expect(dialog).to_be_visible()
        expect(dialog.locator("input").first).to_be_focused()
        axe.check(page)
        # Sent empty: the error is shown and announced.
        dialog.get_by_role("button", name=t(submit_text, language), exact=True).click()
        expect(dialog.locator("[aria-invalid=true]")).to_have_count(1)
        expect(dialog.locator(".rich-text-dialog__error[role=alert]:not(:empty)")).to_have_count(1)
        axe.check(page)
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(area).to_be_focused()
    axe.done()


def test_conflict_history_compare_and_revision(page, axe, sign_in, t, wiki):
    member, handbook = wiki["member"], wiki["handbook"]
    services.save_page(
        wiki["owner"],
        handbook,
        base_revision=1,
        title="Handboek",
        body=HANDBOOK_BODY.replace("belangrijke", "nieuwe"),
        summary="Woord vervangen",
    )
    sign_in(page, member.email, DEFAULT_PASSWORD)
    base = f"/groups/kennisbank/wiki/-/{handbook.pk}"

    # The conflict view: Noor saves on revision 2 after Eva saved revision 3.
    page.goto(f"{base}/edit/")
    area = editor(page, t)
    services.save_page(
        wiki["owner"],
        WikiPage.objects.get(pk=handbook.pk),
        base_revision=2,
        title="Handboek",
        body=HANDBOOK_BODY.replace("belangrijke", "andere"),
        summary="Nog een woord",
    )
    area.locator("p", has_text="Een citaat.").click()
    page.keyboard.press("End")
    page.keyboard.type(" Van Noor.")
    response = submit(page, save_button(page, t))
    assert response.status == 409
    conflict = page.locator("main .wiki-conflict")
    expect(conflict.locator("ins").first).to_be_visible()
    expect(editor(page, t)).to_contain_text("Van Noor.")
    axe.check(page)
    # With every part of the comparison open.
    details = conflict.locator("details")
    expect(details).to_have_count(3)
    for index in (1, 2):
        details.nth(index).locator("summary").click()
    expect(conflict.locator("details[open]")).to_have_count(3)
    axe.check(page)

    # The history, with its compare form and restore buttons.
    page.goto(f"{base}/history/")
    expect(page.locator("main table tbody tr")).to_have_count(3)
    axe.check(page)

    # A comparison, with added and removed words.
    page.goto(f"{base}/compare/?from=1&to=3")
    expect(page.locator("main .diff ins").first).to_be_visible()
    expect(page.locator("main .diff del").first).to_be_visible()
    axe.check(page)

    # An old revision, with its notice and buttons.
    page.goto(f"{base}/history/1/")
    expect(page.locator("main .notice")).to_be_visible()
    expect(
        page.locator("main").get_by_role("button", name=t("Restore this revision", "nl"))
    ).to_be_visible()
    axe.check(page)
    axe.done()


def test_move_form_refusals_and_print_view(page, axe, sign_in, t, wiki):
    group, member = wiki["group"], wiki["member"]
    handbook = wiki["handbook"]
    news = WikiPage.objects.get(group=group, slug="nieuws")
    sign_in(page, member.email, DEFAULT_PASSWORD)

    # The move form.
    page.goto(f"/groups/kennisbank/wiki/-/{handbook.pk}/move/")
    form = page.locator("main form.form")
    parent = form.get_by_label(field(t, "New place: under which page?"))
    expect(parent.locator("option", has_text="Nieuws")).to_have_count(1)
    expect(parent.locator("option", has_text="Afspraken")).to_have_count(0)  # its own subpage
    axe.check(page)

    # Meanwhile Nieuws moved under Handboek, so moving Handboek under Nieuws is refused.
    services.move_page(wiki["owner"], news, parent=WikiPage.objects.get(pk=handbook.pk), index=0)
    parent.select_option(label="Nieuws")
    response = submit(page, form.get_by_role("button", name=t("Move", "nl"), exact=True))
    assert response.status == 400
    expect(page.locator("main .field--error")).to_contain_text(
        t("A page cannot move under itself or under one of its own subpages.", "nl")
    )
    axe.check(page)
    assert WikiPage.objects.get(pk=handbook.pk).parent is None

    # Refused: someone who is not a member opens the edit form of a page they can read.
    outsider = UserFactory()
    page.context.clear_cookies()
    sign_in(page, outsider.email, DEFAULT_PASSWORD)
    response = page.goto(f"/groups/kennisbank/wiki/-/{handbook.pk}/edit/")
    assert response.status == 403
    expect(page.locator("main .messages")).to_contain_text(t("You may not edit this page.", "nl"))
    axe.check(page)

    # The print view.
    page.goto(f"/groups/kennisbank/wiki/-/{handbook.pk}/export.print")
    expect(page.locator("main h1")).to_have_text("Handboek")
    expect(page.locator("main nav a")).to_have_text(["Doel", "Details", "Planning"])
    axe.check(page)
    axe.done()


def test_delete_confirmation_with_and_without_subpages(page, axe, sign_in, t, wiki):
    owner, handbook = wiki["owner"], wiki["handbook"]
    contact = WikiPage.objects.get(slug="contact")
    sign_in(page, owner.email, DEFAULT_PASSWORD)
    # A page with subpages: the confirmation explains what to do first.
    page.goto(f"/groups/kennisbank/wiki/-/{handbook.pk}/delete/")
    expect(page.locator("main .notice")).to_contain_text(
        t("This page has subpages. Move or delete them first, then delete this page.", "nl")
    )
    axe.check(page)
    # A leaf page: reached from the page's own Delete button, deleted for good.
    page.goto(contact.get_absolute_url())
    page.locator("main .wiki-actions a[href$='/delete/']").click()
    axe.check(page)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{page.url.split('/groups/')[0]}/groups/kennisbank/wiki/")
    axe.check(page)
    assert not WikiPage.objects.filter(pk=contact.pk).exists()
    axe.done()
