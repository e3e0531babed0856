from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from themes.css import theme_for_site


@require_GET
def theme_css(request, site_id, digest):
    """A site's theme CSS under its content hash: cached for a year, never changes.

    An old hash (a page cached before the theme changed) is redirected to the current one.
    """
    theme = theme_for_site(site_id)
    if theme is None:
        raise Http404
    if theme["hash"] != digest:
        response = redirect(theme["css_url"])
        response["Cache-Control"] = "no-cache"
        return response
    response = HttpResponse(theme["css"], content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
