from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import override
from django_tasks import task

from accounts.models import is_for_good


@task()
def send_suspension_email(person_id, reason):
    """Told by e-mail: a suspended person cannot sign in to read a notification."""
    person = get_user_model().objects.filter(pk=person_id).first()
    if person is None or not person.is_suspended:
        return
    # In the person's own language, not the moderator's.
    with override(person.preferred_language):
        context = {
            "person": person,
            "reason": reason,
            "for_good": is_for_good(person.suspended_until),
            "until": person.suspended_until,
        }
        subject = render_to_string("moderation/email/suspended_subject.txt", context).strip()
        body = render_to_string("moderation/email/suspended_body.txt", context)
    send_mail(subject, body, None, [person.email])
