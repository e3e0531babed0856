from django_tasks import task

from . import emails


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification, after the transaction that stored it has committed."""
    return emails.send_notification_email(notification_id)


@task()
def send_notification_digests() -> dict:
    """The daily summaries (a schedule: settings.SCHEDULES)."""
    sent, items, failed = emails.send_digests()
    return {"sent": sent, "notifications": items, "failed": failed}
