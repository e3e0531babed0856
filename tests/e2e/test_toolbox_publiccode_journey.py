"""The publiccode.yml tool in the browser: generate a file, download it, check it in the validator,
check a broken one; axe on every state of both pages. The categories' filter (categories.js):
filtering, the live count, chosen categories staying visible, on a phone without horizontal
scroll; everything else works without JavaScript."""

import re
import unicodedata

import pytest
from django.utils import translation
from django.utils.translation import trans_real
from playwright.sync_api import expect

from home.models import HomePage
from tests.e2e.axe import AxeChecker
from tests.e2e.helpers import field, path_is, submit
from tests.toolbox.test_publiccode_categories import DUTCH, CatalogueWithExtras
from toolbox.models import ToolboxIndexPage
from toolbox.publiccode import schema
from toolbox.publiccode.models import PublicCodeToolPage

LONG_NL = (
    "Meent is een platform waarop ambtenaren van verschillende organisaties samenwerken in "
    "groepen, met een wiki, blogs en een chat. Gemeenten, provincies en rijksdiensten delen er "
    "kennis en werken samen aan open-source software."
)


def make_tool():
    home = HomePage.objects.first()
    index = home.add_child(instance=ToolboxIndexPage(title="Toolbox", slug="toolbox"))
    index.add_child(
        instance=PublicCodeToolPage(
            title="publiccode.yml", slug="publiccode", introduction="Maak of controleer je bestand."
        )
    )
    return "/toolbox/publiccode/"


def test_generate_download_and_validate_a_publiccode_yml(page, t, tmp_path):
    url = make_tool()
    axe = AxeChecker()
    page.goto(url)
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text("publiccode.yml")
    tabs = main.get_by_role("navigation", name=t("publiccode.yml tool", "nl"))
    expect(tabs.get_by_role("link", name=t("Generator", "nl"))).to_have_attribute(
        "aria-current", "page"
    )
    axe.check(page)

    # Sending the empty form: a summary of problems whose links lead to the fields.
    form = main.locator("form.form")
    generate = form.get_by_role("button", name=t("Generate publiccode.yml", "nl"))
    submit(page, generate)
    summary = main.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(
        summary.get_by_role("link", name=re.compile(re.escape(t("Name of the software", "nl"))))
    ).to_be_visible()
    summary.get_by_role("link").first.click()
    expect(form.get_by_label(field(t, "Name of the software"))).to_be_focused()
    expect(main.locator("pre")).to_have_count(0)
    axe.check(page)

    # Fill it in as a person would.
    form.get_by_label(field(t, "Name of the software")).fill("Meent")
    form.get_by_label(field(t, "Repository URL")).fill("https://github.com/example/meent.git")
    form.get_by_label(field(t, "Software version")).fill("1.0.0")
    form.get_by_label(field(t, "Release date")).fill("2025-06-01")
    form.get_by_label(field(t, "Development status")).select_option("stable")
    form.get_by_label(field(t, "Type of software")).select_option("standalone/web")
    platforms = form.get_by_role("group", name=field(t, "Platforms"))
    platforms.get_by_label(t("Web", "nl"), exact=True).check()
    form.get_by_role("group", name=field(t, "Categories")).get_by_label(
        t("Collaboration", "nl"), exact=True
    ).check()
    expect(form.get_by_label(field(t, "Licence"))).to_have_value("EUPL-1.2")
    form.get_by_label(t("Internal: maintained by the owner of the repository", "nl")).check()
    form.get_by_label(field(t, "First contact: name")).fill("Eva Smit")
    form.get_by_label(field(t, "First contact: e-mail address")).fill("eva@example.nl")
    languages = form.get_by_role("group", name=field(t, "Languages of the software"))
    expect(languages.get_by_label(t("Dutch", "nl"), exact=True)).to_be_checked()
    languages.get_by_label(t("English", "nl"), exact=True).check()
    form.get_by_label(field(t, "Short description in Dutch")).fill("Samenwerken over grenzen heen")
    form.get_by_label(field(t, "Long description in Dutch")).fill(LONG_NL)
    form.get_by_label(field(t, "Features in Dutch")).fill("Groepen\nWiki\nChat")
    submit(page, generate)

    expect(main.get_by_role("alert")).to_have_count(0)
    result = main.get_by_role("region", name=t("Your publiccode.yml", "nl"))
    output = result.locator("pre")
    expect(output).to_contain_text("name: Meent")
    yaml_text = output.inner_text()
    assert "license: EUPL-1.2" in yaml_text
    assert "- Eva Smit" not in yaml_text and "name: Eva Smit" in yaml_text
    assert schema.validate_text(yaml_text).problems == []
    # The form keeps what was filled in, to adjust and generate again.
    expect(form.get_by_label(field(t, "Name of the software"))).to_have_value("Meent")
    axe.check(page)

    # Download: the same file, as an attachment named publiccode.yml.
    with page.expect_download() as download_info:
        result.get_by_role("button", name=t("Download publiccode.yml", "nl")).click()
    download = download_info.value
    assert download.suggested_filename == "publiccode.yml"
    saved = tmp_path / "publiccode.yml"
    download.save_as(saved)
    assert saved.read_text(encoding="utf-8") == yaml_text.rstrip("\n") + "\n"

    # To the validator, paste the generated file: valid.
    tabs.get_by_role("link", name=t("Validator", "nl")).click()
    expect(page).to_have_url(path_is(url + "validate/"))
    axe.check(page)
    validator = main.locator("form.form")
    textarea = validator.get_by_label(field(t, "Paste your publiccode.yml"))
    textarea.fill(yaml_text)
    check = validator.get_by_role("button", name=t("Check publiccode.yml", "nl"))
    submit(page, check)
    report = main.get_by_role("region", name=t("Result", "nl"))
    expect(report.locator(".publiccode-valid")).to_contain_text(
        t("Valid: this publiccode.yml meets the standard.", "nl")
    )
    expect(report.locator("table")).to_have_count(0)
    expect(textarea).to_have_value(re.compile(r"^publiccodeYmlVersion: '0\.4'"))
    axe.check(page)

    # A broken file: every problem with its key path and severity.
    broken = (
        yaml_text.replace("developmentStatus: stable", "developmentStatus: finished")
        .replace("name: Eva Smit", "naam: Eva Smit")
        .replace("license: EUPL-1.2", "license: EUPL-1.2 OR")
    )
    textarea.fill(broken + "colour: blue\n")
    submit(page, check)
    expect(report.locator(".publiccode-invalid")).to_be_visible()
    rows = report.locator("tbody tr")
    expect(rows.locator("td:first-child")).to_have_text(
        [
            "developmentStatus",
            "legal.license",
            "maintenance.contacts[0].name",
            "maintenance.contacts[0].naam",
            "colour",
        ]
    )
    expect(rows.locator("td:nth-child(2)")).to_have_text(
        [
            t("Error", "nl"),
            t("Error", "nl"),
            t("Error", "nl"),
            t("Warning", "nl"),
            t("Warning", "nl"),
        ]
    )
    expect(textarea).to_have_value(re.compile("developmentStatus: finished"))
    axe.check(page)

    # Pasting and uploading at once is refused, with the summary.
    upload = tmp_path / "other.yml"
    upload.write_text("name: x\n", encoding="utf-8")
    validator.get_by_label(field(t, "Or upload the file")).set_input_files(upload)
    submit(page, check)
    expect(main.get_by_role("alert")).to_contain_text(
        t("Paste the text or upload a file, not both.", "nl")
    )
    axe.check(page)
    axe.done()


# --- The categories' filter -------------------------------------------------------------------

PHONE = {"width": 320, "height": 640}
SCROLL = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture
def dutch_labels(monkeypatch):
    """A few Dutch labels, whether or not the catalogue has them yet (the live server runs in this
    process, so it shows them)."""
    dutch = trans_real.translation("nl")
    monkeypatch.setattr(dutch, "_catalog", CatalogueWithExtras(dutch._catalog, DUTCH))


def fold(text):
    """What categories.js compares: no accents, lower case, letters and digits only."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return "".join(c for c in kept.lower() if c.isalnum())


def dutch_categories():
    """{slug: label} as the Dutch page shows them."""
    with translation.override("nl"):
        return {
            slug: str(label)
            for _group, categories in schema.CATEGORY_GROUPS
            for slug, label in categories
        }


def matching(query, chosen=()):
    """The slugs the filter shows for ``query``: label or slug contains it, or chosen."""
    wanted = fold(query)
    return {
        slug
        for slug, label in dutch_categories().items()
        if wanted in fold(f"{label} {slug}") or slug in chosen
    }


def no_horizontal_scroll(page):
    scroll_width, width = page.evaluate(SCROLL)
    assert scroll_width <= width, f"horizontal scroll at {width} px: {scroll_width} px wide"


def fill_the_rest(form, t):
    """Everything the generator requires, apart from the categories."""
    form.get_by_label(field(t, "Name of the software")).fill("Meent")
    form.get_by_label(field(t, "Repository URL")).fill("https://github.com/example/meent.git")
    form.get_by_label(field(t, "Development status")).select_option("stable")
    form.get_by_label(field(t, "Type of software")).select_option("standalone/web")
    form.get_by_role("group", name=field(t, "Platforms")).get_by_label(
        t("Web", "nl"), exact=True
    ).check()
    form.get_by_label(t("Internal: maintained by the owner of the repository", "nl")).check()
    form.get_by_label(field(t, "First contact: name")).fill("Eva Smit")
    form.get_by_label(field(t, "First contact: e-mail address")).fill("eva@example.nl")
    form.get_by_label(field(t, "Short description in Dutch")).fill("Samenwerken over grenzen heen")
    form.get_by_label(field(t, "Long description in Dutch")).fill(LONG_NL)
    form.get_by_label(field(t, "Features in Dutch")).fill("Groepen\nWiki\nChat")


def test_filter_the_categories_choose_and_generate(page, t, dutch_labels):
    url = make_tool()
    axe = AxeChecker()
    page.goto(url)
    form = page.locator("main form.form")
    categories = form.get_by_role("group", name=field(t, "Categories"))
    items = categories.locator("[data-category]")
    shown = categories.locator("[data-category]:visible")
    groups_shown = categories.locator("[data-category-group]:visible")
    count = categories.locator("[data-category-count]")
    labels = dutch_categories()

    # The filter is there (the script unhid it), everything shows, in groups a screen reader hears.
    search = categories.get_by_role("searchbox", name=t("Filter categories", "nl"))
    expect(search).to_be_visible()
    expect(items).to_have_count(len(schema.CATEGORIES))
    expect(shown).to_have_count(len(schema.CATEGORIES))
    expect(categories.get_by_role("group", name=t("Finance and procurement", "nl"))).to_be_visible()
    expect(count).to_have_text("")
    axe.check(page)

    def expect_shown(slugs):
        expect(shown).to_have_count(len(slugs))
        for slug in slugs:
            expect(categories.get_by_label(labels[slug], exact=True)).to_be_visible()
        if len(slugs) == 1:
            expect(count).to_have_text(t("1 category shown", "nl"))
        elif slugs:
            with translation.override("nl"):
                many = translation.gettext("%(count)s categories shown")
            expect(count).to_have_text(many % {"count": len(slugs)})
        else:
            expect(count).to_have_text(t("No category matches the filter.", "nl"))

    # Case and accents do not count: "FACTUUR" finds "Facturering en factuurverwerking".
    search.fill("FACTUUR")
    assert matching("FACTUUR") == {"billing-and-invoicing"}
    expect_shown(["billing-and-invoicing"])
    expect(groups_shown).to_have_count(1)
    expect(categories.get_by_role("group", name=t("Finance and procurement", "nl"))).to_be_visible()
    axe.check(page)

    # Enter filters; it does not send the form.
    page.evaluate("() => { window.stillHere = true; }")
    search.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.stillHere === true")
    expect(page.locator("main").get_by_role("alert")).to_have_count(0)

    # Nothing matches: no category, no group, and the live region says so.
    search.fill("zzzz")
    expect_shown([])
    expect(groups_shown).to_have_count(0)

    # "financiele" finds "Financiële verslaglegging"; choose it.
    search.fill("financiele")
    found = matching("financiele")
    assert "financial-reporting" in found
    expect_shown(sorted(found))
    categories.get_by_label(labels["financial-reporting"], exact=True).check()

    # Another filter: the chosen category stays visible beside what matches.
    search.fill("crm")
    assert matching("crm") == {"crm"}
    expect_shown(["crm", "financial-reporting"])
    categories.get_by_label(labels["crm"], exact=True).check()
    search.fill("zzzz")
    expect_shown(["crm", "financial-reporting"])
    expect(categories.get_by_label(labels["crm"], exact=True)).to_be_checked()
    axe.check(page)

    # On a phone: no horizontal scroll, filtered or not.
    page.set_viewport_size(PHONE)
    no_horizontal_scroll(page)
    axe.check(page)
    search.fill("")
    expect_shown(sorted(schema.CATEGORIES))
    no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Generate: the file holds the standard's words, the form shows the choice again.
    fill_the_rest(form, t)
    submit(page, form.get_by_role("button", name=t("Generate publiccode.yml", "nl")))
    result = page.locator("main").get_by_role("region", name=t("Your publiccode.yml", "nl"))
    yaml_text = result.locator("pre").inner_text()
    assert schema.validate_text(yaml_text).problems == []
    assert "categories:\n  - financial-reporting\n  - crm\n" in yaml_text, yaml_text
    categories = page.locator("main form.form").get_by_role("group", name=field(t, "Categories"))
    expect(categories.locator("input:checked")).to_have_count(2)
    expect(categories.locator("[data-category]:visible")).to_have_count(len(schema.CATEGORIES))
    axe.check(page)
    axe.done()


def test_without_javascript_every_category_shows_and_the_filter_does_not(browser, server, t):
    make_tool()
    context = browser.new_context(base_url=server.url, locale="nl-NL", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/toolbox/publiccode/")
        categories = page.locator("main form.form").get_by_role(
            "group", name=field(t, "Categories")
        )
        expect(categories.locator("[data-category]:visible")).to_have_count(len(schema.CATEGORIES))
        expect(categories.get_by_role("searchbox")).to_have_count(0)
        expect(categories.locator("[data-category-group]:visible")).to_have_count(
            len(schema.CATEGORY_GROUPS)
        )
    finally:
        context.close()
