"""WCAG 2.1 contrast: relative luminance, contrast ratio, and a nearby colour that passes."""

from django.utils.translation import gettext_lazy as _

from themes.tokens import hsl_to_rgb as _hsl_to_rgb
from themes.tokens import parse_colour, rgb_to_hex, rgb_to_hsl

NORMAL_TEXT = 4.5  # WCAG 1.4.3, AA
LARGE_TEXT = 3.0  # WCAG 1.4.3, AA, large text
UI_COMPONENT = 3.0  # WCAG 1.4.11, AA


def _channel(value):
    value = value / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour):
    """WCAG 2.1 relative luminance of a colour (a string or an (r, g, b) tuple), 0 to 1."""
    r, g, b = parse_colour(colour) if isinstance(colour, str) else colour
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first, second):
    """The contrast ratio of two colours, 1 to 21 (order does not matter)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def format_ratio(ratio):
    """A ratio as WCAG writes it, rounded down so that 4.49 never shows as 4.5: ``3.2:1``."""
    return f"{int(ratio * 10) / 10:g}:1"


def suggest_for_all(colour, others):
    """The nearest colour to ``colour`` (same hue and saturation, lightness changed in steps of
    1%) that meets every (other colour, minimum ratio) in ``others``; lowercase #rrggbb.

    Darker and lighter are both tried; the smaller change wins (darker on a tie). Black or white
    when no step works.
    """
    rgb = parse_colour(colour) if isinstance(colour, str) else colour
    hue, saturation, lightness = rgb_to_hsl(rgb)

    def passes(candidate):
        return all(contrast_ratio(candidate, other) >= minimum for other, minimum in others)

    if passes(rgb):
        return rgb_to_hex(rgb)
    start = round(lightness * 100)
    for step in range(1, 101):
        for level in (start - step, start + step):
            if 0 <= level <= 100:
                candidate = _hsl_to_rgb(hue, saturation, level / 100)
                if passes(candidate):
                    return rgb_to_hex(candidate)
    black, white = (0, 0, 0), (255, 255, 255)
    best = min(
        (black, white),
        key=lambda c: -min(contrast_ratio(c, other) / minimum for other, minimum in others),
    )
    return rgb_to_hex(best)


def suggest(foreground, background, minimum=NORMAL_TEXT):
    """The nearest colour to ``foreground``, darker or lighter with the same hue, that has at
    least ``minimum`` contrast with ``background``."""
    return suggest_for_all(foreground, [(background, minimum)])


# The pairs every theme must meet: (foreground token, background token, minimum, what it is).
# The names are what the operator reads when a token package fails one.
_DOCUMENT = "--utrecht-document-background-color"
PAIRS = [
    ("--utrecht-document-color", _DOCUMENT, NORMAL_TEXT, _("text on the page")),
    ("--utrecht-document-color", "--meent-color-surface", NORMAL_TEXT, _("text on panels")),
    ("--utrecht-link-color", _DOCUMENT, NORMAL_TEXT, _("links")),
    ("--utrecht-link-color", "--meent-color-surface", NORMAL_TEXT, _("links on panels")),
    ("--utrecht-link-hover-color", _DOCUMENT, NORMAL_TEXT, _("links under the pointer")),
    (
        "--utrecht-button-primary-action-color",
        "--utrecht-button-primary-action-background-color",
        NORMAL_TEXT,
        _("button text"),
    ),
    (
        "--utrecht-page-header-color",
        "--utrecht-page-header-background-color",
        NORMAL_TEXT,
        _("header text"),
    ),
    (
        "--utrecht-page-footer-color",
        "--utrecht-page-footer-background-color",
        NORMAL_TEXT,
        _("footer text"),
    ),
    ("--meent-color-primary-contrast", "--meent-color-primary", NORMAL_TEXT, _("accent text")),
    ("--meent-color-primary", _DOCUMENT, NORMAL_TEXT, _("the accent colour on the page")),
    ("--meent-color-muted", _DOCUMENT, NORMAL_TEXT, _("secondary text")),
    ("--meent-color-muted", "--meent-color-surface", NORMAL_TEXT, _("secondary text on panels")),
    ("--meent-color-error", _DOCUMENT, NORMAL_TEXT, _("error messages")),
    ("--meent-color-success", _DOCUMENT, NORMAL_TEXT, _("success messages")),
    ("--utrecht-focus-outline-color", _DOCUMENT, UI_COMPONENT, _("the focus outline")),
    (
        "--meent-page-header-focus-outline-color",
        "--utrecht-page-header-background-color",
        UI_COMPONENT,
        _("the focus outline in the header"),
    ),
    ("--meent-color-border", _DOCUMENT, UI_COMPONENT, _("borders of fields")),
]


def failing_pairs(tokens):
    """The PAIRS a full set of tokens fails: (foreground, background, ratio, minimum, what)."""
    failures = []
    for foreground, background, minimum, what in PAIRS:
        ratio = contrast_ratio(tokens[foreground], tokens[background])
        if ratio < minimum:
            failures.append((foreground, background, ratio, minimum, what))
    return failures
