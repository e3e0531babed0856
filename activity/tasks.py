"""The activity app's periodic jobs (settings.SCHEDULES)."""

from django_tasks import task

from . import digest


@task()
def send_content_digests(frequency: str = "weekly") -> dict:
    """The content digests of ``frequency`` (daily or weekly) for this period; run again, it
    sends nobody a second copy."""
    result = digest.send_digests(frequency)
    return {
        "frequency": frequency,
        "people": result.people,
        "sent": result.sent,
        "items": result.items,
        "failed": result.failed,
    }


@task()
def send_daily_content_digests() -> dict:
    """The daily digests (a schedule takes no arguments)."""
    return send_content_digests.call("daily")


@task()
def send_weekly_content_digests() -> dict:
    """The weekly digests, on Monday morning."""
    return send_content_digests.call("weekly")
