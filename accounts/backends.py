from allauth.account.auth_backends import AuthenticationBackend


class MeentAuthenticationBackend(AuthenticationBackend):
    """allauth's backend, refusing people who are suspended."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not getattr(user, "is_suspended", False)

    def get_user(self, user_id):
        user = super().get_user(user_id)
        # A suspension ends every session at once: the next request is anonymous.
        if user is not None and user.is_suspended:
            return None
        return user
