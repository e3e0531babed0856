from allauth.account.signals import email_changed, email_confirmed
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
