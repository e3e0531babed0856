"""A site's theme: Wagtail site settings, checked for safe values and WCAG contrast on save.

How the operator's colours are used (and so what they are checked against):

* primary colour: the page header background, the primary button background and the accent
  colour (``--meent-color-primary``: secondary button text, active tabs, the chat's unread
  marker). Checked against the base theme's header text, button text and accent text (4.5:1),
  the page background (4.5:1, the accent is also used as text there) and the header's focus
  outline (3:1).
* secondary colour (optional): links and links under the pointer. Checked against the page
  background (4.5:1).

A refused save keeps the stored settings (and so the theme in force) as they were.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import PreviewableMixin

from meent.links import LinkValidator
from themes import contrast, tokens

MAX_LINKS = 8
MAX_IMAGE_BYTES = 1024 * 1024
MAX_IMAGE_PIXELS = 2000

# Header and footer links: one check for every stored link (meent/links.py).
validate_link_url = LinkValidator()


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=60)
    url = blocks.CharBlock(
        label=_("Link"),
        max_length=500,
        validators=[validate_link_url],
        help_text=_("https://… or a path on this site such as /groups/"),
    )

    class Meta:
        icon = "link"
        label = _("Link")


def links_field(verbose_name):
    return StreamField(
        [("link", LinkBlock())],
        blank=True,
        max_num=MAX_LINKS,
        verbose_name=verbose_name,
        help_text=_("At most 8 links."),
    )


@register_setting(icon="image")
class ThemeSettings(PreviewableMixin, BaseSiteSetting):
    base_theme = models.CharField(
        _("base theme"),
        max_length=40,
        choices=tokens.THEME_CHOICES,
        default=tokens.DEFAULT_THEME,
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=40,
        blank=True,
        help_text=_(
            "Header, buttons and accents. For example #154273. Leave empty for the colour of the "
            "base theme."
        ),
    )
    secondary_colour = models.CharField(
        _("secondary colour"),
        max_length=40,
        blank=True,
        help_text=_("Links. Leave empty for the colour of the base theme."),
    )
    font = models.CharField(_("font"), max_length=20, blank=True, choices=tokens.FONT_CHOICES)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown in the header instead of the name Meent. At most 1 MB and 2000 pixels."),
    )
    logo_alt_text = models.CharField(
        _("logo alt text"),
        max_length=200,
        blank=True,
        help_text=_("What the logo says, such as the name of your organisation."),
    )
    favicon = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("favicon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The small icon in the browser tab. A square image works best."),
    )
    header_links = links_field(_("header links"))
    footer_links = links_field(_("footer links"))
    token_package = models.TextField(
        _("token package"),
        blank=True,
        help_text=_(
            "Your organisation's own design tokens: the CSS of a token package, custom properties "
            "in NL Design System naming under one theme class, such as .my-organisation-theme "
            "{ --utrecht-document-color: #1a1a1a; }. Its tokens replace those of the base theme; "
            "the colours above replace those of the package. Tokens Meent does not use are left "
            "out."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("base_theme"),
                FieldPanel("primary_colour"),
                FieldPanel("secondary_colour"),
                FieldPanel("font"),
            ],
            heading=_("Colours and font"),
        ),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("logo_alt_text"), FieldPanel("favicon")],
            heading=_("Logo and favicon"),
        ),
        FieldPanel("header_links"),
        FieldPanel("footer_links"),
        FieldPanel("token_package"),
    ]

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    # The admin's live preview: a sample page in the theme as it is in the form, before saving.
    def get_preview_template(self, request, mode_name, **kwargs):
        return "themes/preview.html"

    def get_preview_context(self, request, mode_name, **kwargs):
        context = super().get_preview_context(request, mode_name, **kwargs)
        # The page's theme tags read the theme from the request (themes/css.py
        # theme_for_request): these settings as they are in the form, not the saved ones.
        request._meent_theme_preview = self
        return context

    def shipped_tokens(self):
        return tokens.THEMES.get(self.base_theme, tokens.THEMES[tokens.DEFAULT_THEME])

    def package(self):
        """The parsed token package, or None. Raises ValidationError for a package that is not
        allowed (clean() reports it; a stored one that a tightened rule refuses is ignored by the
        CSS builder)."""
        if not (self.token_package or "").strip():
            return None
        return tokens.parse_package(self.token_package)

    def base_tokens(self):
        """The tokens the operator's colours are laid over: the base theme with the package."""
        values = dict(self.shipped_tokens())
        package = self.package()
        if package:
            values.update(package.values)
        return values

    def css_class(self):
        package = self.package()
        if package and package.css_class:
            return package.css_class
        theme = self.base_theme if self.base_theme in tokens.THEMES else tokens.DEFAULT_THEME
        return tokens.theme_class(theme)

    def overrides(self):
        """The tokens these settings change (package, colours, font), as written out. Assumes
        clean() passed."""
        package = self.package()
        result = dict(package.values) if package else {}
        if self.primary_colour:
            primary = tokens.normalise_colour(self.primary_colour)
            result["--utrecht-page-header-background-color"] = primary
            result["--utrecht-button-primary-action-background-color"] = primary
            result["--meent-color-primary"] = primary
        if self.secondary_colour:
            secondary = tokens.normalise_colour(self.secondary_colour)
            result["--utrecht-link-color"] = secondary
            result["--utrecht-link-hover-color"] = secondary
        if self.font:
            result["--utrecht-document-font-family"] = tokens.FONT_STACKS[self.font][1]
        return result

    def tokens(self):
        """Every token of the theme in force with these settings. Assumes clean() passed."""
        values = dict(self.shipped_tokens())
        values.update(self.overrides())
        return values

    def clean(self):
        super().clean()
        errors = {}
        base = dict(self.shipped_tokens())
        try:
            package = self.package()
        except ValidationError as error:
            errors["token_package"] = error
            package = None
        if package:
            base.update(package.values)
            failures = [
                ValidationError(
                    _(
                        "With this package, %(what)s has too little contrast (%(foreground)s on "
                        "%(background)s): %(ratio)s, needs %(minimum)s."
                    ),
                    code="package_contrast",
                    params={
                        "what": what,
                        "foreground": base[foreground],
                        "background": base[background],
                        "ratio": contrast.format_ratio(ratio),
                        "minimum": contrast.format_ratio(minimum),
                    },
                )
                for foreground, background, ratio, minimum, what in contrast.failing_pairs(base)
            ]
            if failures:
                errors["token_package"] = failures
        background = base["--utrecht-document-background-color"]
        checks = {
            "primary_colour": [
                (base["--utrecht-page-header-color"], contrast.NORMAL_TEXT, _("header text")),
                (
                    base["--utrecht-button-primary-action-color"],
                    contrast.NORMAL_TEXT,
                    _("button text"),
                ),
                (base["--meent-color-primary-contrast"], contrast.NORMAL_TEXT, _("accent text")),
                (background, contrast.NORMAL_TEXT, _("the page background")),
                (
                    base["--meent-page-header-focus-outline-color"],
                    contrast.UI_COMPONENT,
                    _("the focus outline in the header"),
                ),
            ],
            "secondary_colour": [(background, contrast.NORMAL_TEXT, _("the page background"))],
        }
        for field, pairs in checks.items():
            value = (getattr(self, field) or "").strip()
            setattr(self, field, value)
            if not value:
                continue
            try:
                colour = tokens.normalise_colour(value)
            except ValidationError as error:
                errors[field] = error
                continue
            messages = []
            for other, minimum, what in pairs:
                ratio = contrast.contrast_ratio(colour, other)
                if ratio < minimum:
                    messages.append(
                        ValidationError(
                            _(
                                "Too little contrast with %(what)s (%(other)s): %(ratio)s, needs "
                                "%(minimum)s."
                            ),
                            code="contrast",
                            params={
                                "what": what,
                                "other": other,
                                "ratio": contrast.format_ratio(ratio),
                                "minimum": contrast.format_ratio(minimum),
                            },
                        )
                    )
            if messages:
                suggestion = contrast.suggest_for_all(
                    colour, [(other, minimum) for other, minimum, _what in pairs]
                )
                messages.append(
                    ValidationError(
                        _("Try %(suggestion)s: the nearest colour that has enough contrast."),
                        code="contrast_suggestion",
                        params={"suggestion": suggestion},
                    )
                )
                errors[field] = messages
        if self.font and self.font not in tokens.FONT_STACKS:
            errors["font"] = ValidationError(_("Choose one of the offered fonts."), code="font")
        self.logo_alt_text = (self.logo_alt_text or "").strip()
        if self.logo_id and not self.logo_alt_text:
            errors["logo_alt_text"] = ValidationError(
                _("Describe the logo: its alt text is what a screen reader reads out."),
                code="required",
            )
        for field in ("header_links", "footer_links"):
            error = links_problem(getattr(self, field))
            if error:
                errors[field] = error
        for field in ("logo", "favicon"):
            image = getattr(self, field)
            if image is None:
                continue
            error = image_problem(image)
            if error:
                errors[field] = error
        if errors:
            raise ValidationError(errors)


def links_problem(stream):
    """A ValidationError when a list of links is too long or has a link that is not allowed."""
    links = list(stream or [])
    if len(links) > MAX_LINKS:
        return ValidationError(
            _("At most %(count)s links are allowed."), code="too_many", params={"count": MAX_LINKS}
        )
    for child in links:
        value = child.value
        if not (value.get("label") or "").strip():
            return ValidationError(_("Every link needs a label."), code="label")
        try:
            validate_link_url(value.get("url") or "")
        except ValidationError as error:
            return error
    return None


def image_problem(image):
    """A ValidationError when an image is too large for a logo or favicon, None otherwise."""
    size = image.file_size
    if size is None:
        try:
            size = image.file.size
        except (OSError, ValueError):
            size = 0
    if size > MAX_IMAGE_BYTES:
        return ValidationError(
            _("This image is %(size)s MB; at most 1 MB is allowed. Upload a smaller image."),
            code="too_large",
            params={"size": f"{size / MAX_IMAGE_BYTES:.1f}"},
        )
    if max(image.width or 0, image.height or 0) > MAX_IMAGE_PIXELS:
        return ValidationError(
            _(
                "This image is %(width)s×%(height)s pixels; at most %(maximum)s pixels wide and "
                "high is allowed."
            ),
            code="too_many_pixels",
            params={"width": image.width, "height": image.height, "maximum": MAX_IMAGE_PIXELS},
        )
    return None
