"""The demo's events (demo/content/events.yaml), planned relative to the day the demo is loaded,
through the events' services, so the waiting list and the rules are the product's own."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from wagtail.models import Site

from events import recurrence, services
from events.models import Event
from groups.models import Group
from meent import access


def _start(spec, today):
    hours, minutes = (int(part) for part in spec["start"].split(":"))
    day = today + datetime.timedelta(days=spec["days"])
    wall = datetime.datetime.combine(day, datetime.time(hours, minutes))
    return timezone.make_aware(wall, ZoneInfo(settings.TIME_ZONE))


def load_events(data, people, today=None):
    """Each event once (by its address): running the demo again leaves existing ones alone."""
    today = today or timezone.localdate()
    # The people were used before their last groups were made: their cached roles are stale.
    for person in people.values():
        access.forget_memberships(person)
    for spec in data["events.yaml"]["events"]:
        if Event.objects.filter(slug=spec["slug"]).exists():
            continue
        group = Group.objects.get(slug=spec["group"]) if "group" in spec else None
        site_id = None
        if group is None:
            if spec["community"] == "main":
                site_id = Site.objects.get(is_default_site=True).pk
            else:
                site_id = Site.objects.get(hostname=spec["community"]).pk
        starts_at = _start(spec, today)
        rule = ""
        if "repeat" in spec:
            rule = recurrence.preset(
                spec["repeat"]["every"],
                starts_at,
                settings.TIME_ZONE,
                count=spec["repeat"]["times"],
            )
        audience = spec.get("audience") or (
            Event.Audience.MEMBERS if group is not None else Event.Audience.SIGNED_IN
        )
        event = services.save_event(
            people[spec["organiser"]],
            services.EventInput(
                title=spec["title"],
                description=spec["description"],
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=spec["minutes"]),
                location=spec.get("location", ""),
                capacity=spec.get("capacity"),
                audience=audience,
                recurrence=rule,
            ),
            group=group,
            site_id=site_id,
        )
        Event.objects.filter(pk=event.pk).update(slug=spec["slug"])
        event.slug = spec["slug"]
        for answer in spec.get("answers", ()):
            services.answer(people[answer["person"]], event, answer["status"])
