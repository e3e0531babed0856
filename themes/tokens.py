"""Design tokens: the custom properties a theme sets, in NL Design System naming.

Component tokens use the ``utrecht-`` prefix of the NL Design System community components; where
NLDS has no fitting name (surface, border, muted text, error, success, the accent colour) Meent
uses its own ``meent-`` prefix. Every token has a type, and a value is only accepted when it is
valid for that type and cannot inject CSS or markup.

An organisation's own token package is a CSS file that sets these custom properties under a theme
class, like ``themes/static/themes/meent.css``.
"""

import re
from dataclasses import dataclass

import tinycss2
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

COLOUR = "colour"
FONT = "font"
LENGTH = "length"

# Font stacks an operator may choose from. Only these fixed, trusted values are ever written out.
FONT_STACKS = {
    "system": (
        _("System font (default)"),
        'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
    ),
    "sans": (_("Sans serif (Arial, Helvetica)"), "Arial, Helvetica, sans-serif"),
    "humanist": (
        _("Humanist sans serif (Verdana, Tahoma)"),
        "Verdana, Tahoma, Geneva, sans-serif",
    ),
    "serif": (_("Serif (Georgia, Times)"), 'Georgia, "Times New Roman", Times, serif'),
}
FONT_CHOICES = [(key, label) for key, (label, _stack) in FONT_STACKS.items()]


@dataclass(frozen=True)
class Token:
    name: str
    type: str
    description: str


TOKENS = [
    Token("--utrecht-document-color", COLOUR, "Body text"),
    Token("--utrecht-document-background-color", COLOUR, "Page background"),
    Token("--utrecht-document-font-family", FONT, "Body font"),
    Token("--utrecht-document-font-size", LENGTH, "Body font size"),
    Token("--utrecht-link-color", COLOUR, "Links"),
    Token("--utrecht-link-hover-color", COLOUR, "Links under the pointer"),
    Token("--utrecht-button-primary-action-background-color", COLOUR, "Primary buttons"),
    Token("--utrecht-button-primary-action-color", COLOUR, "Text on primary buttons"),
    Token("--utrecht-page-header-background-color", COLOUR, "Page header"),
    Token("--utrecht-page-header-color", COLOUR, "Text in the page header"),
    Token("--utrecht-page-footer-background-color", COLOUR, "Page footer"),
    Token("--utrecht-page-footer-color", COLOUR, "Text in the page footer"),
    Token("--utrecht-focus-outline-color", COLOUR, "Focus outline"),
    Token("--utrecht-focus-outline-width", LENGTH, "Focus outline width"),
    Token("--meent-color-primary", COLOUR, "Accent: secondary buttons, active tabs"),
    Token("--meent-color-primary-contrast", COLOUR, "Text on the accent colour"),
    Token("--meent-color-muted", COLOUR, "Secondary text"),
    Token("--meent-color-surface", COLOUR, "Panels, tags, code blocks"),
    Token("--meent-color-border", COLOUR, "Borders of fields, cards and tables"),
    Token("--meent-color-error", COLOUR, "Errors"),
    Token("--meent-color-success", COLOUR, "Success"),
    Token("--meent-page-header-focus-outline-color", COLOUR, "Focus outline in the page header"),
]
TOKENS_BY_NAME = {token.name: token for token in TOKENS}

SYSTEM_FONT = FONT_STACKS["system"][1]

THEMES = {
    # Meent's default look: the colours of meent.css as they were before themes.
    "meent": {
        "--utrecht-document-color": "#1a1a1a",
        "--utrecht-document-background-color": "#ffffff",
        "--utrecht-document-font-family": SYSTEM_FONT,
        "--utrecht-document-font-size": "1.0625rem",
        "--utrecht-link-color": "#01689b",
        "--utrecht-link-hover-color": "#01689b",
        "--utrecht-button-primary-action-background-color": "#154273",
        "--utrecht-button-primary-action-color": "#ffffff",
        "--utrecht-page-header-background-color": "#154273",
        "--utrecht-page-header-color": "#ffffff",
        "--utrecht-page-footer-background-color": "#ffffff",
        "--utrecht-page-footer-color": "#4a4a4a",
        "--utrecht-focus-outline-color": "#1a1a1a",
        "--utrecht-focus-outline-width": "3px",
        "--meent-color-primary": "#154273",
        "--meent-color-primary-contrast": "#ffffff",
        "--meent-color-muted": "#4a4a4a",
        "--meent-color-surface": "#f3f3f3",
        "--meent-color-border": "#767676",
        "--meent-color-error": "#b00020",
        "--meent-color-success": "#1e6b2f",
        "--meent-page-header-focus-outline-color": "#ffb612",
    },
    # Dark, high contrast: near-black page, light text, yellow header, buttons and focus.
    "meent-contrast": {
        "--utrecht-document-color": "#f5f5f5",
        "--utrecht-document-background-color": "#0a0a0a",
        "--utrecht-document-font-family": SYSTEM_FONT,
        "--utrecht-document-font-size": "1.0625rem",
        "--utrecht-link-color": "#8fd0ff",
        "--utrecht-link-hover-color": "#c4e6ff",
        "--utrecht-button-primary-action-background-color": "#ffd600",
        "--utrecht-button-primary-action-color": "#0a0a0a",
        "--utrecht-page-header-background-color": "#ffd600",
        "--utrecht-page-header-color": "#0a0a0a",
        "--utrecht-page-footer-background-color": "#0a0a0a",
        "--utrecht-page-footer-color": "#d9d9d9",
        "--utrecht-focus-outline-color": "#ffd600",
        "--utrecht-focus-outline-width": "3px",
        "--meent-color-primary": "#ffd600",
        "--meent-color-primary-contrast": "#0a0a0a",
        "--meent-color-muted": "#d0d0d0",
        "--meent-color-surface": "#1f1f1f",
        "--meent-color-border": "#a6a6a6",
        "--meent-color-error": "#ff8a80",
        "--meent-color-success": "#7ee787",
        "--meent-page-header-focus-outline-color": "#0a0a0a",
    },
}
THEME_CHOICES = [
    ("meent", _("Meent (light)")),
    ("meent-contrast", _("Meent high contrast (dark)")),
]
DEFAULT_THEME = "meent"


def theme_class(theme):
    """The class that carries a shipped theme's tokens: ``meent-theme``, ``meent-contrast-theme``."""
    return f"{theme}-theme"


# Anything that could end a declaration, open a rule, load a resource or run code.
UNSAFE = [";", "{", "}", "<", ">", "url(", "@import", "expression", "\\", '"', "'", "/*", "*/"]

_NUMBER = r"\d{1,3}(?:\.\d+)?"
_HEX = re.compile(r"#(?:[0-9a-f]{3}|[0-9a-f]{6})", re.IGNORECASE)
_RGB = re.compile(
    rf"rgb\(\s*({_NUMBER})\s*[, ]\s*({_NUMBER})\s*[, ]\s*({_NUMBER})\s*\)", re.IGNORECASE
)
_HSL = re.compile(
    rf"hsl\(\s*({_NUMBER})(?:deg)?\s*[, ]\s*({_NUMBER})%\s*[, ]\s*({_NUMBER})%\s*\)",
    re.IGNORECASE,
)
_LENGTH = re.compile(r"(?:0|\d{1,3}(?:\.\d{1,4})?(?:px|rem|em))")


def check_safe(value):
    """Refuse a value with anything that could inject CSS or markup."""
    lowered = value.lower()
    for pattern in UNSAFE:
        if pattern in lowered:
            raise ValidationError(
                _("“%(pattern)s” is not allowed in a theme value."),
                code="unsafe",
                params={"pattern": pattern},
            )


def parse_colour(value):
    """The (r, g, b) of a colour value (0–255 each), or ValidationError.

    Accepted: ``#rgb``, ``#rrggbb`` (any case), ``rgb(r, g, b)`` with numbers 0–255 and
    ``hsl(h, s%, l%)``. No transparency: a contrast ratio needs an opaque colour.
    """
    value = (value or "").strip()
    check_safe(value)
    if _HEX.fullmatch(value):
        digits = value[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))
    match = _RGB.fullmatch(value)
    if match:
        rgb = tuple(float(part) for part in match.groups())
        if all(0 <= part <= 255 for part in rgb):
            return tuple(round(part) for part in rgb)
    match = _HSL.fullmatch(value)
    if match:
        hue, saturation, lightness = (float(part) for part in match.groups())
        if hue <= 360 and saturation <= 100 and lightness <= 100:
            return hsl_to_rgb(hue, saturation / 100, lightness / 100)
    raise ValidationError(
        _(
            "“%(value)s” is not a colour. Use #rrggbb (such as #154273), rgb(21, 66, 115) "
            "or hsl(211, 69%%, 27%%)."
        ),
        code="invalid_colour",
        params={"value": value[:40]},
    )


def normalise_colour(value):
    """A valid colour as lowercase #rrggbb."""
    return rgb_to_hex(parse_colour(value))


def rgb_to_hex(rgb):
    return "#" + "".join(f"{round(part):02x}" for part in rgb)


def hsl_to_rgb(hue, saturation, lightness):
    chroma = (1 - abs(2 * lightness - 1)) * saturation
    h = (hue % 360) / 60
    x = chroma * (1 - abs(h % 2 - 1))
    sectors = [(chroma, x, 0), (x, chroma, 0), (0, chroma, x), (0, x, chroma), (x, 0, chroma)]
    sectors.append((chroma, 0, x))
    r, g, b = sectors[min(int(h), 5)]
    m = lightness - chroma / 2
    return tuple(round((part + m) * 255) for part in (r, g, b))


def rgb_to_hsl(rgb):
    r, g, b = (part / 255 for part in rgb)
    high, low = max(r, g, b), min(r, g, b)
    lightness = (high + low) / 2
    if high == low:
        return 0.0, 0.0, lightness
    delta = high - low
    saturation = delta / (1 - abs(2 * lightness - 1))
    if high == r:
        hue = 60 * (((g - b) / delta) % 6)
    elif high == g:
        hue = 60 * ((b - r) / delta + 2)
    else:
        hue = 60 * ((r - g) / delta + 4)
    return hue, min(saturation, 1.0), lightness


def validate_font(value):
    if value not in FONT_STACKS:
        raise ValidationError(
            _("Choose one of the offered fonts."), code="invalid_font", params={"value": value}
        )


def validate_length(value):
    value = (value or "").strip()
    check_safe(value)
    if not _LENGTH.fullmatch(value):
        raise ValidationError(
            _("“%(value)s” is not a length. Use a number with px, rem or em, such as 1.0625rem."),
            code="invalid_length",
            params={"value": value[:40]},
        )


def validate_token(name, value):
    """Validate a value for a token by the token's type; returns the value as it is written out."""
    token = TOKENS_BY_NAME.get(name)
    if token is None:
        raise ValidationError(
            _("“%(name)s” is not a supported token."), code="unknown_token", params={"name": name}
        )
    if token.type == COLOUR:
        return normalise_colour(value)
    if token.type == LENGTH:
        validate_length(value)
        return value.strip()
    # Fonts: a key of FONT_STACKS, one of the trusted stacks themselves (the shipped themes), or
    # a plain list of family names (a token package).
    if value in FONT_STACKS:
        return FONT_STACKS[value][1]
    if value in {stack for _label, stack in FONT_STACKS.values()}:
        return value
    value = " ".join((value or "").split())
    if _FONT_LIST.fullmatch(value):
        return value
    raise ValidationError(
        _(
            "“%(value)s” is not a list of fonts. Use family names separated by commas, such as "
            '"Open Sans", Arial, sans-serif (letters, digits, spaces and hyphens only).'
        ),
        code="invalid_font",
        params={"value": value[:60]},
    )


# --- Token packages ----------------------------------------------------------------------------

PACKAGE_MAX_CHARS = 200_000
_FAMILY = (
    r'(?:"[A-Za-z0-9][A-Za-z0-9 -]{0,60}"|[A-Za-z][A-Za-z0-9-]{0,60}(?: [A-Za-z0-9-]{1,60}){0,4})'
)
_FONT_LIST = re.compile(rf"{_FAMILY}(?:, ?{_FAMILY}){{0,9}}")
_PACKAGE_CLASS = re.compile(r"\.([a-z][a-z0-9-]{0,60}-theme)")
_CUSTOM_PROPERTY = re.compile(r"--[A-Za-z0-9_-]{1,120}")
MAX_PACKAGE_ERRORS = 10
MAX_PACKAGE_NESTING = 8  # rgb(…) inside a rule needs 2


@dataclass(frozen=True)
class Package:
    """A parsed token package: its theme class (None for ``:root``), the values of the tokens
    Meent uses (validated, as they are written out) and how many other tokens it set."""

    css_class: str | None
    values: dict
    ignored: int


def _css(nodes):
    """tinycss2 nodes as CSS text, without comments, trimmed."""
    return tinycss2.serialize(node for node in nodes if node.type != "comment").strip()


def _trimmed(nodes):
    """Nodes without the whitespace and comments around them."""
    nodes = list(nodes)
    while nodes and nodes[0].type in ("whitespace", "comment"):
        nodes.pop(0)
    while nodes and nodes[-1].type in ("whitespace", "comment"):
        nodes.pop()
    return nodes


def _too_deep(nodes, limit=MAX_PACKAGE_NESTING):
    """Whether blocks and functions nest deeper than ``limit`` (looked at without recursion: the
    serialiser recurses, so a package of 100,000 brackets must not get that far)."""
    stack = [(node, 1) for node in nodes]
    while stack:
        node, depth = stack.pop()
        children = getattr(node, "content", None) or getattr(node, "arguments", None) or []
        if children and depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _declarations(content):
    """A rule's content split at its semicolons: lists of component values, none empty."""
    chunk = []
    for node in [*content, None]:
        if node is None or (node.type == "literal" and node.value == ";"):
            chunk = _trimmed(chunk)
            if chunk:
                yield chunk
            chunk = []
        else:
            chunk.append(node)


def _all_blocks_closed(text):
    """Whether every ``{``, ``(`` and ``[`` of ``text`` is closed: a ``}`` added at the end is then
    left over (tinycss2 closes open blocks at the end of the text without a word)."""
    last = tinycss2.parse_component_value_list(text + "}")[-1]
    return last.type == "error"


def parse_package(text):
    """Parse an organisation's token package: CSS rules whose selector is one theme class (such
    as ``.gemeente-voorbeeld-theme``) or ``:root``, holding only custom properties.

    The CSS is read by tinycss2 (CSS Syntax Level 3), which gives every rule and declaration its
    line. Tokens Meent uses are validated by type; other custom properties are counted and left
    out (packages carry many tokens for components Meent does not have). Anything else, such as a
    normal property, a nested rule or an at-rule, is refused with its line number: the package is
    never written out as it is. Raises ValidationError with at most 10 messages.
    """
    text = text or ""
    if len(text) > PACKAGE_MAX_CHARS:
        raise ValidationError(
            _("The token package is longer than %(maximum)s characters."),
            code="package_too_long",
            params={"maximum": PACKAGE_MAX_CHARS},
        )
    errors = []

    def refuse(line, text_, **params):
        params["line"] = line
        errors.append(ValidationError(text_, code="package", params=params))

    classes, values, ignored = set(), {}, 0
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    for rule in rules:
        if len(errors) >= MAX_PACKAGE_ERRORS:
            break
        if rule.type == "error":  # text that is no rule, or a } without its {
            refuse(rule.source_line, _("Line %(line)s: expected a rule such as .my-theme { … }."))
            continue
        if _too_deep([*rule.prelude, *(rule.content or [])]):
            refuse(rule.source_line, _("Line %(line)s: brackets are nested too deeply."))
            continue
        if rule.type == "at-rule":
            selector = f"@{rule.at_keyword} {_css(rule.prelude)}".strip()
        else:
            selector = _css(rule.prelude)
        class_match = _PACKAGE_CLASS.fullmatch(selector)
        if rule.type == "qualified-rule" and selector == ":root":
            classes.add(None)
        elif rule.type == "qualified-rule" and class_match:
            classes.add(class_match.group(1))
        else:
            refuse(
                rule.source_line,
                _(
                    "Line %(line)s: “%(selector)s” is not a theme class. Use one class whose "
                    "name ends in -theme (such as .my-organisation-theme) or :root."
                ),
                selector=selector[:60],
            )
        for chunk in _declarations(rule.content or []):
            line = chunk[0].source_line
            if any(node.type == "{} block" for node in chunk):
                refuse(line, _("Line %(line)s: nested rules are not allowed."))
                continue
            declaration = tinycss2.parse_one_declaration(chunk)
            if declaration.type == "error" or not _CUSTOM_PROPERTY.fullmatch(declaration.name):
                refuse(
                    line,
                    _(
                        "Line %(line)s: only custom properties (--name: value) are allowed, not "
                        "“%(declaration)s”."
                    ),
                    declaration=_css(chunk)[:60],
                )
                continue
            name = declaration.name
            if name not in TOKENS_BY_NAME:
                ignored += 1
                continue
            # "!important" stays part of the value, which no token type accepts.
            value = _css(declaration.value) + (" !important" if declaration.important else "")
            try:
                values[name] = validate_token(name, value)
            except ValidationError as error:
                for message in error.messages:
                    refuse(
                        line, _("Line %(line)s, %(name)s: %(message)s"), name=name, message=message
                    )
    if rules and len(errors) < MAX_PACKAGE_ERRORS and not _all_blocks_closed(text):
        refuse(rules[-1].source_line, _("Line %(line)s: this rule is not closed with }."))
    if len(classes) > 1:
        errors.append(
            ValidationError(
                _("A token package sets one theme class; this one has %(count)s."),
                code="package",
                params={"count": len(classes)},
            )
        )
    if not values and not errors:
        errors.append(
            ValidationError(
                _("The package sets none of the tokens Meent uses, such as %(example)s."),
                code="package_empty",
                params={"example": "--utrecht-document-color"},
            )
        )
    if errors:
        raise ValidationError(errors[:MAX_PACKAGE_ERRORS])
    css_class = next(iter(classes)) if classes else None
    return Package(css_class=css_class, values=values, ignored=ignored)
