"""The publiccode.yml schema: valid files, invalid ones with the exact key paths, hostile input,
the licence expression parser, and generate → validate."""

import contextlib
import datetime
import re
import signal
import textwrap

import langcodes
import pytest
import yaml
from django.utils import translation

from toolbox.publiccode import schema


@contextlib.contextmanager
def no_hang(seconds=60):
    """Fails a check that does not finish: a guard against input that makes the validator run
    away (an expanded anchor bomb, quadratic work), not a measure of speed (that is
    `make bench`), so it allows a machine under any load a wide margin."""

    def stop(signum, frame):
        raise AssertionError(f"still checking after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


LONG_NL = (
    "Meent is een platform waarop ambtenaren van verschillende organisaties samenwerken in "
    "groepen, met een wiki, blogs en een chat. Gemeenten, provincies en rijksdiensten delen er "
    "kennis en werken samen aan open-source software."
)
LONG_EN = (
    "Meent is a platform on which civil servants of different organisations work together in "
    "groups, with a wiki, blogs and a chat. Municipalities, provinces and national agencies share "
    "knowledge there and build open-source software together."
)

FULL = textwrap.dedent(
    f"""\
    publiccodeYmlVersion: "0.4"
    name: Meent
    applicationSuite: Samenwerken
    url: "https://github.com/example/meent.git"
    landingURL: "https://meent.example.nl"
    isBasedOn: "https://github.com/example/pleio.git"
    softwareVersion: "1.4.2"
    releaseDate: 2025-03-14
    logo: docs/logo.svg
    platforms:
      - web
      - android
      - ios
    categories:
      - collaboration
      - knowledge-management
      - instant-messaging
    usedBy:
      - Gemeente Utrecht
      - Provincie Gelderland
    roadmap: "https://meent.example.nl/roadmap"
    developmentStatus: stable
    softwareType: standalone/web
    intendedAudience:
      countries: [nl, be]
      scope: [government]
    description:
      nl:
        localisedName: Meent
        shortDescription: Samenwerkingsplatform voor de publieke sector
        longDescription: >
          {LONG_NL}
        documentation: "https://meent.example.nl/docs"
        apiDocumentation: "https://meent.example.nl/api"
        features:
          - Groepen over organisaties heen
          - Wiki met versies
          - Realtime chat
        screenshots:
          - docs/screenshots/home.png
        videos:
          - "https://www.youtube.com/watch?v=abc"
      en-GB:
        shortDescription: Collaboration platform for the public sector
        longDescription: |
          {LONG_EN}
        features:
          - Groups across organisations
    legal:
      license: EUPL-1.2 OR (MIT AND Apache-2.0)
      mainCopyrightOwner: Gemeente Voorbeeld
      repoOwner: Gemeente Voorbeeld
    maintenance:
      type: contract
      contractors:
        - name: Voorbeeld B.V.
          until: 2027-12-31
          email: onderhoud@voorbeeld.nl
          website: "https://voorbeeld.nl"
      contacts:
        - name: Eva Smit
          email: eva.smit@example.nl
          phone: "+31 30 123 4567"
          affiliation: Gemeente Voorbeeld
    localisation:
      localisationReady: true
      availableLanguages:
        - nl
        - en
        - fy
    dependsOn:
      open:
        - name: PostgreSQL
          versionMin: "14"
        - name: Redis
          optional: true
      hardware:
        - name: Server
    it:
      countryExtensionVersion: "1.0"
    """
)

MINIMAL = textwrap.dedent(
    f"""\
    publiccodeYmlVersion: "0.4"
    name: Medusa
    url: "https://example.com/medusa.git"
    platforms:
      - web
    developmentStatus: development
    softwareType: standalone/desktop
    description:
      en:
        shortDescription: A rather short description
        longDescription: "{LONG_EN}"
        features:
          - Just one feature
    legal:
      license: AGPL-3.0-or-later
    maintenance:
      type: community
      contacts:
        - name: Francesco Rossi
    localisation:
      localisationReady: true
      availableLanguages:
        - en
    """
)


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The messages are checked in English (the msgids); Dutch is the site's default."""
    with translation.override("en"):
        yield


def load(text):
    return yaml.safe_load(text)


def check(data):
    """Validate a document given as Python data, through YAML text (as a person would send it)."""
    return schema.validate_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def problems(report, severity=None):
    return [(p.path, p.severity) for p in report.problems if severity in (None, p.severity)]


def error_paths(report):
    return report.paths(schema.ERROR)


# --- Valid files -----------------------------------------------------------------------------


def test_full_realistic_file_is_valid_without_problems():
    report = schema.validate_text(FULL)
    assert report.problems == []
    assert report.is_valid
    assert report.data["description"]["nl"]["features"][2] == "Realtime chat"
    assert report.data["releaseDate"] == datetime.date(2025, 3, 14)


def test_minimal_file_is_valid():
    report = schema.validate_text(MINIMAL)
    assert report.problems == []
    assert report.is_valid


def test_bytes_with_utf8_bom_are_read():
    report = schema.validate_text(b"\xef\xbb\xbf" + MINIMAL.replace("Medusa", "Méduse").encode())
    assert report.is_valid
    assert report.data["name"] == "Méduse"


def test_platforms_may_be_one_string_and_values_outside_the_list():
    data = load(MINIMAL)
    data["platforms"] = "linux"
    assert check(data).problems == []
    data["platforms"] = ["web", "raspberry-pi"]
    assert check(data).problems == []


# --- Invalid files: exact key paths ---------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "publiccodeYmlVersion",
        "name",
        "url",
        "platforms",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    ],
)
def test_each_missing_mandatory_top_level_key_is_an_error_at_its_path(key):
    data = load(MINIMAL)
    del data[key]
    report = check(data)
    assert not report.is_valid
    assert error_paths(report) == [key]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.update(developmentStatus="finished"), "developmentStatus"),
        (lambda d: d.update(softwareType="standalone"), "softwareType"),
        (lambda d: d.update(categories=["collaboration", "stuff"]), "categories[1]"),
        (lambda d: d.update(url="not a url"), "url"),
        (lambda d: d.update(landingURL="ftp://example.com"), "landingURL"),
        (lambda d: d.update(releaseDate="14-03-2025"), "releaseDate"),
        (lambda d: d.update(releaseDate="2025-02-30"), "releaseDate"),
        (lambda d: d["legal"].update(license="Proprietary"), "legal.license"),
        (lambda d: d["legal"].update(license="MIT AND"), "legal.license"),
        (lambda d: d["legal"].update(license="(MIT OR Apache-2.0"), "legal.license"),
        (lambda d: d["maintenance"].update(type="sometimes"), "maintenance.type"),
        (lambda d: d["maintenance"]["contacts"][0].pop("name"), "maintenance.contacts[0].name"),
        (
            lambda d: d["maintenance"]["contacts"][0].update(email="no-at-sign"),
            "maintenance.contacts[0].email",
        ),
        (lambda d: d["localisation"].pop("localisationReady"), "localisation.localisationReady"),
        (
            lambda d: d["localisation"].update(localisationReady="yes"),
            "localisation.localisationReady",
        ),
        (
            lambda d: d["localisation"].update(availableLanguages=["nl", "123"]),
            "localisation.availableLanguages[1]",
        ),
        (
            lambda d: d["localisation"].update(availableLanguages=[]),
            "localisation.availableLanguages",
        ),
        (
            lambda d: d["description"]["en"].update(shortDescription="x" * 151),
            "description.en.shortDescription",
        ),
        (
            lambda d: d["description"]["en"].update(longDescription="Too short."),
            "description.en.longDescription",
        ),
        (
            lambda d: d["description"]["en"].update(longDescription="x" * 10_001),
            "description.en.longDescription",
        ),
        (
            lambda d: d["description"]["en"].pop("shortDescription"),
            "description.en.shortDescription",
        ),
        (lambda d: d["description"]["en"].pop("longDescription"), "description.en.longDescription"),
        (lambda d: d["description"]["en"].pop("features"), "description.en.features"),
        (lambda d: d["description"]["en"].update(features=[]), "description.en.features"),
        (
            lambda d: d["description"]["en"].update(documentation="docs/index.html"),
            "description.en.documentation",
        ),
        (
            lambda d: d["description"].update(english=d["description"].pop("en")),
            "description.english",
        ),
        (lambda d: d.update(description={}), "description"),
        (lambda d: d["maintenance"].pop("contacts"), "maintenance.contacts"),
        (lambda d: d.update(dependsOn={"open": [{"version": "1"}]}), "dependsOn.open[0].name"),
        (lambda d: d.update(publiccodeYmlVersion="1.0"), "publiccodeYmlVersion"),
        (lambda d: d.update(publiccodeYmlVersion="latest"), "publiccodeYmlVersion"),
    ],
)
def test_invalid_values_are_errors_at_exact_key_paths(change, path):
    data = load(MINIMAL)
    change(data)
    report = check(data)
    assert error_paths(report) == [path]
    assert all(p.message for p in report.problems)


def test_contract_maintenance_needs_contractors_and_internal_needs_contacts():
    data = load(MINIMAL)
    data["maintenance"] = {"type": "contract"}
    assert error_paths(check(data)) == ["maintenance.contractors"]
    data["maintenance"] = {"type": "internal"}
    assert error_paths(check(data)) == ["maintenance.contacts"]
    data["maintenance"] = {"type": "none"}
    assert check(data).problems == []
    data["maintenance"] = {"type": "contract", "contractors": [{"name": "Acme"}]}
    assert error_paths(check(data)) == ["maintenance.contractors[0].until"]


def test_several_problems_are_all_reported_with_their_paths():
    data = load(MINIMAL)
    data["name"] = ""
    data["description"]["en"]["shortDescription"] = "y" * 200
    data["maintenance"]["contacts"].append({"email": "a@b.nl"})
    report = check(data)
    assert error_paths(report) == [
        "name",
        "description.en.shortDescription",
        "maintenance.contacts[1].name",
    ]


def test_unknown_and_deprecated_keys_are_warnings_not_errors():
    data = load(MINIMAL)
    data["colour"] = "blue"
    data["description"]["en"]["slogan"] = "Fast"
    data["maintenance"]["contacts"][0]["twitter"] = "@rossi"
    data["description"]["en"]["genericName"] = "Text editor"
    data["legal"]["license"] = "GPL-3.0+"
    report = check(data)
    assert report.is_valid
    assert problems(report) == [
        ("description.en.slogan", schema.WARNING),
        ("description.en.genericName", schema.WARNING),
        ("legal.license", schema.WARNING),
        ("maintenance.contacts[0].twitter", schema.WARNING),
        ("colour", schema.WARNING),
    ]


def test_old_standard_version_is_a_warning():
    report = schema.validate_text(MINIMAL.replace('"0.4"', '"0.2"'))
    assert report.is_valid
    assert problems(report) == [("publiccodeYmlVersion", schema.WARNING)]
    assert schema.validate_text(MINIMAL.replace('"0.4"', '"0.5"')).problems == []


def test_problems_carry_the_line_of_their_key():
    text = MINIMAL.replace("developmentStatus: development", "developmentStatus: done")
    (problem,) = schema.validate_text(text).problems
    assert (problem.path, problem.line) == ("developmentStatus", 6)


# --- Wrong types at every level ------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.update(name=42), "name"),
        (lambda d: d.update(name=["a", "b"]), "name"),
        (lambda d: d.update(publiccodeYmlVersion=0.4), "publiccodeYmlVersion"),
        (lambda d: d.update(softwareVersion=1.2), "softwareVersion"),
        (lambda d: d.update(platforms={"web": True}), "platforms"),
        (lambda d: d.update(categories="collaboration"), "categories"),
        (lambda d: d.update(description=["en"]), "description"),
        (lambda d: d["description"].update(en="text"), "description.en"),
        (lambda d: d["description"]["en"].update(features="one"), "description.en.features"),
        (lambda d: d["description"]["en"].update(features=[1]), "description.en.features[0]"),
        (
            lambda d: d["description"]["en"].update(shortDescription=None),
            "description.en.shortDescription",
        ),
        (lambda d: d.update(legal="MIT"), "legal"),
        (lambda d: d["legal"].update(license=["MIT"]), "legal.license"),
        (lambda d: d.update(maintenance=[{"type": "none"}]), "maintenance"),
        (lambda d: d["maintenance"].update(contacts={"name": "x"}), "maintenance.contacts"),
        (lambda d: d["maintenance"].update(contacts=["Rossi"]), "maintenance.contacts[0]"),
        (
            lambda d: d["maintenance"]["contacts"][0].update(name={"first": "F"}),
            "maintenance.contacts[0].name",
        ),
        (
            lambda d: d["localisation"].update(availableLanguages="en"),
            "localisation.availableLanguages",
        ),
        (lambda d: d.update(releaseDate=20250314), "releaseDate"),
        (lambda d: d.update(dependsOn={"open": {"name": "x"}}), "dependsOn.open"),
        (lambda d: d.update(it="yes"), "it"),
    ],
)
def test_wrong_types_are_errors_with_key_paths_never_exceptions(change, path):
    data = load(MINIMAL)
    change(data)
    report = check(data)
    assert path in error_paths(report)
    assert not report.is_valid


def test_a_number_where_text_is_expected_suggests_quotes():
    report = schema.validate_text(MINIMAL.replace('"0.4"', "0.4"))
    (problem,) = report.problems
    assert problem.path == "publiccodeYmlVersion"
    assert "quotes" in problem.message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("- a\n- b\n", "list"),
        ("just text\n", "text"),
        ("42\n", "number"),
        ("# only a comment\n", "empty"),
        ("   \n", "empty"),
    ],
)
def test_a_document_that_is_not_a_mapping_is_one_error_for_the_whole_file(text, fragment):
    report = schema.validate_text(text)
    assert [(p.path, p.severity) for p in report.problems] == [("", schema.ERROR)]


# --- Hostile input ----------------------------------------------------------------------------


def test_anchors_bomb_is_refused_quickly():
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for level in range(ord("b"), ord("j")):
        previous = chr(level - 1)
        bomb += f"{chr(level)}: &{chr(level)} [" + ",".join([f"*{previous}"] * 9) + "]\n"
    with no_hang():
        report = schema.validate_text(bomb)
    (problem,) = report.problems
    assert (problem.path, problem.severity, problem.line) == ("", schema.ERROR, 1)
    assert "&" in problem.message


def test_an_alias_alone_is_refused():
    (problem,) = schema.validate_text(MINIMAL + "copy: *nothing\n").problems
    assert problem.severity == schema.ERROR and problem.path == ""


@pytest.mark.parametrize(
    "tagged",
    [
        "name: !!python/object/apply:os.system ['echo hi']\n",
        "name: !!python/object:builtins.dict {}\n",
        "name: !!python/name:os.system\n",
        "name: !!binary aGVsbG8=\n",
        "name: !custom thing\n",
        "!!set {a, b}\n",
    ],
)
def test_unsafe_tags_are_refused(tagged):
    report = schema.validate_text(tagged)
    (problem,) = report.problems
    assert problem.severity == schema.ERROR
    assert "tag" in problem.message.lower()


def test_input_over_the_size_limit_gets_a_clean_report_before_parsing():
    huge = "name: " + "x" * (5 * 1024 * 1024) + "\n"
    for payload in (huge, huge.encode()):
        with no_hang():
            (problem,) = schema.validate_text(payload).problems
        assert problem.path == "" and problem.severity == schema.ERROR
        assert "1048576" in problem.message


def test_input_just_under_the_limit_is_still_checked_quickly():
    padding = "# " + "x" * 1000 + "\n"
    text = MINIMAL + padding * ((schema.MAX_BYTES - len(MINIMAL)) // len(padding))
    assert len(text.encode()) <= schema.MAX_BYTES
    with no_hang():
        assert schema.validate_text(text).problems == []


def test_non_utf8_input_is_reported():
    latin1 = MINIMAL.replace("Medusa", "Méduse").encode("latin-1")
    (problem,) = schema.validate_text(latin1).problems
    assert problem.severity == schema.ERROR
    assert "UTF-8" in problem.message
    assert "line 2" in problem.message


def test_utf16_input_is_reported_as_not_utf8():
    (problem,) = schema.validate_text(MINIMAL.encode("utf-16")).problems
    assert "UTF-8" in problem.message


def test_yaml_syntax_errors_report_line_and_column():
    broken = MINIMAL.replace("  en:\n", "  en:\n    bad: [unclosed\n", 1)
    (problem,) = schema.validate_text(broken).problems
    assert problem.severity == schema.ERROR
    assert problem.line is not None and problem.column is not None
    assert f"line {problem.line}" in problem.message


def test_tab_indentation_is_a_syntax_error_not_an_exception():
    (problem,) = schema.validate_text("name: x\n\tbad: y\n").problems
    assert problem.line == 2


def test_duplicate_keys_are_reported_at_their_path_and_line():
    text = MINIMAL.replace("name: Medusa\n", "name: Medusa\nname: Other\n")
    report = schema.validate_text(text)
    assert problems(report) == [("name", schema.ERROR)]
    assert report.problems[0].line == 3
    assert report.data["name"] == "Medusa"


def test_nested_duplicate_keys_are_reported():
    text = MINIMAL.replace("type: community\n", "type: community\n  type: none\n")
    report = schema.validate_text(text)
    assert problems(report) == [("maintenance.type", schema.ERROR)]


@pytest.mark.parametrize(
    "deep",
    [
        "a: " + "[" * 5000 + "]" * 5000 + "\n",
        "a: " + "{b: " * 3000 + "1" + "}" * 3000 + "\n",
        "".join("  " * level + f"k{level}:\n" for level in range(200)) + "  " * 200 + "v\n",
        "a:\n" + "".join("  " * level + "-\n" for level in range(1, 60)) + "  " * 60 + "- x\n",
    ],
    ids=["flow lists", "flow mappings", "block mappings", "block lists"],
)
def test_deeply_nested_input_is_refused_with_a_report(deep):
    with no_hang():
        (problem,) = schema.validate_text(deep).problems
    assert (problem.path, problem.severity) == ("", schema.ERROR)
    # Our own limit, or libyaml's (1000 levels) when its scanner meets the depth first.
    assert "nested more than 20 levels" in problem.message or "nesting depth" in problem.message


def test_more_than_one_document_is_refused():
    (problem,) = schema.validate_text(MINIMAL + "---\nname: second\n").problems
    assert problem.severity == schema.ERROR and problem.line is not None


def test_a_list_as_key_is_reported_not_raised():
    report = schema.validate_text("? [a, b]\n: value\n")
    assert ("", schema.ERROR) in problems(report)


def test_control_characters_are_reported():
    report = schema.validate_text("name: a\x00b\n")
    assert [p.path for p in report.problems] == [""]


# --- Licence expressions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "tree"),
    [
        ("EUPL-1.2", ("id", "EUPL-1.2")),
        ("eupl-1.2", ("id", "EUPL-1.2")),
        ("MIT OR Apache-2.0", ("OR", ("id", "MIT"), ("id", "Apache-2.0"))),
        (
            "MIT AND BSD-2-Clause OR CC0-1.0",
            ("OR", ("AND", ("id", "MIT"), ("id", "BSD-2-Clause")), ("id", "CC0-1.0")),
        ),
        (
            "MIT AND (BSD-3-Clause OR CC-BY-4.0)",
            ("AND", ("id", "MIT"), ("OR", ("id", "BSD-3-Clause"), ("id", "CC-BY-4.0"))),
        ),
        (
            "GPL-2.0-or-later WITH Classpath-exception-2.0",
            ("WITH", ("id", "GPL-2.0-or-later"), "Classpath-exception-2.0"),
        ),
        ("MPL-2.0+", ("id", "MPL-2.0+")),
        ("((LGPL-3.0-only))", ("id", "LGPL-3.0-only")),
        ("mit or agpl-3.0-or-later", ("OR", ("id", "MIT"), ("id", "AGPL-3.0-or-later"))),
    ],
)
def test_licence_expressions_parse(expression, tree):
    assert schema.parse_licence(expression) == (tree, [])


@pytest.mark.parametrize(
    "expression",
    [
        "",
        "Proprietary",
        "MIT AND",
        "OR MIT",
        "(MIT",
        "MIT)",
        "MIT Apache-2.0",
        "MIT WITH",
        "MIT WITH Made-up-exception",
        "MIT, Apache-2.0",
        "MIT Or Apache-2.0",
        "()",
    ],
)
def test_invalid_licence_expressions_raise(expression):
    with pytest.raises(ValueError):
        schema.parse_licence(expression)


def test_licence_refs_and_deprecated_ids_give_warnings():
    assert schema.parse_licence("LicenseRef-gemeente")[1]
    tree, warnings = schema.parse_licence("GPL-2.0 OR MIT")
    assert tree == ("OR", ("id", "GPL-2.0-only"), ("id", "MIT"))
    assert len(warnings) == 1 and "GPL-2.0-only" in warnings[0]


def test_every_offered_licence_is_known():
    for licence, _label in schema.COMMON_LICENCES:
        assert schema.parse_licence(licence) == (("id", licence), [])
    assert schema.COMMON_LICENCES[0][0] == "EUPL-1.2"


def test_every_spdx_licence_the_library_knows_is_known():
    # The hand-written parser knew only a list of its own and refused real SPDX ids.
    assert schema.parse_licence("AAL") == (("id", "AAL"), [])
    assert schema.parse_licence("zlib AND libpng") == (
        ("AND", ("id", "Zlib"), ("id", "Libpng")),
        [],
    )
    assert schema.parse_licence("Apache-2.0 WITH llvm-exception") == (
        ("WITH", ("id", "Apache-2.0"), "LLVM-exception"),
        [],
    )


@pytest.mark.parametrize(
    ("expression", "tree"),
    [
        ("MIT OR ISC OR 0BSD", ("OR", ("OR", ("id", "MIT"), ("id", "ISC")), ("id", "0BSD"))),
        ("(MIT OR ISC) OR 0BSD", ("OR", ("OR", ("id", "MIT"), ("id", "ISC")), ("id", "0BSD"))),
        ("MIT OR (ISC OR 0BSD)", ("OR", ("id", "MIT"), ("OR", ("id", "ISC"), ("id", "0BSD")))),
        ("MIT AND MIT", ("AND", ("id", "MIT"), ("id", "MIT"))),
        ("DocumentRef-x:LicenseRef-y", ("ref", "DocumentRef-x:LicenseRef-y")),
    ],
)
def test_licence_trees_keep_their_shape(expression, tree):
    assert schema.parse_licence(expression)[0] == tree


@pytest.mark.parametrize(
    "expression",
    [
        # WITH follows one licence id (SPDX annex D); the hand-written parser took these.
        "(MIT OR ISC) WITH LLVM-exception",
        "(Apache-2.0 WITH LLVM-exception) WITH LLVM-exception",
    ],
)
def test_with_follows_a_single_licence(expression):
    with pytest.raises(ValueError, match="WITH"):
        schema.parse_licence(expression)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("", "empty"),
        ("MIT, Apache-2.0", "character"),
        ("MIT Or Apache-2.0", "Unexpected “Or”"),
        ("MIT Apache-2.0", "Unexpected “Apache-2.0”"),
        ("OR MIT", "missing before “OR”"),
        ("WITH MIT", "missing before “WITH”"),
        ("(MIT", "not closed"),
        ("MIT)", "no opening one"),
        ("MIT AND", "ends too early"),
        ("()", "ends too early"),
        ("MIT WITH", "must be followed by a licence exception"),
        ("MIT WITH GPL-3.0-only", "“GPL-3.0-only” is not a known SPDX licence exception"),
        ("Proprietary", "“Proprietary” is not a known SPDX licence id"),
        ("GPL 2.0", "“GPL 2.0” is not a valid licence id"),
        ("LicenseRef-a+", "“LicenseRef-a+” is not a known SPDX licence id"),
    ],
)
def test_licence_messages_say_what_is_wrong(expression, message):
    with translation.override("en"), pytest.raises(ValueError, match=re.escape(message)):
        schema.parse_licence(expression)


def test_deep_licence_expressions_do_not_crash():
    # The hand-written recursive parser ran out of stack on deep nesting.
    assert schema.parse_licence("(" * 5000 + "MIT" + ")" * 5000) == (("id", "MIT"), [])
    with pytest.raises(ValueError):
        schema.parse_licence("(" * 50_000)


# --- Language tags ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag", ["nl", "en", "en-GB", "fy-NL", "zh-Hant-TW", "sl-IT-nedis", "pap", "es-419"]
)
def test_valid_language_tags(tag):
    assert schema.is_language_tag(tag)


@pytest.mark.parametrize("tag", ["", "e", "english-language", "123", "nl_NL", "-nl", "nl-", 12])
def test_invalid_language_tags(tag):
    assert not schema.is_language_tag(tag)


@pytest.mark.parametrize("tag", ["xx", "xxx", "nl-Latx", "zz-ZZ", "de-1901-1901", "en-a-bb-a-cc"])
def test_well_formed_tags_that_mean_nothing_are_not_language_tags(tag):
    # The hand-written syntax check took these; langcodes checks them against the IANA registry.
    assert not schema.is_language_tag(tag)


@pytest.mark.parametrize("tag", ["i-klingon", "sgn-BE-FR", "en-US-u-ca-gregory", "nl-x-fries"])
def test_grandfathered_tags_and_extensions_are_language_tags(tag):
    assert schema.is_language_tag(tag)


def test_checking_tags_does_not_grow_langcodes_cache():
    # Language.get remembers every tag it parses; tags come from anyone's file.
    before = len(langcodes.Language._PARSE_CACHE)
    for number in range(500):
        assert schema.is_language_tag(f"nl-NL-x-n{number}")
    assert len(langcodes.Language._PARSE_CACHE) == before


# --- Generating -------------------------------------------------------------------------------


def generator_data(**changes):
    data = {
        "name": "Meent",
        "url": "https://github.com/example/meent.git",
        "landing_url": "https://meent.example.nl",
        "software_version": "2.0",
        "release_date": datetime.date(2025, 6, 1),
        "development_status": "stable",
        "software_type": "standalone/web",
        "platforms": ["web", "linux"],
        "categories": ["collaboration", "knowledge-management"],
        "licence": "EUPL-1.2",
        "maintenance_type": "internal",
        "contacts": [{"name": "Eva Smit", "email": "eva@example.nl"}, {"name": "", "email": ""}],
        "contractor_name": "",
        "contractor_until": None,
        "localisation_ready": True,
        "available_languages": ["nl", "en"],
        "description_nl_short": "Samenwerken over organisaties heen",
        "description_nl_long": LONG_NL.replace(". ", ".\r\n"),
        "description_nl_features": "Groepen\r\nWiki\r\n\r\nChat met “aanhalingstekens”: ja\r\n",
        "description_en_short": "Working together across organisations",
        "description_en_long": LONG_EN,
        "description_en_features": "Groups\nWiki",
    }
    data.update(changes)
    return data


def test_generated_file_validates_with_zero_problems_and_keeps_the_standards_order():
    text = schema.generate(generator_data())
    report = schema.validate_text(text)
    assert report.problems == []
    assert list(report.data) == [
        "publiccodeYmlVersion",
        "name",
        "url",
        "landingURL",
        "softwareVersion",
        "releaseDate",
        "platforms",
        "categories",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    ]
    assert report.data["publiccodeYmlVersion"] == schema.GENERATED_VERSION
    assert report.data["releaseDate"] == "2025-06-01"
    assert report.data["description"]["nl"]["features"] == [
        "Groepen",
        "Wiki",
        "Chat met “aanhalingstekens”: ja",
    ]
    assert report.data["description"]["nl"]["longDescription"] == LONG_NL.replace(". ", ".\n")
    assert report.data["maintenance"] == {
        "type": "internal",
        "contacts": [{"name": "Eva Smit", "email": "eva@example.nl"}],
    }
    assert "“aanhalingstekens”" in text  # allow_unicode: no \u escapes
    assert "longDescription: |" in text  # several lines: a literal block
    assert "!!" not in text


def test_generated_minimal_file_without_optional_parts_is_valid():
    data = generator_data(
        landing_url="",
        software_version="",
        release_date=None,
        categories=[],
        description_en_short="",
        description_en_long="",
        description_en_features="",
        maintenance_type="none",
        contacts=[],
    )
    text = schema.generate(data)
    report = schema.validate_text(text)
    assert report.problems == []
    assert list(report.data["description"]) == ["nl"]
    assert "landingURL" not in report.data and "categories" not in report.data


def test_generated_contract_maintenance_has_a_contractor():
    data = generator_data(
        maintenance_type="contract",
        contacts=[],
        contractor_name="Voorbeeld B.V.",
        contractor_until=datetime.date(2027, 1, 1),
    )
    report = schema.validate_text(schema.generate(data))
    assert report.problems == []
    assert report.data["maintenance"]["contractors"] == [
        {"name": "Voorbeeld B.V.", "until": "2027-01-01"}
    ]


@pytest.mark.parametrize(("licence", "_label"), schema.COMMON_LICENCES)
def test_every_licence_choice_generates_a_valid_file(licence, _label):
    assert schema.validate_text(schema.generate(generator_data(licence=licence))).problems == []


def test_generated_text_that_looks_like_yaml_stays_text():
    data = generator_data(
        name="yes", software_version="1.0", description_nl_short="- null: &anchor *alias #"
    )
    report = schema.validate_text(schema.generate(data))
    assert report.problems == []
    assert report.data["name"] == "yes"
    assert report.data["softwareVersion"] == "1.0"
    assert report.data["description"]["nl"]["shortDescription"] == "- null: &anchor *alias #"


def test_validate_data_reports_on_a_built_document():
    document = schema.build_document(generator_data(description_nl_short="x" * 151))
    report = schema.validate_data(document)
    assert error_paths(report) == ["description.nl.shortDescription"]


def test_a_long_list_just_under_the_limit_is_checked_in_reasonable_time():
    text = MINIMAL + "usedBy:\n" + "".join(f"  - Gemeente {i}\n" for i in range(50_000))
    assert len(text.encode()) <= schema.MAX_BYTES
    with no_hang():
        report = schema.validate_text(text)
    assert report.problems == []
    assert len(report.data["usedBy"]) == 50_000


def test_an_impossible_unquoted_date_is_reported_at_its_path():
    report = schema.validate_text(MINIMAL + "releaseDate: 2025-13-45\n")
    assert problems(report) == [("releaseDate", schema.ERROR)]
    assert report.problems[0].line == 24
