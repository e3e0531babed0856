"""Calendars: an event's .ics file, a group's feed, and a person's own feed behind a secret.

The files are built by events/calendar.py. Who sees what is the access policy's answer: the
event file and the group feed for whoever asks (a calendar app asks without signing in, so it
gets what anonymous visitors see), the personal feed for the person whose secret address it is,
as they may see the events now. A closed group's feed, a group whose agenda is off and an
unknown or renewed address all answer 404, like things that do not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_http_methods, require_safe

from groups import policies as group_policies
from groups.views import visible_group_or_404
from meent import access, ratelimit, sites

from . import calendar
from .models import Event

CONTENT_TYPE = "text/calendar; charset=utf-8"
# A calendar app fetches a feed every few minutes to every few hours; more than this from one
# address is a client gone wrong, and is told to wait.
FEED_FETCHES = 60
FEED_WINDOW = 3600


def _root(request) -> str:
    return request.build_absolute_uri("/")


def _calendar_response(body: bytes, *, filename: str = "", private: bool = False):
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # What a signed-in person (or a secret address) sees is theirs: no shared cache keeps it.
    response["Cache-Control"] = "private, no-cache" if private else "public, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _plain_404(reason: str):
    return HttpResponse(reason, status=404, content_type="text/plain; charset=utf-8")


@require_safe
def event_ics(request, slug):
    """One event as a file to add to a calendar, if the person may see it (else 404)."""
    events = Event.objects.visible_to(request.user).select_related("group")
    event = get_object_or_404(events.prefetch_related("changes"), slug=slug)
    elsewhere = sites.redirect_to_site(request, event.community_id)
    if elsewhere:
        return elsewhere
    body = calendar.calendar([event], fallback_root=_root(request))
    return _calendar_response(
        body, filename=f"{event.slug}.ics", private=access.is_active_person(request.user)
    )


@require_safe
def group_calendar(request, group_slug):
    """A group's events as a feed: what the one asking may see (a calendar app: what anonymous
    visitors see), upcoming and the last 90 days."""
    group = visible_group_or_404(request, group_slug)
    if not group.events_enabled or not group_policies.can_read_content(request.user, group):
        raise Http404
    events = calendar.group_events(request.user, group)
    name = _("%(group)s: agenda") % {"group": group.name}
    body = calendar.calendar(events, fallback_root=_root(request), name=name, feed=True)
    return _calendar_response(body, private=access.is_active_person(request.user))


@require_safe
def personal_feed(request, token):
    """The events of the person whose secret address this is: no session, a calendar app asks."""
    feed = calendar.feed_for_token(token)
    if feed is None:
        return _plain_404(
            _("This calendar address is unknown or was renewed. Copy the new address from Meent.")
        )
    person = feed.person
    if not access.is_active_person(person):
        return _plain_404(_("This calendar address no longer works."))
    if not ratelimit.hit(f"calendar-feed:{feed.pk}", limit=FEED_FETCHES, window=FEED_WINDOW):
        response = HttpResponse(
            _("This calendar is fetched too often. Try again later."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(FEED_WINDOW // 4)
        return response
    with override(person.preferred_language):
        name = _("My events on %(community)s") % {"community": sites.community_name(request)}
        body = calendar.calendar(
            calendar.personal_events(person), fallback_root=_root(request), name=name, feed=True
        )
    return _calendar_response(body, private=True)


@login_required
@require_http_methods(["GET", "POST"])
def my_calendar(request):
    """My feed's address (made only when asked: a GET changes nothing), renewed or stopped."""
    user = request.user
    if request.method == "POST":
        if not access.is_active_person(user):
            raise Http404
        action = request.POST.get("action")
        if action == "make":
            calendar.make_feed(user)
            messages.success(request, _("Your calendar address is ready. Add it to your calendar."))
        elif action == "renew":
            calendar.renew_feed(user)
            messages.success(
                request,
                _(
                    "You have a new calendar address; the old one no longer works. "
                    "Replace it in your calendar apps."
                ),
            )
        elif action == "stop":
            calendar.stop_feed(user)
            messages.success(request, _("Your calendar address no longer works."))
        else:
            messages.error(request, _("Choose one of the buttons."))
            return render(request, "events/calendar.html", _context(request), status=400)
        return redirect("events:calendar")
    return render(request, "events/calendar.html", _context(request))


def _context(request):
    feed = calendar.feed_of(request.user)
    feed_url = ""
    if feed is not None:
        path = reverse("events:personal_feed", args=[feed.token])
        feed_url = request.build_absolute_uri(path)
    return {
        "feed": feed,
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else "",
    }
