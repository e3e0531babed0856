"""Rate limits, proved with real POSTs: sign-in, sign-up and password reset (allauth's
ACCOUNT_RATE_LIMITS in config/settings/base.py), group invitations (MEENT_INVITATION_RATE,
meent/ratelimit.py) and the sliding-window limiter itself.

The chat's per-sender limit (MEENT_CHAT_RATE per MEENT_CHAT_RATE_WINDOW) goes through the same
limiter; its behaviour (window boundaries, refused messages not counting, senders apart) is proved
in tests/chat/test_rate.py and not repeated here.

allauth counts in the cache against ``time.time()``; that clock is frozen here, so a slow machine
cannot let a window pass in the middle of a test. Clients are told apart by REMOTE_ADDR, which is
what allauth uses without ALLAUTH_TRUSTED_PROXY_COUNT.
"""

import time as real_time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from chat import services as chat_services
from groups.models import Invitation
from meent import ratelimit
from tests.factories import DEFAULT_PASSWORD, GroupFactory, MembershipFactory, UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-Horse-battery-77"


def limits(action):
    """{"ip": amount, "key": amount} of one ACCOUNT_RATE_LIMITS entry ("10/m/ip,5/5m/key")."""
    amounts = {}
    for rate in settings.ACCOUNT_RATE_LIMITS[action].split(","):
        amount, _duration, per = rate.strip().split("/")
        amounts[per] = int(amount)
    return amounts


@pytest.fixture(autouse=True)
def frozen_allauth_clock(monkeypatch):
    moment = real_time.time()
    clock = SimpleNamespace(
        time=lambda: moment, monotonic=real_time.monotonic, sleep=real_time.sleep
    )
    monkeypatch.setattr(allauth_ratelimit, "time", clock)


def browser(ip):
    """A client at ``ip``, in English."""
    return Client(REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE="en")


def english(message):
    with override("en"):
        return str(message)


def too_many_logins():
    return english(get_adapter().error_messages["too_many_login_attempts"])


def signed_in(response):
    return response.wsgi_request.user.is_authenticated


def test_the_promised_limits_are_configured():
    assert limits("login_failed") == {"ip": 10, "key": 5}
    assert limits("signup") == {"ip": 20}
    assert limits("reset_password") == {"ip": 20, "key": 5}


# ---------------------------------------------------------------------------------------------
# Sign-in


def test_sign_in_is_refused_after_five_failures_for_one_address_from_any_ip():
    person = UserFactory(email="doelwit@meent.nl")
    other = UserFactory(email="ander@meent.nl")
    per_key = limits("login_failed")["key"]
    attacker = browser("198.51.100.1")
    for _ in range(per_key):
        response = sign_in(attacker, person.email, "wrong-password-1")
        assert response.status_code == 200 and not signed_in(response)
        assert too_many_logins() not in response.content.decode()

    # The next attempt, with the right password and from another address, is refused all the
    # same: the limit is per e-mail address (key).
    response = sign_in(browser("203.0.113.7"), person.email, DEFAULT_PASSWORD)
    assert response.status_code == 200 and not signed_in(response)
    assert too_many_logins() in response.content.decode()

    # Another person at the attacker's IP is not locked out: that IP has 5 of its 10 failures.
    response = sign_in(browser("198.51.100.1"), other.email, DEFAULT_PASSWORD)
    assert response.status_code == 302 and signed_in(response)


def test_sign_in_is_refused_after_ten_failures_from_one_ip():
    person = UserFactory(email="lid@meent.nl")
    per_ip = limits("login_failed")["ip"]
    for number in range(per_ip):
        response = sign_in(browser("198.51.100.2"), f"raden{number}@meent.nl", "wrong-password-1")
        assert response.status_code == 200 and not signed_in(response)
        assert too_many_logins() not in response.content.decode()

    response = sign_in(browser("198.51.100.2"), person.email, DEFAULT_PASSWORD)
    assert not signed_in(response)
    assert too_many_logins() in response.content.decode()

    # The limit is per IP: from elsewhere the same person signs in.
    response = sign_in(browser("203.0.113.8"), person.email, DEFAULT_PASSWORD)
    assert response.status_code == 302 and signed_in(response)


# ---------------------------------------------------------------------------------------------
# Sign-up


def signup_data(email, password2=NEW_PASSWORD):
    return {
        "first_name": "Nieuw",
        "last_name": "Mens",
        "email": email,
        "password1": NEW_PASSWORD,
        "password2": password2,
    }


def test_sign_up_is_refused_with_429_after_twenty_posts_from_one_ip():
    users = get_user_model().objects
    per_ip = limits("signup")["ip"]
    for number in range(per_ip):
        # Every POST counts, also one the form refuses (here: the passwords differ).
        response = browser("198.51.100.3").post(
            reverse("account_signup"), signup_data(f"poging{number}@meent.nl", "different-1")
        )
        assert response.status_code == 200
    response = browser("198.51.100.3").post(reverse("account_signup"), signup_data("echt@meent.nl"))
    assert response.status_code == 429
    assert not users.filter(email="echt@meent.nl").exists()
    assert mail.outbox == []

    response = browser("203.0.113.9").post(reverse("account_signup"), signup_data("echt@meent.nl"))
    assert response.status_code == 302
    assert users.filter(email="echt@meent.nl").exists()


# ---------------------------------------------------------------------------------------------
# Password reset


def request_reset(ip, email):
    return browser(ip).post(reverse("account_reset_password"), {"email": email})


def test_password_reset_is_refused_after_five_requests_for_one_address():
    person = UserFactory(email="vergeten@meent.nl")
    per_key = limits("reset_password")["key"]
    for number in range(per_key):
        response = request_reset(f"198.51.100.{10 + number}", person.email)
        assert response.status_code == 302
    assert len([m for m in mail.outbox if person.email in m.to]) == per_key

    # From yet another IP: refused, because the limit is per address. No sixth e-mail.
    response = request_reset("203.0.113.10", person.email)
    assert response.status_code == 429
    assert len([m for m in mail.outbox if person.email in m.to]) == per_key
    # Another address from that IP is served.
    assert request_reset("203.0.113.10", "iemand-anders@meent.nl").status_code == 302


def test_password_reset_is_refused_after_twenty_requests_from_one_ip():
    person = UserFactory(email="kwijt@meent.nl")
    per_ip = limits("reset_password")["ip"]
    for number in range(per_ip):
        assert request_reset("198.51.100.30", f"adres{number}@meent.nl").status_code == 302
    sent = len(mail.outbox)
    assert request_reset("198.51.100.30", person.email).status_code == 429
    assert len(mail.outbox) == sent
    assert request_reset("203.0.113.11", person.email).status_code == 302
    assert any(person.email in m.to for m in mail.outbox[sent:])


# ---------------------------------------------------------------------------------------------
# Chat


def test_chat_senders_are_limited_by_the_shared_limiter(settings):
    """Only that the limit is there and goes through meent/ratelimit.py: its behaviour is
    tests/chat/test_rate.py's."""
    assert settings.MEENT_CHAT_RATE > 0 and settings.MEENT_CHAT_RATE_WINDOW > 0
    settings.MEENT_CHAT_RATE = 1
    sender = UserFactory()
    chat_services.check_rate(sender)
    with pytest.raises(chat_services.ChatError) as refused:
        chat_services.check_rate(sender)
    assert refused.value.code == "rate_limited"
    assert ratelimit.check(f"chat:{sender.pk}", 1, settings.MEENT_CHAT_RATE_WINDOW) == 0


# ---------------------------------------------------------------------------------------------
# Group invitations


@pytest.fixture
def inviting(settings, django_capture_on_commit_callbacks):
    settings.MEENT_INVITATION_RATE = 3
    group = GroupFactory(slug="uitnodigers", membership_policy="invitation")
    owner = UserFactory(email="eigenaar@meent.nl")
    admin = UserFactory(email="beheerder@meent.nl")
    member = UserFactory(email="lid@meent.nl")
    MembershipFactory(group=group, user=owner, role="owner")
    MembershipFactory(group=group, user=admin, role="admin")
    MembershipFactory(group=group, user=member, role="member")
    client = browser("198.51.100.50")
    client.force_login(owner)

    def invite(*emails, as_client=client):
        with django_capture_on_commit_callbacks(execute=True):
            return as_client.post(
                reverse("groups:invitations", args=[group.slug]), {"emails": " ".join(emails)}
            )

    return SimpleNamespace(group=group, owner=owner, admin=admin, member=member, invite=invite)


def invited(group):
    return sorted(Invitation.objects.filter(group=group).values_list("email", flat=True))


def invitation_mails():
    return sorted(address for m in mail.outbox for address in m.to if address.startswith("gast"))


def test_invitations_are_limited_per_inviter_and_a_batch_is_all_or_nothing(inviting):
    group = inviting.group
    assert inviting.invite("gast1@elders.nl", "gast2@elders.nl").status_code == 302
    assert invited(group) == ["gast1@elders.nl", "gast2@elders.nl"]
    assert invitation_mails() == ["gast1@elders.nl", "gast2@elders.nl"]

    # Two more would be four of three: refused whole, with the form and the reason.
    response = inviting.invite("gast3@elders.nl", "gast4@elders.nl")
    assert response.status_code == 429
    expected = english(
        "You can invite at most %(rate)s people per hour, and %(left)s more right now. "
        "No invitations were sent: invite fewer people at once."
    ) % {"rate": 3, "left": 1}
    page = response.content.decode()
    assert expected in page
    assert 'name="emails"' in page and "gast3@elders.nl" in page  # what was typed is kept
    assert invited(group) == ["gast1@elders.nl", "gast2@elders.nl"]
    assert invitation_mails() == ["gast1@elders.nl", "gast2@elders.nl"]

    assert inviting.invite("gast3@elders.nl").status_code == 302
    response = inviting.invite("gast4@elders.nl")
    assert response.status_code == 429
    assert (
        english(
            "You have sent the most invitations allowed: %(rate)s per hour. "
            "No invitations were sent; try again later."
        )
        % {"rate": 3}
        in response.content.decode()
    )
    assert invited(group) == ["gast1@elders.nl", "gast2@elders.nl", "gast3@elders.nl"]

    # Per inviter: another admin of the same group still invites.
    other = browser("198.51.100.50")
    other.force_login(inviting.admin)
    assert inviting.invite("gast4@elders.nl", as_client=other).status_code == 302
    assert "gast4@elders.nl" in invited(group)


def test_members_who_are_skipped_do_not_count(inviting):
    response = inviting.invite(inviting.member.email, "gast1@elders.nl")
    assert response.status_code == 302
    assert inviting.invite("gast2@elders.nl", "gast3@elders.nl").status_code == 302
    assert invited(inviting.group) == ["gast1@elders.nl", "gast2@elders.nl", "gast3@elders.nl"]


def test_the_invitation_limit_lifts_as_the_window_slides(inviting, monkeypatch):
    start = datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC)  # a multiple of the hour
    moment = {"now": start + timedelta(minutes=5)}
    monkeypatch.setattr(timezone, "now", lambda: moment["now"])
    assert (
        inviting.invite("gast1@elders.nl", "gast2@elders.nl", "gast3@elders.nl").status_code == 302
    )
    assert inviting.invite("gast4@elders.nl").status_code == 429
    moment["now"] = start + timedelta(hours=2, minutes=5)
    assert inviting.invite("gast4@elders.nl").status_code == 302


# ---------------------------------------------------------------------------------------------
# The limiter


@pytest.fixture
def clock(monkeypatch):
    start = datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC)
    moment = {"now": start}
    monkeypatch.setattr(timezone, "now", lambda: moment["now"])

    def at(seconds):
        moment["now"] = start + timedelta(seconds=seconds)

    return at


def test_hit_counts_until_the_limit_and_refusals_do_not_count(clock):
    clock(1)
    assert [ratelimit.hit("k", 3, 60) for _ in range(4)] == [True, True, True, False]
    assert ratelimit.check("k", 3, 60) == 0
    assert ratelimit.check("other", 3, 60) == 3  # keys are apart


def test_a_batch_is_counted_whole_or_not_at_all(clock):
    clock(1)
    assert ratelimit.hit("k", 5, 60, cost=3)
    assert not ratelimit.hit("k", 5, 60, cost=3)  # 6 > 5: nothing counted
    assert ratelimit.check("k", 5, 60) == 2
    assert ratelimit.hit("k", 5, 60, cost=2)
    ratelimit.refund("k", 60, cost=2)
    assert ratelimit.check("k", 5, 60) == 2


def test_the_window_slides(clock):
    clock(50)
    assert ratelimit.hit("k", 2, 60, cost=2)
    clock(61)  # a new fixed window, but the two are 11 s old
    assert not ratelimit.hit("k", 2, 60)
    clock(90)  # half the previous window overlaps: 2 * 0.5 = 1
    assert ratelimit.hit("k", 2, 60)
    assert not ratelimit.hit("k", 2, 60)


def test_wagtail_sign_in_form_leads_to_allauth(client, settings):
    """Private pages and documents send people to a sign-in form: allauth's, with its rate limits
    and two-factor step, never Wagtail's plain password form."""

    person = UserFactory(email="omweg@voorbeeld.nl")
    response = client.post(
        "/_util/login/?next=/geheim/", {"username": person.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/geheim/"
    assert "_auth_user_id" not in client.session
    assert settings.WAGTAIL_FRONTEND_LOGIN_URL == "/accounts/login/"
    assert get_user_model().objects.filter(pk=person.pk, last_login__isnull=True).exists()


def test_the_limiter_lets_people_post_when_the_cache_cannot_count(monkeypatch):
    """With Redis down the cache answers nothing (its errors are ignored, so pages keep
    working): the limiter cannot count, and lets the attempt through instead of failing."""
    from django.core.cache import cache

    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    monkeypatch.setattr(cache, "incr", lambda *args, **kwargs: None)
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    assert all(ratelimit.hit("redis-away", limit=1, window=60) for _ in range(5))
