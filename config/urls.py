from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import oidc, oidc_views
from accounts.language import set_language
from accounts.policies import may_see_picture
from activity import views as activity_views
from blog import views as blog_views
from config import health, metrics
from meent import media, security, views

urlpatterns = [
    path("livez", health.livez, name="livez"),
    path("healthz", health.healthz, name="healthz"),
    # Prometheus, with a bearer token (METRICS_TOKEN); the proxy refuses it (README, "Metrics").
    path("metrics", metrics.metrics, name="metrics"),
    path(".well-known/security.txt", security.security_txt, name="security_txt"),
    # Every sign-in goes through allauth (rate limits, two-factor), also the admins' own.
    path(
        "django-admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    # Wagtail's own sign-in form for private pages and documents would skip allauth's rate
    # limits and two-factor sign-in: it leads to allauth's too.
    path("_util/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Organisation sign-in (accounts/oidc.py). allauth's own OpenID Connect addresses are
    # answered by its views wrapped in accounts.oidc.guarded (a disabled sign-in refuses, a
    # provider that is down gives a page, not a 500): the same patterns, written as allauth
    # writes them, so that they come first and allauth's are never reached.
    path(
        "accounts/oidc/",
        include(
            [
                re_path(
                    r"^(?P<provider_id>[^/]+)/",
                    include(
                        [
                            path("login/", oidc.login, name="openid_connect_login"),
                            path("login/callback/", oidc.callback, name="openid_connect_callback"),
                        ]
                    ),
                )
            ]
        ),
    ),
    path("accounts/organisation/", oidc_views.organisation_sign_in, name="organisation_sign_in"),
    path(
        "accounts/organisation/link/<str:token>/",
        oidc_views.link,
        name="organisation_sign_in_link",
    ),
    path("accounts/", include("allauth.urls")),
    path("groups/<slug:group_slug>/wiki/", include("wiki.urls")),
    # Blogs: feeds first (blog/feed_urls.py holds full paths), then the per-group and per-person
    # blogs, then everything under /blog/.
    path("", include("blog.feed_urls")),
    path("groups/<slug:group_slug>/blog/", blog_views.group_blog, name="group_blog"),
    path("people/<id:person_id>/blog/", blog_views.person_blog, name="person_blog"),
    path("blog/", include("blog.urls")),
    # Reporting (report/…) and a group's own report queue (groups/<slug>/reports/).
    path("", include("moderation.urls")),
    path("groups/<slug:slug>/activity/", activity_views.group_stream, name="group_activity"),
    # Events: a group's agenda, its calendar and new events; everything else under /events/.
    path("groups/<slug:group_slug>/", include("events.group_urls")),
    # A group's file library (files/urls.py), before the groups' own patterns.
    path("groups/<slug:group_slug>/files/", include("files.urls")),
    # Discussions and polls live in a group; questions in a group or on the community.
    path("groups/<slug:group_slug>/discussions/", include("discussions.urls")),
    path("groups/<slug:group_slug>/questions/", include("questions.group_urls")),
    path("groups/<slug:group_slug>/polls/", include("polls.urls")),
    path("questions/", include("questions.urls")),
    path("events/", include("events.urls")),
    path("", include("activity.urls")),
    path("groups/", include("groups.urls")),
    path("chat/", include("chat.urls")),
    path("notifications/", include("notifications.urls")),
    # The people directory (its empty path), then the profiles (accounts).
    path("people/", include("people.urls")),
    path("people/", include("accounts.urls")),
    path("my-data/", include("privacy.urls")),
    path("search/", include("search.urls")),
    # The language switcher (Django's view) also remembers a signed-in person's choice.
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Files of content with an access rule (meent/files.py): each asks about its object.
    path(
        "files/blog/<id:pk>/<str:name>",
        media.stored_file_view("blog.Post", "cover", related=("author", "group"), filename="cover"),
        name="blog_cover",
    ),
    path(
        "files/events/<id:pk>/<str:name>",
        media.stored_file_view("events.Event", "cover", related=("group",), filename="cover"),
        name="event_cover",
    ),
    path(
        "files/groups/<id:pk>/<str:name>",
        media.stored_file_view("groups.Group", "avatar", filename="group"),
        name="group_image",
    ),
    path(
        "files/people/<id:pk>/<str:name>",
        media.stored_file_view(
            "accounts.User", "avatar", may_view=may_see_picture, filename="picture"
        ),
        name="person_picture",
    ),
    path("theme/", include("themes.urls")),
]

if settings.MEENT_SERVE_FILES:
    urlpatterns += [
        # nosniff, a sandbox and downloads for all but raster images (meent/media.py).
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.serve_media),
    ]

if getattr(settings, "MEENT_BENCHMARK_VIEWS", False):
    urlpatterns += [path("bench/ceiling/", views.bench_ceiling, name="bench_ceiling")]

urlpatterns += [path("", include(wagtail_urls))]

handler403 = "meent.views.permission_denied"
handler404 = "meent.views.page_not_found"
handler500 = "meent.views.server_error"
