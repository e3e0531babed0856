from django_tasks import task

from . import emails


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification, after the transaction that stored it has committed."""
    return emails.send_notification_email(notification_id)
