"""Scheduled work for polls (settings.SCHEDULES): telling of polls that closed, once each."""

from django_tasks import task

from . import services


@task()
def notify_closed_polls() -> int:
    """The author and the voters of every poll that closed hear of it (every 5 minutes)."""
    return services.notify_closed_polls()
