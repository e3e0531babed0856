from django_tasks import task

from . import services


@task()
def notify_scheduled_posts() -> int:
    """Tell the people mentioned in scheduled posts that have appeared (a schedule:
    settings.SCHEDULES); returns how many were told."""
    return services.notify_due_posts()
