"""Which community (Wagtail Site) a request belongs to, from the cache.

Every community of an installation is a Wagtail Site with its own host name; people, their
accounts and organisations are shared by all of them, groups (and so their wikis, blogs and chat
rooms) and toolboxes belong to one. A request's site is looked up once per host and generation
(bumped on every Site change), so a page view costs cache reads only.
"""

import hashlib

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from meent import generations

GENERATION_KEY = "sites:generation"
TIMEOUT = 7 * 24 * 3600


def generation():
    return generations.current(GENERATION_KEY)


def _lookup(request):
    from wagtail.models import Site

    try:
        site = Site.find_for_request(request)
    except ValueError:  # a port that is not a number
        site = None
    if site is None:
        return {"id": 0, "default": False, "root_url": "", "name": ""}
    return {
        "id": site.pk,
        "default": site.is_default_site,
        "root_url": site.root_url,
        "name": site.site_name or "",
    }


def current_site(request):
    """{"id", "default", "root_url", "name"} of the request's site (id 0 when there is none),
    cached per host and remembered on the request."""
    cached = getattr(request, "_meent_site", None)
    if cached is not None:
        return cached
    try:
        host = request._get_raw_host()
        port = request.get_port()
    except Exception:  # a host that is not allowed: the default site's rules apply
        host, port = "", ""
    digest = hashlib.sha256(f"{host}:{port}".encode()).hexdigest()[:16]
    key = f"sites:host:v2:{generation()}:{digest}"  # v2: with the name
    data = cache.get(key)
    if data is None:
        data = _lookup(request)
        cache.set(key, data, TIMEOUT)
    request._meent_site = data
    return data


def site_for_scope(scope):
    """``current_site`` for an ASGI scope (a WebSocket connection): its Host header and port."""
    from django.http import HttpRequest

    request = HttpRequest()
    headers = dict(scope.get("headers") or [])
    server = scope.get("server") or ("", 80)
    request.META = {
        "HTTP_HOST": headers.get(b"host", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0] or ""),
        "SERVER_PORT": str(server[1] or 80),
    }
    return current_site(request)


def current_site_id(request):
    return current_site(request)["id"] or None


def community_name(request) -> str:
    """The name people know the request's community by (the Site's name), for headers, titles
    and e-mails; "Meent" where a site has none."""
    return (current_site(request).get("name") if request is not None else "") or "Meent"


def belongs_q(site, field="site"):
    """Rows whose ``field`` is the community ``site`` (``current_site``). Rows whose site was
    deleted (or never set) belong to the default community, so they are never lost from every
    list."""
    from django.db.models import Q

    scope = Q(**{f"{field}_id": site["id"]})
    if site["default"] or not site["id"]:
        scope |= Q(**{f"{field}__isnull": True})
    return scope


def redirect_to_site(request, site_id):
    """A redirect to the same address on community ``site_id``'s host, or None when the request
    is already there (or the site is unknown): what belongs to a community is served on its
    own host, wherever a link to it was followed from."""
    from django.http import HttpResponseRedirect

    if not site_id or site_id == current_site(request)["id"]:
        return None
    root = site_root_url(site_id)
    if not root:
        return None
    return HttpResponseRedirect(root.rstrip("/") + request.get_full_path())


def site_root_url(site_id):
    """The root URL (scheme, host and port) of a site, from the cache."""
    key = f"sites:root:{generation()}:{site_id}"
    url = cache.get(key)
    if url is None:
        from wagtail.models import Site

        site = Site.objects.filter(pk=site_id).first()
        url = site.root_url if site else ""
        cache.set(key, url, TIMEOUT)
    return url


def _site_changed(**kwargs):
    generations.bump_now_and_on_commit(GENERATION_KEY)


def connect_signals():
    from wagtail.models import Site

    post_save.connect(_site_changed, sender=Site, dispatch_uid="meent_sites_save")
    post_delete.connect(_site_changed, sender=Site, dispatch_uid="meent_sites_delete")
