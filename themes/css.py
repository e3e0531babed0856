"""A site's theme CSS and header/footer data, built once per change and kept in Django's cache.

A page view reads the cache only: the version (bumped on every ThemeSettings save, every Site
change and every change to an image a theme uses), the site for the request's host and the theme
of that site. After a change, the first request builds the theme again (a few queries) and
caches it.
"""

import hashlib
import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from meent import generations, sites
from themes import tokens
from themes.models import MAX_LINKS, ThemeSettings, validate_link_url

logger = logging.getLogger(__name__)

VERSION_KEY = "themes:version"
TIMEOUT = 7 * 24 * 3600
HASH_LENGTH = 12


def build_css(theme, values, css_class=None):
    """The CSS of a theme: every token of ``values`` under the theme's class (or ``css_class``,
    a token package's own), sorted by name.

    Deterministic: the same theme and values give the same bytes, and so the same hash.
    """
    lines = [f".{css_class or tokens.theme_class(theme)} {{"]
    for name in sorted(values):
        value = tokens.validate_token(name, values[name])
        lines.append(f"  {name}: {value};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def content_hash(css):
    return hashlib.sha256(css.encode()).hexdigest()[:HASH_LENGTH]


def base_theme_css(theme):
    """The CSS of a shipped theme as it is: the static token files are this."""
    return build_css(theme, tokens.THEMES[theme])


def _version():
    return generations.current(VERSION_KEY)


def bump_version():
    """Make every cached theme stale: the next request builds them again."""
    generations.bump(VERSION_KEY)


def _bump_now_and_on_commit(**kwargs):
    generations.bump_now_and_on_commit(VERSION_KEY)


def _link_list(stream):
    links = []
    for child in list(stream or [])[:MAX_LINKS]:
        value = child.value
        label, url = value.get("label"), value.get("url")
        try:
            validate_link_url(url or "")
        except ValidationError:
            logger.warning("Skipping a theme link that is not allowed: %r", url)
            continue
        if label:
            links.append({"label": str(label), "url": str(url)})
    return links


def _image_url(image, spec):
    try:
        return image.get_rendition(spec).url
    except Exception:  # a missing or unreadable file: the original, or nothing
        logger.warning("Could not render theme image %s", image.pk, exc_info=True)
        try:
            return image.file.url
        except Exception:
            return ""


def build_theme(site_id):
    """The theme of a site as a plain dict (cacheable): CSS, hash, class, logo, links."""
    from wagtail.models import Site

    if not Site.objects.filter(pk=site_id).exists():
        return None
    settings = (
        ThemeSettings.objects.select_related("logo", "favicon").filter(site_id=site_id).first()
    )
    return theme_data(site_id, settings)


def theme_data(site_id, settings):
    """The theme dict of a site with these (saved or, for a preview, unsaved) settings."""
    theme = settings.base_theme if settings else tokens.DEFAULT_THEME
    if theme not in tokens.THEMES:
        theme = tokens.DEFAULT_THEME
    values = dict(tokens.THEMES[theme])
    css_class = tokens.theme_class(theme)
    if settings:
        try:
            values.update(settings.overrides())
            css_class = settings.css_class()
        except Exception:  # stored before a rule tightened: keep the base theme in force
            logger.warning("Ignoring invalid theme settings of site %s", site_id, exc_info=True)
            values = dict(tokens.THEMES[theme])
    css = build_css(theme, values, css_class)
    digest = content_hash(css)
    data = {
        "site_id": site_id,
        "theme": theme,
        "css_class": css_class,
        "css": css,
        "hash": digest,
        "css_url": reverse("themes:css", args=[site_id, digest]),
        "logo_url": "",
        "logo_alt": "",
        "favicon_url": "",
        "header_links": [],
        "footer_links": [],
    }
    if settings:
        if settings.logo:
            data["logo_url"] = _image_url(settings.logo, "max-480x96")
            data["logo_alt"] = settings.logo_alt_text
        if settings.favicon:
            data["favicon_url"] = _image_url(settings.favicon, "fill-64x64|format-png")
        data["header_links"] = _link_list(settings.header_links)
        data["footer_links"] = _link_list(settings.footer_links)
    return data


def preview_theme(settings):
    """The theme of unsaved settings, for the admin's preview: the CSS goes inline in the page
    (the admin's own policy allows inline styles), since it has no address yet."""
    data = theme_data(settings.site_id, settings)
    data["inline_css"] = data["css"]
    return data


def theme_for_site(site_id):
    """The cached theme of a site, built when the cache has none for the current version; None
    for a site that does not exist."""
    key = f"themes:site:{_version()}:{site_id}"
    data = cache.get(key)
    if data is None:
        data = build_theme(site_id)
        if data is None:
            return None
        cache.set(key, data, TIMEOUT)
    return data


def default_theme():
    """What a request that belongs to no site gets: the static default theme."""
    from django.templatetags.static import static

    theme = tokens.DEFAULT_THEME
    return {
        "site_id": None,
        "theme": theme,
        "css_class": tokens.theme_class(theme),
        "css_url": static(f"themes/{theme}.css"),
        "logo_url": "",
        "logo_alt": "",
        "favicon_url": "",
        "header_links": [],
        "footer_links": [],
    }


def theme_for_request(request):
    """The theme for a request, remembered on the request; cache reads only once warm."""
    if request is None:
        return default_theme()
    cached = getattr(request, "_meent_theme", None)
    if cached is not None:
        return cached
    preview = getattr(request, "_meent_theme_preview", None)
    if preview is not None:  # the admin's live preview of unsaved settings
        request._meent_theme = preview_theme(preview)
        return request._meent_theme
    try:
        site_id = sites.current_site_id(request)
        data = (theme_for_site(site_id) if site_id else None) or default_theme()
    except DatabaseError:
        # An error page while the database is away still renders, in the default theme.
        logger.warning("No theme for this request: the database is unavailable", exc_info=True)
        data = default_theme()
    request._meent_theme = data
    return data


def _image_saved(sender, instance, **kwargs):
    from django.db.models import Q

    if ThemeSettings.objects.filter(Q(logo_id=instance.pk) | Q(favicon_id=instance.pk)).exists():
        _bump_now_and_on_commit()


def connect_signals():
    from wagtail.images import get_image_model
    from wagtail.models import Site

    for model in (ThemeSettings, Site):
        post_save.connect(_bump_now_and_on_commit, sender=model, dispatch_uid=f"themes_{model}")
        post_delete.connect(
            _bump_now_and_on_commit, sender=model, dispatch_uid=f"themes_{model}_delete"
        )
    image_model = get_image_model()
    post_save.connect(_image_saved, sender=image_model, dispatch_uid="themes_image")
    # By the time an image is deleted, SET_NULL has cleared the reference: bump regardless.
    post_delete.connect(
        _bump_now_and_on_commit, sender=image_model, dispatch_uid="themes_image_delete"
    )
