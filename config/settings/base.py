"""Settings shared by every environment. Unset variables mean the embedded default."""

from django.utils.translation import gettext_lazy as _
from marshmallow.validate import OneOf

from .env import BASE_DIR, env

PROJECT_DIR = BASE_DIR / "meent"

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
# ".localhost": localhost and every name under it, such as the demo's second community.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[".localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "meent",
    "accounts.apps.AccountsConfig",
    "home.apps.HomeConfig",
    "notifications.apps.NotificationsConfig",
    "meent.mentions.apps.MentionsConfig",
    "groups.apps.GroupsConfig",
    "activity.apps.ActivityConfig",
    "chat.apps.ChatConfig",
    "wiki.apps.WikiConfig",
    "blog.apps.BlogConfig",
    "events.apps.EventsConfig",
    "files.apps.FilesConfig",
    "discussions.apps.DiscussionsConfig",
    "questions.apps.QuestionsConfig",
    "polls.apps.PollsConfig",
    "people.apps.PeopleConfig",
    "search",
    "toolbox",
    "toolbox.decisions.apps.DecisionsConfig",
    "toolbox.publiccode.apps.PubliccodeConfig",
    "themes.apps.ThemesConfig",
    "communities.apps.CommunitiesConfig",
    "moderation.apps.ModerationConfig",
    "privacy.apps.PrivacyConfig",
    "demo.apps.DemoConfig",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Organisation sign-in over OpenID Connect (accounts/oidc.py).
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: every log line of a request carries its id (meent/requestid.py).
    "meent.requestid.RequestIdMiddleware",
    # Every answer counted and timed for /metrics (meent/metrics.py), also a 503 or a 400 below.
    "meent.metrics.MetricsMiddleware",
    # Behind a TLS proxy that leaves out X-Forwarded-Proto: a 400 that says so, not a redirect
    # loop (production only; meent/security.py).
    "meent.security.ProxySchemeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "meent.security.SecurityHeadersMiddleware",
    # Above everything that may use the database: its outage becomes a 503 page, not a 500.
    "meent.reliability.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Signing in on a device where nobody chose a language switches it to the person's own.
    "accounts.language.SignInLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A control character in the path: 400 before anything looks the path up (meent/params.py).
    "meent.params.ControlCharacterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "groups.middleware.GroupSiteMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_count",
                "chat.context_processors.unread_chat",
            ],
        },
    },
]

# Database: DATABASE_URL, or a SQLite file in the checkout.
DATABASES = {
    "default": env.dj_db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Under the ASGI server (ASGI) every request in progress runs in a thread of its own with a connection
    # of its own: kept-alive connections pile up to PostgreSQL's max_connections (the people
    # benchmark saw 98 of 100, then 503s). Django's advice for ASGI: no persistent connections.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default under the ASGI server, where views, the chat and background work write from
    # several threads at once. WAL: readers go on while one connection writes. IMMEDIATE: a
    # transaction takes the write lock when it begins, so it waits its turn; a DEFERRED one that
    # read first and then wants to write gets "database is locked" at once, without waiting
    # (it lost the search index's writes in the demo). The timeout is how long a writer waits.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=30),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, when configured, carries the channel layer and the cache so that every server process
# shares them; without it both stay in the process (fine for a single-process demo).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # redis-py 8 defaults to socket_timeout=5 and max_connections=100: with channels-redis an idle
    # WebSocket would be dropped after 5 s (code 1011) and the 101st connection would fail.
    _redis_host = {"address": REDIS_URL, "socket_timeout": None, "max_connections": 10_000}
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": {
                "core": "channels_redis.core.RedisChannelLayer",
                "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
            }[env.str("REDIS_CHANNEL_LAYER", default="pubsub")],
            "CONFIG": {"hosts": [_redis_host], "prefix": env.str("REDIS_PREFIX", default="meent")},
        }
    }
    CACHES = {
        "default": {
            # django-redis, telling meent/outages.py when Redis goes and comes back.
            "BACKEND": "meent.outages.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("REDIS_PREFIX", default="meent"),
            # With Redis down the cache misses instead of failing the page (rate limits then
            # count nothing until it is back); meent/outages.py logs the outage once.
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Search: Elasticsearch when ELASTICSEARCH_URL is set, the database otherwise.
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
SEARCH_INDEX_PREFIX = env.str("SEARCH_INDEX_PREFIX", default="meent")
# Beside Elasticsearch, keep the database index up to date too, so that search still finds what
# is new while the search server is down (the fallback of search/backends.py with_fallback).
SEARCH_DATABASE_MIRROR = env.bool("SEARCH_DATABASE_MIRROR", default=True)

# Background work: django-tasks. `immediate` runs a task in the request that queues it (the demo
# and the tests); `database` stores it for the worker (`manage.py run_worker`, django-tasks-db),
# which production uses: README, "Background work".
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASK_BACKEND = env.str("TASK_BACKEND", default="immediate", validate=OneOf(list(TASK_BACKENDS)))
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASK_BACKEND], "QUEUES": ["default"]}}
# The worker (meent/worker.py): attempts of a task that raises, the first pause between them
# (doubling), how often a worker says it is alive and after how long without that its running
# tasks are run again, how long finished tasks stay visible to the staff.
MEENT_TASK_ATTEMPTS = env.int("MEENT_TASK_ATTEMPTS", default=5)
MEENT_TASK_RETRY_SECONDS = env.float("MEENT_TASK_RETRY_SECONDS", default=30.0)
MEENT_WORKER_BEAT_SECONDS = env.float("MEENT_WORKER_BEAT_SECONDS", default=5.0)
MEENT_WORKER_STALE_SECONDS = env.float("MEENT_WORKER_STALE_SECONDS", default=60.0)
MEENT_TASK_RESULT_DAYS = env.int("MEENT_TASK_RESULT_DAYS", default=14)

# Every periodic job, in one place: the worker queues `task` once per period of `every` seconds,
# `offset` seconds into it (UTC); each job is idempotent and logs what it did.
_MINUTE, _HOUR, _DAY = 60, 3600, 86400
SCHEDULES = [
    # Mentions in scheduled blog posts, once the posts appear.
    {"name": "scheduled-posts", "task": "blog.tasks.notify_scheduled_posts", "every": 5 * _MINUTE},
    # What the search outbox still holds after a failure (the search server was down).
    {"name": "search-outbox", "task": "search.indexing.drain_outbox_task", "every": 5 * _MINUTE},
    # The daily e-mail summaries, at 06:00 UTC (07:00 in Amsterdam in winter, 08:00 in summer).
    {
        "name": "notification-digests",
        "task": "notifications.tasks.send_notification_digests",
        "every": _DAY,
        "offset": 6 * _HOUR,
    },
    # The content digests (activity/digest.py): the daily ones at 06:15 UTC; the weekly ones on
    # Monday at 06:15 UTC (periods count from the epoch, a Thursday: Monday is 4 days into a week).
    {
        "name": "content-digests-daily",
        "task": "activity.tasks.send_daily_content_digests",
        "every": _DAY,
        "offset": 6 * _HOUR + 15 * _MINUTE,
    },
    {
        "name": "content-digests-weekly",
        "task": "activity.tasks.send_weekly_content_digests",
        "every": 7 * _DAY,
        "offset": 4 * _DAY + 6 * _HOUR + 15 * _MINUTE,
    },
    {"name": "purge-data-exports", "task": "privacy.tasks.purge_data_exports", "every": _HOUR},
    # Reminders of events that start within a day (events/tasks.py: once per occurrence).
    {"name": "event-reminders", "task": "events.tasks.send_event_reminders", "every": 15 * _MINUTE},
    # Polls that closed: their author and voters are told, once per poll (polls/tasks.py).
    {"name": "poll-closings", "task": "polls.tasks.notify_closed_polls", "every": 5 * _MINUTE},
    # Guests' sign-ups MEENT_EVENT_GUEST_DAYS after their event, at 02:30 UTC.
    {
        "name": "purge-event-guests",
        "task": "events.tasks.purge_event_guests",
        "every": _DAY,
        "offset": 2 * _HOUR + 30 * _MINUTE,
    },
    # Files in a group's trash for MEENT_FILES_TRASH_DAYS, at 03:15 UTC (files/tasks.py).
    {
        "name": "purge-file-trash",
        "task": "files.tasks.purge_file_trash",
        "every": _DAY,
        "offset": 3 * _HOUR + 15 * _MINUTE,
    },
    {
        "name": "purge-submissions",
        "task": "meent.tasks.purge_submissions",
        "every": _DAY,
        "offset": 2 * _HOUR,
    },
    {
        "name": "purge-audit-log",
        "task": "meent.tasks.purge_audit_log",
        "every": _DAY,
        "offset": 2 * _HOUR,
    },
    {
        "name": "purge-task-results",
        "task": "meent.tasks.purge_task_results",
        "every": _DAY,
        "offset": 3 * _HOUR,
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.MeentAuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: e-mail is the login name and must be verified before one can sign in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "accounts.sign_in_forms.LoginForm",
    "signup": "accounts.sign_in_forms.SignupForm",
    "reset_password": "accounts.sign_in_forms.ResetPasswordForm",
    "add_email": "accounts.sign_in_forms.AddEmailForm",
}
# Organisation sign-in (accounts/oidc.py): each organisation's identity provider is an
# OrganisationSignIn row that the adapter hands allauth as an openid_connect app. allauth never
# signs in to an existing account on a provider's word (EMAIL_AUTHENTICATION off): its owner
# proves the address first. Tokens are not stored: Meent calls no API of the provider.
SOCIALACCOUNT_ADAPTER = "accounts.oidc.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 5
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Meent] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# allauth's default already refuses the 6th failed sign-in for one address within 5 minutes;
# it is spelled out here because the promise is ours.
# Private pages and documents send people to allauth's sign-in, not to Wagtail's own form.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
# allauth's per-IP limits need the client's address: behind N proxies that append to
# X-Forwarded-For, set ALLAUTH_TRUSTED_PROXY_COUNT=N (else every visitor is the proxy's IP).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Meent"

# E-mail: EMAIL_URL (smtp://user:pass@host:587 or console:), the console by default.
_email = env.dj_email_url("EMAIL_URL", default="console://")
EMAIL_BACKEND = _email.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Meent <noreply@meent.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Language: Dutch first, English complete beside it.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "meent_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
# English dates read day, month, year on a 24-hour clock (meent/formats/en), not American.
FORMAT_MODULE_PATH = ["meent.formats"]
USE_TZ = True
# Content in Dutch and English: a page tree per language (translations share a translation key
# and their slugs). No language prefix in the address: every page, Wagtail's included, is in
# the person's language (the language cookie or the browser), and Wagtail serves the tree of
# that language where it exists.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "static_collected")
STATIC_URL = "/static/"
# The bundled front end (`npm run build`, which `make install` runs) is built here, not committed.
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
# `make bench` serves a bare view as the ceiling that every page is measured against.
MEENT_BENCHMARK_VIEWS = env.bool("MEENT_BENCHMARK_VIEWS", default=False)
# Whether the server itself serves static and media files (demo); production puts a proxy in front.
MEENT_SERVE_FILES = env.bool("MEENT_SERVE_FILES", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
AVATAR_MAX_BYTES = 2 * 1024 * 1024
AVATAR_MAX_PIXELS = 4096

WAGTAIL_SITE_NAME = "Meent"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents always go through Wagtail's view, which applies the collection's privacy and sends
# nosniff and a CSP; only PDFs open in the browser, everything else is a download (HTML, SVG and
# XML are not in WAGTAILDOCS_EXTENSIONS; added one day, they would still be downloads). The files
# under MEDIA_ROOT/documents/ are never served from /media/ (meent/media.py; the proxy: README).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
# A new document must be what its extension says (a .pdf a PDF, a .txt plain text), see
# meent/uploads.py validate_document.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "meent.media.DocumentForm"
# Wagtail images: checked by content (Willow must find the format the extension names), no SVG
# (it can carry script), and limits in bytes and pixels like the rest of the site's uploads.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Scanned for viruses like every upload (meent/media.py ImageForm, meent/virusscan.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "meent.media.ImageForm"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# No Gravatar in the admin: our CSP allows images from this site only (and it would tell a third
# party who opens the admin); people without an admin picture get Wagtail's default avatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Headers and cookies (meent/security.py adds the CSP and Permissions-Policy; production.py adds
# HSTS, the HTTPS redirect and Secure cookies). No script of ours reads a cookie: the CSRF token
# is read from the form, Wagtail's admin gets it from its page, so every cookie is HttpOnly.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# Wagtail's preview iframe overrides this with SAMEORIGIN on its own views.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Not "same-origin": video embeds (YouTube) refuse to play without at least the origin.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# The public site runs no inline script or style: every script is an ES module from /static/.
# style-src-attr allows style attributes (never <style> elements) for the keyword-only styles
# that meent/sanitize.py keeps in rich text (text-align in a table cell...) and that the editor
# writes on tables; without it those are dropped and each one logs a CSP error.
# Toolbox videos are iframes from https providers (frame-src https:); the chat uses WebSockets.
MEENT_CSP = env.str(
    "MEENT_CSP",
    default="default-src 'self'; script-src 'self'; style-src 'self'; "
    "style-src-attr 'unsafe-inline'; img-src 'self' data: https:; font-src 'self'; "
    "connect-src 'self' ws: wss:; media-src 'self' https:; frame-src https:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
# Wagtail's and Django's admins use inline scripts and styles; Wagtail previews a page in an
# iframe of its own origin (frame-src and frame-ancestors 'self') and previews uploads as blob:.
MEENT_CSP_ADMIN = env.str(
    "MEENT_CSP_ADMIN",
    default="default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; font-src 'self' data:; "
    "connect-src 'self' ws: wss:; media-src 'self' https:; frame-src 'self' https:; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'",
)
MEENT_CSP_ADMIN_PATHS = ("/admin/", "/django-admin/")
MEENT_PERMISSIONS_POLICY = env.str(
    "MEENT_PERMISSIONS_POLICY", default="camera=(), microphone=(), geolocation=()"
)
# security.txt's Contact (RFC 9116): a mailto: or https: address. The default is a placeholder
# that every real installation sets (MEENT_SECURITY_CONTACT=mailto:security@your.domain).
MEENT_SECURITY_CONTACT = env.str("MEENT_SECURITY_CONTACT", default="mailto:security@meent.example")

# /metrics (config/metrics.py) answers only with "Authorization: Bearer <METRICS_TOKEN>"; unset,
# it is off (404). Prometheus scrapes each app process directly, never through the proxy (README,
# "Metrics"); PROMETHEUS_MULTIPROC_DIR, read by prometheus_client itself, shares one machine's.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# The Django auth groups that carry the platform's staff roles.
MEENT_MODERATORS_GROUP = "Moderators"
MEENT_COMMUNITY_MANAGERS_GROUP = "Community managers"
# Chat: the longest message and how many a person may send in a window of seconds.
MEENT_CHAT_MAX_LENGTH = env.int("MEENT_CHAT_MAX_LENGTH", default=4000)
MEENT_CHAT_RATE = env.int("MEENT_CHAT_RATE", default=20)
MEENT_CHAT_RATE_WINDOW = env.int("MEENT_CHAT_RATE_WINDOW", default=10)
# How long an invitation to a group stays usable.
MEENT_INVITATION_DAYS = env.int("MEENT_INVITATION_DAYS", default=14)
# How many people one person may invite to groups per hour (all groups together).
MEENT_INVITATION_RATE = env.int("MEENT_INVITATION_RATE", default=30)
# Blogs: the largest post body (HTML characters) and cover image.
MEENT_BLOG_MAX_BODY = env.int("MEENT_BLOG_MAX_BODY", default=500_000)
MEENT_BLOG_COVER_MAX_BYTES = env.int("MEENT_BLOG_COVER_MAX_BYTES", default=5 * 1024 * 1024)
# Events: a video meeting server (Jitsi Meet, e.g. https://meet.example.nl): unset, an event
# takes any https meeting link instead of a room of its own.
MEENT_JITSI_URL = env.str("MEENT_JITSI_URL", default="")
# Wiki: the largest page body (HTML characters) and the largest uploaded file.
MEENT_WIKI_MAX_BODY = env.int("MEENT_WIKI_MAX_BODY", default=1_000_000)
MEENT_WIKI_ATTACHMENT_MAX_BYTES = env.int(
    "MEENT_WIKI_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024
)
# Admin areas that staff reach only after setting up two-factor sign-in.
# Moderation and privacy (issue 10). The audit log (Wagtail's log, meent/audit.py) is kept this
# many days; reports about a group's content wait this many hours for its owners and admins before
# they reach the moderators' queue; a download of someone's data is kept this many days.
MEENT_AUDIT_RETENTION_DAYS = env.int("MEENT_AUDIT_RETENTION_DAYS", default=730)
MEENT_REPORT_GROUP_HOURS = env.int("MEENT_REPORT_GROUP_HOURS", default=48)
MEENT_REPORT_RATE = env.int("MEENT_REPORT_RATE", default=20)
MEENT_DATA_EXPORT_DAYS = env.int("MEENT_DATA_EXPORT_DAYS", default=7)
# Events: guests' names and e-mail addresses are erased this many days after their event ended.
MEENT_EVENT_GUEST_DAYS = env.int("MEENT_EVENT_GUEST_DAYS", default=30)
# Files (files/): the largest file, a group's quota (every version and the trash count), how long
# the trash keeps a file, the largest folder download, and the limits on reading a document's
# text for search (each document is read in a child process that is stopped at these limits).
MEENT_FILES_MAX_BYTES = env.int("MEENT_FILES_MAX_BYTES", default=100 * 1024 * 1024)
MEENT_FILES_GROUP_QUOTA = env.int("MEENT_FILES_GROUP_QUOTA", default=5 * 1024**3)
MEENT_FILES_TRASH_DAYS = env.int("MEENT_FILES_TRASH_DAYS", default=30)
MEENT_FILES_ZIP_MAX_BYTES = env.int("MEENT_FILES_ZIP_MAX_BYTES", default=1024**3)
MEENT_FILES_EXTRACT_SECONDS = env.int("MEENT_FILES_EXTRACT_SECONDS", default=30)
MEENT_FILES_EXTRACT_MEMORY = env.int("MEENT_FILES_EXTRACT_MEMORY", default=1024 * 1024 * 1024)
MEENT_FILES_EXTRACT_PAGES = env.int("MEENT_FILES_EXTRACT_PAGES", default=500)
MEENT_FILES_EXTRACT_CHARACTERS = env.int("MEENT_FILES_EXTRACT_CHARACTERS", default=1_000_000)
# Virus scanning with ClamAV (meent/virusscan.py): clamd's Unix socket, or its host and port.
# Unset: uploads are not scanned, and the admin says so.
MEENT_CLAMD_SOCKET = env.str("MEENT_CLAMD_SOCKET", default="")
MEENT_CLAMD_HOST = env.str("MEENT_CLAMD_HOST", default="")
MEENT_CLAMD_PORT = env.int("MEENT_CLAMD_PORT", default=3310)
MEENT_CLAMD_TIMEOUT = env.int("MEENT_CLAMD_TIMEOUT", default=60)

MEENT_TWO_FACTOR_PATHS = ("/admin/", "/django-admin/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # While the database or Redis is down: one line when it goes, one when it is back, with the
    # count of what failed; not a traceback per request (meent/outages.py).
    "filters": {
        "outages": {"()": "meent.outages.OutageLogFilter"},
        "request_id": {"()": "meent.requestid.RequestIdLogFilter"},
    },
    # LOG_FORMAT=json: one JSON object per line, with the request's id (for a log collector);
    # otherwise the message as it is.
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["asctime", "levelname", "name", "message", "request_id"],
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["outages", "request_id"],
            "formatter": "json" if env.str("LOG_FORMAT", default="text") == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # uvicorn says when it starts and stops (config/serve.py adds what was open); its access
        # log is off unless MEENT_ACCESS_LOG=1.
        "uvicorn.error": {"level": "INFO"},
        # Task and page-publishing chatter drowns what an operator needs to see.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
