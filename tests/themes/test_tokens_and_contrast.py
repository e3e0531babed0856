"""Token validation per type (and every injection pattern), and the WCAG contrast maths."""

import pytest
from django.core.exceptions import ValidationError

from themes import contrast, tokens
from themes.css import base_theme_css


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#154273", "#154273"),
        ("#FFF", "#ffffff"),
        ("#AbCdEf", "#abcdef"),
        (" #000 ", "#000000"),
        ("rgb(21, 66, 115)", "#154273"),
        ("RGB(255 255 255)", "#ffffff"),
        ("hsl(0, 100%, 50%)", "#ff0000"),
        ("hsl(120 100% 25%)", "#008000"),
        ("hsl(211deg, 69%, 27%)", "#154374"),
    ],
)
def test_good_colours(value, expected):
    assert tokens.normalise_colour(value) == expected
    assert tokens.validate_token("--utrecht-link-color", value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "red",
        "#12",
        "#1234",
        "#12345g",
        "#1234567",
        "rgb(300, 0, 0)",
        "rgb(1, 2)",
        "rgba(0, 0, 0, 0.5)",
        "hsl(400, 10%, 10%)",
        "hsl(10, 120%, 10%)",
        "var(--x)",
        "#fff !important",
        "currentColor",
    ],
)
def test_malformed_colours_are_refused_with_an_example(value):
    with pytest.raises(ValidationError) as caught:
        tokens.normalise_colour(value)
    assert caught.value.code == "invalid_colour"
    assert "#rrggbb" in caught.value.messages[0]


INJECTIONS = [
    "#fff; background: red",
    "#fff}body{display:none",
    "#fff{",
    "</style><script>alert(1)</script>",
    "<b>",
    "#fff>",
    "url(https://evil.example/x.png)",
    "URL(x)",
    "@import 'x.css'",
    "@IMPORT x",
    "expression(alert(1))",
    "EXPRESSION(1)",
    "#fff\\3b",
    '#fff"',
    "#fff'",
    "#fff/* x */",
    "*/#fff",
]


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize(
    "token",
    ["--utrecht-link-color", "--utrecht-document-font-size", "--utrecht-document-font-family"],
)
def test_every_injection_pattern_is_refused_for_every_type(value, token):
    with pytest.raises(ValidationError) as caught:
        tokens.validate_token(token, value)
    assert caught.value.code in {"unsafe", "invalid_font"}
    assert caught.value.messages[0]


@pytest.mark.parametrize("value", INJECTIONS)
def test_the_unsafe_check_names_the_pattern(value):
    with pytest.raises(ValidationError) as caught:
        tokens.check_safe(value)
    assert "is not allowed in a theme value" in caught.value.messages[0]


def test_lengths_and_fonts():
    assert tokens.validate_token("--utrecht-focus-outline-width", "3px") == "3px"
    assert tokens.validate_token("--utrecht-document-font-size", "1.0625rem") == "1.0625rem"
    for bad in ["3", "3pt", "-1px", "calc(1px + 1px)", "1e3px", "px"]:
        with pytest.raises(ValidationError):
            tokens.validate_token("--utrecht-focus-outline-width", bad)
    assert tokens.validate_token("--utrecht-document-font-family", "serif").startswith("Georgia")
    # A token package names its own fonts: plain family names, quoted or not.
    for stack in ['"Open Sans", Arial, sans-serif', "Comic Sans MS", "RijksoverheidSans, serif"]:
        assert tokens.validate_token("--utrecht-document-font-family", stack) == stack
    for bad in [
        "Arial; color: red",
        'Arial, "x" }',
        "url(x.woff)",
        "Arial, 'Open Sans'",
        "Arial,,serif",
        '"Open Sans',
        "a" * 80,
        "var(--x)",
    ]:
        with pytest.raises(ValidationError):
            tokens.validate_token("--utrecht-document-font-family", bad)
    with pytest.raises(ValidationError):
        tokens.validate_token("--not-a-token", "#fff")


def test_every_shipped_theme_sets_every_token_with_a_valid_value():
    for theme, values in tokens.THEMES.items():
        assert set(values) == set(tokens.TOKENS_BY_NAME), theme
        for name, value in values.items():
            tokens.validate_token(name, value)


def test_the_static_token_files_are_the_shipped_themes(settings):
    from pathlib import Path

    static = Path(__file__).resolve().parents[2] / "themes" / "static" / "themes"
    for theme in tokens.THEMES:
        text = (static / f"{theme}.css").read_text()
        assert text.endswith(base_theme_css(theme)), f"regenerate themes/static/themes/{theme}.css"
        assert f".{theme}-theme {{" in text


def test_contrast_of_known_pairs():
    assert contrast.contrast_ratio("#000", "#fff") == pytest.approx(21.0)
    assert contrast.contrast_ratio("#fff", "#000") == pytest.approx(21.0)
    assert contrast.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast.contrast_ratio("#154273", "#154273") == pytest.approx(1.0)
    assert contrast.relative_luminance("#ffffff") == pytest.approx(1.0)
    assert contrast.relative_luminance("#000000") == pytest.approx(0.0)
    assert contrast.format_ratio(4.499) == "4.4:1"
    assert contrast.format_ratio(21.0) == "21:1"


@pytest.mark.parametrize(
    ("foreground", "background", "minimum"),
    [
        ("#777777", "#ffffff", 4.5),
        ("#6fa8dc", "#ffffff", 4.5),
        ("#ffb612", "#ffffff", 3.0),
        ("#154273", "#0a0a0a", 4.5),
        ("#ff0000", "#000000", 7.0),
        ("#808080", "#808080", 4.5),
    ],
)
def test_suggestions_meet_the_minimum_and_stay_close(foreground, background, minimum):
    suggestion = contrast.suggest(foreground, background, minimum)
    assert contrast.contrast_ratio(suggestion, background) >= minimum
    assert tokens.normalise_colour(suggestion) == suggestion


def test_a_suggestion_keeps_the_hue_and_changes_little():
    suggestion = contrast.suggest("#777777", "#ffffff", 4.5)
    assert suggestion == "#757575"  # one step darker, still grey
    hue_before = tokens.rgb_to_hsl(tokens.parse_colour("#6fa8dc"))[0]
    hue_after = tokens.rgb_to_hsl(tokens.parse_colour(contrast.suggest("#6fa8dc", "#fff")))[0]
    assert hue_after == pytest.approx(hue_before, abs=2)
    # A colour that already passes is returned as it is.
    assert contrast.suggest("#154273", "#ffffff") == "#154273"


def test_the_shipped_themes_pass_their_contrast_pairs():
    # Including the focus outline against the page (WCAG 1.4.11, 3:1): the default theme's
    # outline on the page is dark; in the header it stays yellow on blue.
    assert contrast.failing_pairs(tokens.THEMES["meent-contrast"]) == []
    assert contrast.failing_pairs(tokens.THEMES["meent"]) == []
