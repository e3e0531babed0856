from allauth.account.models import EmailAddress
from allauth.account.signals import email_changed, email_confirmed, user_signed_up
from django.dispatch import receiver


@receiver(email_confirmed)
def place_in_organisation_on_confirm(sender, request, email_address, **kwargs):
    """A verified address is proof of belonging: place the person by its domain."""
    user = email_address.user
    if email_address.primary or user.organisation_id is None:
        user.assign_organisation_from_email(email_address.email)


@receiver(email_changed)
def place_in_organisation_on_primary_change(
    sender, request, user, from_email_address, to_email_address, **kwargs
):
    if to_email_address.verified:
        user.assign_organisation_from_email(to_email_address.email)


@receiver(user_signed_up)
def place_in_organisation_on_signup(sender, request, user, **kwargs):
    """Sign-up through an invitation link proves the address at once: no confirmation follows."""
    address = EmailAddress.objects.filter(user=user, primary=True, verified=True).first()
    if address is not None:
        user.assign_organisation_from_email(address.email)
