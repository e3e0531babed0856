"""The group wiki in the browser: write with the rich-text editor, history, conflicts, links, access.

Each journey drives the pages as people would (links, forms, the editor's toolbar and keyboard),
checks what the pages show and then what the database holds. Where two people act, each has their
own browser context.
"""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import (
    field,
    path_is,
    plural,
    starts_with,
    submit,
    toolbar_button,
    wait_for_editor,
)
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory
from tests.helpers import group_with
from wiki import services
from wiki.models import WikiPage, WikiRevision


def revisions_link(count, language="nl"):
    return plural("%(counter)s revision", "%(counter)s revisions", count, language)


def type_at_end(page, area, text, new_paragraph=True):
    """Put the cursor at the end of the text and type ``text`` (in a paragraph of its own)."""
    area.focus()
    page.keyboard.press("Control+End")
    if new_paragraph:
        page.keyboard.press("Enter")
    page.keyboard.type(text)


def replace_last_paragraph(page, area, text):
    """Select the last paragraph's text with the keyboard and type ``text`` over it."""
    area.focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Shift+Home")
    page.keyboard.type(text)


# 1. Write a page with the editor, edit it, compare and restore --------------------------------


def test_member_writes_a_page_edits_it_compares_and_restores(page, sign_in, t):
    owner = UserFactory(first_name="Eva", last_name="Smit")
    group = group_with(owner, name="Kennisbank", slug="kennisbank")
    member = UserFactory(first_name="Noor", last_name="van Dijk")
    MembershipFactory(group=group, user=member)
    sign_in(page, member.email, DEFAULT_PASSWORD)

    # From the group's page to its wiki, still empty, and on to a new page.
    page.goto("/groups/kennisbank/")
    page.locator("main nav.tabs").get_by_role("link", name=t("Wiki", "nl"), exact=True).click()
    expect(page).to_have_url(path_is("/groups/kennisbank/wiki/"))
    expect(page.locator("main h1")).to_have_text(
        t("Wiki of %(group)s", "nl") % {"group": "Kennisbank"}
    )
    expect(page.locator("main .wiki-tree")).to_have_count(0)
    page.locator("main").get_by_role("link", name=t("New page", "nl"), exact=True).click()
    expect(page).to_have_url(path_is("/groups/kennisbank/wiki/-/new/"))

    # The title, then text typed into the editor: two headings (toolbar), bold text (Ctrl+B).
    form = page.locator("main form")
    form.get_by_label(field(t, "Title")).fill("Werkafspraken")
    area = wait_for_editor(page, t)
    area.click()
    page.keyboard.type("Doel")
    heading = toolbar_button(page, t, "Heading level 2")
    heading.click()
    expect(heading).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Enter")
    page.keyboard.type("Wij delen hier ")
    page.keyboard.press("Control+B")
    page.keyboard.type("belangrijke")
    page.keyboard.press("Control+B")
    page.keyboard.type(" afspraken.")
    page.keyboard.press("Enter")
    page.keyboard.type("Planning")
    heading.click()
    page.keyboard.press("Enter")
    page.keyboard.type("Eerste versie van de planning.")
    expect(area.locator("h2")).to_have_text(["Doel", "Planning"])
    expect(area.locator("strong")).to_have_text("belangrijke")
    # What the form posts: the editor's HTML in the (hidden) textarea.
    expect(form.locator("textarea[name=body]")).to_have_value(
        "<h2>Doel</h2><p>Wij delen hier <strong>belangrijke</strong> afspraken.</p>"
        "<h2>Planning</h2><p>Eerste versie van de planning.</p>"
    )
    submit(page, form.get_by_role("button", name=t("Save", "nl"), exact=True))

    expect(page).to_have_url(path_is("/groups/kennisbank/wiki/werkafspraken/"))
    main = page.locator("main")
    expect(main.locator(".messages")).to_contain_text(t("The page is saved.", "nl"))
    expect(main.locator("h1")).to_have_text("Werkafspraken")
    body = main.locator(".wiki-page .rich-text")
    expect(body.locator("h2")).to_have_text(["Doel", "Planning"])
    expect(body.locator("strong")).to_have_text("belangrijke")
    toc = main.get_by_role("navigation", name=t("Contents", "nl"))
    expect(toc.get_by_role("link")).to_have_text(["Doel", "Planning"])
    toc.get_by_role("link", name="Planning").click()
    expect(page).to_have_url(re.compile(r"/werkafspraken/#h-planning$"))
    expect(main.get_by_role("link", name=revisions_link(1))).to_be_visible()

    page_row = WikiPage.objects.get(group=group)
    assert (page_row.title, page_row.path, page_row.revision_number) == (
        "Werkafspraken",
        "werkafspraken",
        1,
    )
    assert page_row.created_by == member
    assert "<strong>belangrijke</strong>" in page_row.body

    # Two edits, each with a summary of what changed.
    for text, summary in [
        ("Tweede versie van de planning.", "Planning bijgewerkt"),
        ("Derde versie van de planning.", "Planning nogmaals bijgewerkt"),
    ]:
        main.get_by_role("link", name=starts_with(t("Edit", "nl"))).click()
        expect(page).to_have_url(path_is(f"/groups/kennisbank/wiki/-/{page_row.pk}/edit/"))
        area = wait_for_editor(page, t)
        expect(area.locator("h2")).to_have_text(["Doel", "Planning"])
        replace_last_paragraph(page, area, text)
        form = page.locator("main form")
        form.get_by_label(field(t, "What did you change? (optional)")).fill(summary)
        submit(page, form.get_by_role("button", name=t("Save", "nl"), exact=True))
        expect(page).to_have_url(path_is("/groups/kennisbank/wiki/werkafspraken/"))
        expect(main.locator(".wiki-page .rich-text")).to_contain_text(text)
    expect(main.locator(".wiki-page .rich-text strong")).to_have_text("belangrijke")

    # The history: three revisions, newest first, with their summaries.
    main.get_by_role("link", name=revisions_link(3)).click()
    expect(page).to_have_url(path_is(f"/groups/kennisbank/wiki/-/{page_row.pk}/history/"))
    rows = main.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.locator("th")).to_have_text([re.compile(rf"^{n}\b") for n in ("3", "2", "1")])
    expect(rows.nth(0)).to_contain_text("Planning nogmaals bijgewerkt")
    expect(rows.nth(1)).to_contain_text("Planning bijgewerkt")
    expect(rows.nth(0)).to_contain_text("Noor van Dijk")

    # Compare revision 1 with 3: the removed and added words are marked.
    compare = main.locator("form", has=page.locator("select[name=from]"))
    compare.get_by_label(t("Older revision", "nl")).select_option("1")
    compare.get_by_label(t("Newer revision", "nl")).select_option("3")
    submit(page, compare.get_by_role("button", name=t("Compare", "nl"), exact=True))
    expect(page).to_have_url(re.compile(rf"/wiki/-/{page_row.pk}/compare/\?from=1&to=3$"))
    diff = main.locator(".diff")
    expect(diff.locator("del")).to_contain_text(["Eerste"])
    expect(diff.locator("ins")).to_contain_text(["Derde"])
    expect(diff).to_contain_text("versie van de planning.")

    # Revision 1, restored: the original text is back, as a fourth revision.
    page.goto(f"/groups/kennisbank/wiki/-/{page_row.pk}/history/")
    rows.locator("th").get_by_role("link", name="1", exact=True).click()
    expect(page).to_have_url(path_is(f"/groups/kennisbank/wiki/-/{page_row.pk}/history/1/"))
    expect(main.locator(".rich-text")).to_contain_text("Eerste versie van de planning.")
    submit(page, main.get_by_role("button", name=t("Restore this revision", "nl")))
    expect(page).to_have_url(path_is("/groups/kennisbank/wiki/werkafspraken/"))
    expect(main.locator(".messages")).to_contain_text(
        t("Revision %(number)s is the current text again.", "nl") % {"number": 1}
    )
    expect(main.locator(".wiki-page .rich-text")).to_contain_text("Eerste versie van de planning.")
    expect(main.locator(".wiki-page .rich-text")).not_to_contain_text("Derde versie")
    main.get_by_role("link", name=revisions_link(4)).click()
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text(t("Restored revision %(number)s", "nl") % {"number": 1})

    page_row.refresh_from_db()
    assert page_row.revision_number == 4
    assert "Eerste versie van de planning." in page_row.body
    revisions = list(WikiRevision.objects.filter(page=page_row).order_by("number"))
    assert [r.number for r in revisions] == [1, 2, 3, 4]
    assert [r.summary for r in revisions[1:3]] == [
        "Planning bijgewerkt",
        "Planning nogmaals bijgewerkt",
    ]
    assert revisions[3].restored_from == 1
    assert revisions[3].body == revisions[0].body
    assert {r.author for r in revisions} == {member}


# 2. Two people edit the same page at once ----------------------------------------------------


def test_edit_conflict_keeps_the_second_text_and_merges(page, open_page, sign_in, t):
    anna = UserFactory(first_name="Anna", last_name="Jansen")
    bram = UserFactory(first_name="Bram", last_name="Peters")
    group = group_with(anna, name="Kennisbank", slug="kennisbank")
    MembershipFactory(group=group, user=bram)
    wiki_page = services.create_page(
        anna, group, title="Vergaderingen", body="<p>De eerste alinea.</p>"
    )
    edit_url = f"/groups/kennisbank/wiki/-/{wiki_page.pk}/edit/"

    # Both open the edit form of the same revision.
    sign_in(page, anna.email, DEFAULT_PASSWORD)
    other = open_page()
    sign_in(other, bram.email, DEFAULT_PASSWORD)
    page.goto(edit_url)
    other.goto(edit_url)
    anna_area = wait_for_editor(page, t)
    bram_area = wait_for_editor(other, t)

    # Anna saves first.
    type_at_end(page, anna_area, "Aanvulling van Anna.")
    submit(page, page.locator("main form").get_by_role("button", name=t("Save", "nl"), exact=True))
    expect(page).to_have_url(path_is("/groups/kennisbank/wiki/vergaderingen/"))
    expect(page.locator("main .wiki-page .rich-text")).to_contain_text("Aanvulling van Anna.")

    # Bram saves what he wrote on the old revision: refused, nothing lost, Anna's text shown.
    type_at_end(other, bram_area, "Bijdrage van Bram.")
    response = submit(
        other, other.locator("main form").get_by_role("button", name=t("Save", "nl"), exact=True)
    )
    assert response.status == 409
    expect(other).to_have_url(path_is(edit_url))
    main = other.locator("main")
    expect(main.locator(".messages")).to_contain_text(
        t(
            "Someone else saved this page while you were editing it. Your text is kept below: "
            "look at what changed, merge it into your text and save again.",
            "nl",
        )
    )
    conflict = main.locator(".wiki-conflict")
    expect(conflict.get_by_role("heading", level=2)).to_have_text(
        t("Someone else changed this page meanwhile", "nl")
    )
    expect(conflict).to_contain_text("Anna Jansen")
    meanwhile = conflict.locator("details[open]").first
    expect(meanwhile.locator("summary")).to_have_text(
        t("What changed since revision %(base)s, the one you started from", "nl") % {"base": 1}
    )
    expect(meanwhile.locator("ins")).to_contain_text("Aanvulling van Anna.")
    bram_area = wait_for_editor(other, t)
    expect(bram_area).to_contain_text("Bijdrage van Bram.")
    expect(bram_area).not_to_contain_text("Aanvulling van Anna.")
    expect(main.locator("input[name=base_revision]")).to_have_value("2")
    wiki_page.refresh_from_db()
    assert wiki_page.revision_number == 2
    assert "Bram" not in wiki_page.body

    # Bram takes Anna's sentence into his text and saves again: both are on the page.
    type_at_end(other, bram_area, "Aanvulling van Anna.")
    submit(other, main.locator("form.form").get_by_role("button", name=t("Save", "nl"), exact=True))
    expect(other).to_have_url(path_is("/groups/kennisbank/wiki/vergaderingen/"))
    expect(main.locator(".messages")).to_contain_text(t("The page is saved.", "nl"))
    text = main.locator(".wiki-page .rich-text")
    expect(text.locator("p")).to_have_text(
        ["De eerste alinea.", "Bijdrage van Bram.", "Aanvulling van Anna."]
    )
    expect(main.get_by_role("link", name=revisions_link(3))).to_be_visible()

    wiki_page.refresh_from_db()
    assert wiki_page.revision_number == 3
    assert wiki_page.updated_by == bram
    assert "Bijdrage van Bram." in wiki_page.body
    assert "Aanvulling van Anna." in wiki_page.body
    authors = WikiRevision.objects.filter(page=wiki_page).order_by("number")
    assert [r.author for r in authors] == [anna, anna, bram]


# 3. A link to a page that does not exist yet --------------------------------------------------


def test_wikilink_to_a_missing_page_creates_it(page, sign_in, t):
    person = UserFactory()
    group = group_with(person, name="Kennisbank", slug="kennisbank")
    services.create_page(
        person,
        group,
        title="Startpagina",
        body="<p>Lees eerst [[Ontbrekende pagina]] voordat je begint.</p>",
    )
    sign_in(page, person.email, DEFAULT_PASSWORD)

    page.goto("/groups/kennisbank/wiki/startpagina/")
    body = page.locator("main .wiki-page .rich-text")
    missing = body.get_by_role(
        "link",
        name=f"Ontbrekende pagina ({t('page does not exist yet, create it', 'nl')})",
        exact=True,
    )
    expect(missing).to_have_class(re.compile(r"\bwikilink--missing\b"))
    missing.click()

    # The new-page form, with the title filled in from the link.
    expect(page).to_have_url(re.compile(r"/groups/kennisbank/wiki/-/new/\?title=Ontbrekende"))
    form = page.locator("main form")
    expect(form.get_by_label(field(t, "Title"))).to_have_value("Ontbrekende pagina")
    area = wait_for_editor(page, t)
    area.click()
    page.keyboard.type("Hier staat wat je moet weten.")
    submit(page, form.get_by_role("button", name=t("Save", "nl"), exact=True))
    expect(page).to_have_url(path_is("/groups/kennisbank/wiki/ontbrekende-pagina/"))
    expect(page.locator("main h1")).to_have_text("Ontbrekende pagina")

    # Back on the first page the link is an ordinary link to the new page.
    page.goto("/groups/kennisbank/wiki/startpagina/")
    link = body.get_by_role("link", name="Ontbrekende pagina", exact=True)
    expect(link).to_have_attribute("href", "/groups/kennisbank/wiki/ontbrekende-pagina/")
    expect(link).not_to_have_class(re.compile(r"\bwikilink--missing\b"))
    expect(body.locator(".wikilink--missing")).to_have_count(0)
    link.click()
    expect(page).to_have_url(path_is("/groups/kennisbank/wiki/ontbrekende-pagina/"))
    assert WikiPage.objects.filter(group=group).count() == 2


# 4. The editor with the keyboard alone -------------------------------------------------------


def test_editor_toolbar_with_the_keyboard(page, sign_in, t):
    person = UserFactory()
    group_with(person, name="Kennisbank", slug="kennisbank")
    sign_in(page, person.email, DEFAULT_PASSWORD)
    page.goto("/groups/kennisbank/wiki/-/new/")
    form = page.locator("main form")
    form.get_by_label(field(t, "Title")).fill("Sneltoetsen")

    # Two lines in the text; the last word selected with the keyboard.
    area = wait_for_editor(page, t)
    area.focus()
    page.keyboard.type("Kop")
    page.keyboard.press("Enter")
    page.keyboard.type("Een vet woord")
    page.keyboard.press("Shift+Control+ArrowLeft")  # selects "woord"

    # Alt+F10: to the toolbar, on its first button (the only one in the tab order).
    page.keyboard.press("Alt+F10")
    paragraph = toolbar_button(page, t, "Normal text")
    expect(paragraph).to_be_focused()
    buttons = page.locator("main [role=toolbar] button:not([tabindex='-1'])")
    expect(buttons).to_have_count(1)

    # The arrows move between the buttons; the tab stop follows.
    page.keyboard.press("ArrowRight")
    expect(toolbar_button(page, t, "Heading level 2")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(paragraph).to_be_focused()
    page.keyboard.press("ArrowLeft")  # round from the first to the last
    expect(toolbar_button(page, t, "Redo")).to_be_focused()
    page.keyboard.press("Home")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    bold = toolbar_button(page, t, "Bold")
    expect(bold).to_be_focused()
    expect(buttons).to_have_count(1)
    expect(bold).to_have_attribute("tabindex", "0")

    # Enter on Bold makes the selected word bold and gives the focus back to the text.
    page.keyboard.press("Enter")
    expect(area).to_be_focused()
    expect(area.locator("strong")).to_have_text("woord")
    expect(bold).to_have_attribute("aria-pressed", "true")

    # Back to the toolbar (on Bold, where it was left), to the heading button, Enter.
    page.keyboard.press("ArrowUp")  # to the first line, "Kop"
    page.keyboard.press("Alt+F10")
    expect(bold).to_be_focused()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    heading = toolbar_button(page, t, "Heading level 2")
    expect(heading).to_be_focused()
    page.keyboard.press("Enter")
    expect(area).to_be_focused()
    expect(area.locator("h2")).to_have_text("Kop")
    expect(heading).to_have_attribute("aria-pressed", "true")

    # Escape leaves the toolbar for the text without doing anything; typing goes on there.
    page.keyboard.press("Alt+F10")
    expect(heading).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Escape")
    expect(area).to_be_focused()
    page.keyboard.press("End")  # of the heading's line
    page.keyboard.type("pen")
    expect(form.locator("textarea[name=body]")).to_have_value(
        "<h2>Koppen</h2><p>Een vet <strong>woord</strong></p>"
    )
    submit(page, form.get_by_role("button", name=t("Save", "nl"), exact=True))
    expect(page).to_have_url(path_is("/groups/kennisbank/wiki/sneltoetsen/"))
    expect(page.locator("main .wiki-page .rich-text h2")).to_have_text("Koppen")
    # One heading makes no table of contents (two do, see the first journey).
    expect(page.get_by_role("navigation", name=t("Contents", "nl"))).to_have_count(0)
    expect(page.locator("main .wiki-page .rich-text strong")).to_have_text("woord")
    assert WikiPage.objects.get(slug="sneltoetsen").body == (
        "<h2>Koppen</h2><p>Een vet <strong>woord</strong></p>"
    )


# 5. Who reads what ---------------------------------------------------------------------------


def test_outsiders_and_anonymous_visitors_read_only_what_is_open(page, sign_in, t):
    owner = UserFactory(first_name="Eva", last_name="Smit")
    # Both groups first: the owner's roles are cached on the user object once asked for.
    closed = group_with(owner, name="Besloten", slug="besloten", content_default="members")
    open_group = group_with(owner, name="Open kennis", slug="open-kennis", content_default="open")
    services.create_page(owner, closed, title="Geheim", body="<p>Alleen voor leden.</p>")
    services.create_page(
        owner,
        open_group,
        title="Voor iedereen",
        body="<p>Dit mag iedereen lezen.</p>",
        visibility=WikiPage.Visibility.PUBLIC,
    )
    services.create_page(
        owner, open_group, title="Intern", body="<p>Alleen leden.</p>", visibility="group"
    )
    outsider = UserFactory()

    # Anonymous: the open group's public page, without Edit or Follow; the members' page is not there.
    page.goto("/groups/open-kennis/wiki/")
    tree = page.locator("main .wiki-tree")
    expect(tree.get_by_role("link")).to_have_text(["Voor iedereen"])
    expect(page.locator("main").get_by_role("link", name=t("New page", "nl"))).to_have_count(0)
    tree.get_by_role("link", name="Voor iedereen").click()
    expect(page).to_have_url(path_is("/groups/open-kennis/wiki/voor-iedereen/"))
    main = page.locator("main")
    expect(main.locator(".wiki-page .rich-text")).to_have_text("Dit mag iedereen lezen.")
    actions = main.locator(".wiki-actions")
    expect(actions.get_by_role("link", name=t("Print view", "nl"))).to_be_visible()
    expect(actions.get_by_role("link", name=starts_with(t("Edit", "nl")))).to_have_count(0)
    expect(actions.get_by_role("link", name=t("Move", "nl"))).to_have_count(0)
    expect(actions.get_by_role("button")).to_have_count(0)
    response = page.goto("/groups/open-kennis/wiki/intern/")
    assert response.status == 404
    # The edit form sends an anonymous visitor to sign in.
    page.goto(f"/groups/open-kennis/wiki/-/{WikiPage.objects.get(slug='voor-iedereen').pk}/edit/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))

    # Signed in, but not a member of the members-only group: no pages, a 404 for the page.
    sign_in(page, outsider.email, DEFAULT_PASSWORD)
    page.goto("/groups/besloten/wiki/")
    expect(page.locator("main")).to_contain_text(
        t("Only members of this group can read its wiki.", "nl")
    )
    expect(page.locator("main .wiki-tree")).to_have_count(0)
    expect(page.locator("main").get_by_role("link", name=t("New page", "nl"))).to_have_count(0)
    response = page.goto("/groups/besloten/wiki/geheim/")
    assert response.status == 404
    expect(page.locator("main")).not_to_contain_text("Alleen voor leden.")
