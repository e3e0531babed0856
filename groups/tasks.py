from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import override
from django_tasks import task


@task()
def send_invitation_email(invitation_id):
    from .models import Invitation

    invitation = (
        Invitation.objects.select_related("group", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.state != "open":
        return
    with override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "link": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + invitation.get_absolute_url(),
        }
        subject = render_to_string("groups/email/invitation_subject.txt", context).strip()
        body = render_to_string("groups/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
