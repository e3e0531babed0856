"""The agenda pages of `make bench`: the community's agenda and its month with 1,000 events.

``seed()`` runs in the pages part's process after ``load_demo`` and before the query counts and
the server, like the toolbox's: it adds ``EVENTS`` events to the demo (community events and the
events of the demo's groups, open and closed, over the next ``DAYS`` days), every ``REPEATING``-th
one a weekly series of ``OCCURRENCES`` with one date cancelled and one moved, and returns the
paths to measure. Issue 23 asks that both render in a constant number of queries, repeats
included; the query table of the pages part shows it (tests/events/test_agenda.py asserts it).
"""

EVENTS = 1000
DAYS = 60
REPEATING = 5
OCCURRENCES = 8
SLUG = "bench-evenement"


def seed():
    import datetime

    import django

    django.setup()

    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from events import recurrence
    from events.models import Event, OccurrenceChange
    from groups.models import Group

    groups = list(Group.objects.filter(events_enabled=True).order_by("pk")[:10])
    organiser = User.objects.filter(is_active=True).order_by("pk").first()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        if not Event.objects.filter(slug__startswith=SLUG).exists():
            events = []
            for number in range(EVENTS):
                start = now + datetime.timedelta(days=1 + number % DAYS, hours=number % 9)
                event = Event(
                    group=groups[number % len(groups)] if groups and number % 3 else None,
                    organiser=organiser,
                    title=f"Benchmarkbijeenkomst {number}",
                    slug=f"{SLUG}-{number}",
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=2),
                    last_ends_at=start + datetime.timedelta(hours=2),
                    location="Stadhuis, zaal 2" if number % 2 else "",
                    online_url="" if number % 2 else "https://meet.example.org/bench",
                    capacity=20 if number % 4 == 0 else None,
                    recurrence=(
                        f"FREQ=WEEKLY;COUNT={OCCURRENCES}" if number % REPEATING == 0 else ""
                    ),
                )
                if event.recurrence:
                    event.last_ends_at = recurrence.last_end(event)
                events.append(event)
            created = Event.objects.bulk_create(events)
            changes = []
            for event in created:
                if event.recurrence:
                    starts = recurrence.starts(event)
                    changes.append(
                        OccurrenceChange(event=event, original_start=starts[1], cancelled=True)
                    )
                    changes.append(
                        OccurrenceChange(
                            event=event,
                            original_start=starts[2],
                            starts_at=starts[2] + datetime.timedelta(hours=1),
                            ends_at=starts[2] + datetime.timedelta(hours=3),
                        )
                    )
            OccurrenceChange.objects.bulk_create(changes)
    month = (timezone.localdate() + datetime.timedelta(days=14)).strftime("%Y-%m")
    return {
        f"agenda ({EVENTS} events)": "/events/",
        f"month ({EVENTS} events)": f"/events/month/?month={month}",
    }
