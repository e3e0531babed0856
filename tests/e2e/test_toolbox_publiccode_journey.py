"""The publiccode.yml tool in the browser: generate a file, download it, check it in the validator,
check a broken one; axe on every state of both pages. No JavaScript of ours is involved."""

import re

from playwright.sync_api import expect

from meent.home.models import HomePage
from tests.e2e.axe import AxeChecker
from tests.e2e.helpers import field, path_is, submit
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
        "collaboration", exact=True
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
