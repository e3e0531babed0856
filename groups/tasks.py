from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import override
from django_tasks import task


def _language_for(email: str) -> str:
    """The language of the person the address belongs to, or, for someone without an account,
    the community's default language (never the inviter's: they may read another one)."""
    person = get_user_model().objects.filter(email__iexact=email).only("language").first()
    return person.preferred_language if person is not None else settings.LANGUAGE_CODE


@task()
def send_invitation_email(invitation_id):
    from notifications.emails import root_url
    from notifications.service import community_of

    from .models import Invitation

    invitation = (
        Invitation.objects.select_related("group", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.state != "open":
        return
    with override(_language_for(invitation.email)):
        context = {
            "invitation": invitation,
            # On the host of the group's community.
            "link": root_url(community_of(invitation.group)) + invitation.get_absolute_url(),
        }
        subject = render_to_string("groups/email/invitation_subject.txt", context).strip()
        body = render_to_string("groups/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
