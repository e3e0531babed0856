"""Groups in the browser: create, invite across organisations, ask to join, leave.

Each journey drives the pages as people would (links, forms, buttons), checks what the pages show
and then what the database holds. Where two people act, each has their own browser context.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from accounts.models import User
from groups.models import Group, Invitation, JoinRequest, Membership
from notifications.models import Notification
from tests.e2e.helpers import path_is, starts_with, submit
from tests.factories import (
    DEFAULT_PASSWORD,
    GroupFactory,
    MembershipFactory,
    OrganisationDomainFactory,
    UserFactory,
)


def owned_group(owner, **fields):
    group = GroupFactory(**fields)
    MembershipFactory(group=group, user=owner, role=Membership.Role.OWNER)
    return group


def role_line(t, language, role):
    return t("You are %(role)s", language) % {"role": t(role, language)}


def member_count(count, language):
    with translation.override(language):
        return translation.ngettext("%(counter)s member", "%(counter)s members", count) % {
            "counter": count
        }


def field(t, text, language):
    """A model field's label as the form shows it: translated, capitalised, maybe with a colon."""
    return re.compile(rf"^{re.escape(capfirst(t(text, language)))}:?$")


# 1. Create a group ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("browser_locale", "language"), [("nl-NL", "nl"), ("en-US", "en")], ids=["nl", "en"]
)
def test_create_a_group_by_invitation_only(page, sign_in, t, language):
    GroupFactory(name="Bestaande groep", slug="open-data")
    person = UserFactory(first_name="Anna", last_name="de Vries")
    sign_in(page, person.email, DEFAULT_PASSWORD)

    page.locator("header").get_by_role("link", name=t("Groups", language), exact=True).click()
    expect(page).to_have_url(path_is("/groups/"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("main").get_by_role("link", name=t("Create a group", language)).click()
    expect(page).to_have_url(path_is("/groups/new/"))

    form = page.locator("main form")
    form.get_by_label(field(t, "name", language)).fill("Open data in de regio")
    # The web address of another group: refused, and nothing typed is lost.
    form.get_by_label(field(t, "web address", language)).fill("open-data")
    form.get_by_label(field(t, "description", language)).fill(
        "Samen datasets publiceren.\nZie https://data.overheid.nl"
    )
    form.get_by_label(t("Invitation only", language)).check()
    form.get_by_label(t("Hidden: only members know it exists", language)).check()
    response = submit(page, form.get_by_role("button", name=t("Create group", language)))

    assert response.status == 200
    expect(page).to_have_url(path_is("/groups/new/"))
    taken = t(
        "The web address %(slug)s is already taken by another group; choose another.", language
    ) % {"slug": "open-data"}
    expect(page.locator("main .field--error")).to_contain_text(taken)
    expect(page.locator("main .messages")).to_contain_text(
        t("The group was not created. Correct the errors below.", language)
    )
    form = page.locator("main form")
    expect(form.get_by_label(field(t, "name", language))).to_have_value("Open data in de regio")
    expect(form.get_by_label(field(t, "web address", language))).to_have_value("open-data")
    expect(form.get_by_label(field(t, "description", language))).to_have_value(
        "Samen datasets publiceren.\nZie https://data.overheid.nl"
    )
    expect(form.get_by_label(t("Invitation only", language))).to_be_checked()
    expect(form.get_by_label(t("Hidden: only members know it exists", language))).to_be_checked()
    assert Group.objects.count() == 1

    # Another web address: the group is created and its creator is its owner.
    form.get_by_label(field(t, "web address", language)).fill("open-data-regio")
    submit(page, form.get_by_role("button", name=t("Create group", language)))

    expect(page).to_have_url(path_is("/groups/open-data-regio/"))
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text("Open data in de regio")
    expect(main.locator(".messages")).to_contain_text(
        t("The group %(group)s has been created.", language) % {"group": "Open data in de regio"}
    )
    expect(main.locator(".group__meta")).to_contain_text(role_line(t, language, "owner"))
    expect(main.locator(".group__meta")).to_contain_text(t("Invitation only", language))
    expect(main.get_by_role("link", name="https://data.overheid.nl")).to_be_visible()
    expect(main.get_by_role("link", name=t("Invitations", language))).to_be_visible()

    group = Group.objects.get(slug="open-data-regio")
    assert group.name == "Open data in de regio"
    assert group.membership_policy == Group.MembershipPolicy.INVITATION
    assert group.visibility == Group.Visibility.HIDDEN
    assert group.created_by == person
    assert list(group.memberships.values_list("user", "role")) == [(person.pk, "owner")]

    # Hidden, yet listed for its member: "only my groups" finds it.
    page.locator("header").get_by_role("link", name=t("Groups", language), exact=True).click()
    filters = page.locator("main form.filters")
    filters.get_by_label(t("Only my groups", language)).check()
    submit(page, filters.get_by_role("button", name=t("Filter", language)))
    cards = page.locator("main .card")
    expect(cards).to_have_count(1)
    expect(cards.get_by_role("link", name="Open data in de regio")).to_be_visible()
    expect(cards.locator(".card__tags")).to_contain_text(t("Member", language))
    expect(cards.locator(".card__tags")).to_contain_text(t("Hidden", language))


# 2. Invite a person of another organisation without an account ---------------------------------


def test_invite_a_person_of_another_organisation_who_signs_up_and_joins(
    page, open_page, sign_in, t, mailoutbox
):
    domain_a = OrganisationDomainFactory(
        domain="meenthuizen.nl", organisation__name="Gemeente Meenthuizen", organisation__slug="mh"
    )
    OrganisationDomainFactory(
        domain="waterschap-aa.nl", organisation__name="Waterschap Aa", organisation__slug="aa"
    )
    owner = UserFactory(
        email="eva@meenthuizen.nl",
        first_name="Eva",
        last_name="Smit",
        organisation=domain_a.organisation,
    )
    group = owned_group(
        owner, name="Klimaatadaptatie", slug="klimaat", membership_policy="invitation"
    )
    invitee = "noor@waterschap-aa.nl"

    # The owner invites from the group's Invitations tab.
    sign_in(page, owner.email, DEFAULT_PASSWORD)
    page.goto("/groups/klimaat/")
    page.locator("main nav.tabs").get_by_role("link", name=t("Invitations", "nl")).click()
    expect(page).to_have_url(path_is("/groups/klimaat/invitations/"))
    form = page.locator("main form.form")
    form.get_by_label(t("E-mail addresses", "nl")).fill(invitee)
    form.get_by_label(t("Personal message (optional)", "nl")).fill("Doe mee met ons!")
    submit(page, form.get_by_role("button", name=t("Send invitations", "nl")))

    expect(page).to_have_url(path_is("/groups/klimaat/invitations/"))
    expect(page.locator("main .messages")).to_contain_text(
        t("Invitations sent to: %(emails)s", "nl") % {"emails": invitee}
    )
    row = page.locator("main table tbody tr", has_text=invitee)
    expect(row).to_contain_text(t("open", "nl"))
    invitation = Invitation.objects.get(group=group)
    assert (invitation.email, invitation.invited_by, invitation.message) == (
        invitee,
        owner,
        "Doe mee met ons!",
    )
    invitation_mails = [m for m in mailoutbox if m.to == [invitee]]
    assert len(invitation_mails) == 1
    assert "Klimaatadaptatie" in invitation_mails[0].subject
    link = re.search(r"https?://\S+/groups/invitations/\S+/", invitation_mails[0].body)
    assert link, invitation_mails[0].body
    path = urlsplit(link.group(0)).path
    assert path == invitation.get_absolute_url()

    # A newcomer opens the link in a browser of their own and creates an account from it.
    newcomer = open_page()
    newcomer.goto(path)
    expect(newcomer.locator("main h1")).to_have_text(
        t("Invitation to %(group)s", "nl") % {"group": "Klimaatadaptatie"}
    )
    expect(newcomer.locator("main")).to_contain_text(invitee)
    expect(newcomer.locator("main blockquote")).to_contain_text("Doe mee met ons!")
    newcomer.locator("main").get_by_role("link", name=t("Create an account", "nl")).click()
    expect(newcomer).to_have_url(re.compile(r"/accounts/signup/\?next="))
    form = newcomer.locator("main form")
    form.locator("[name=first_name]").fill("Noor")
    form.locator("[name=last_name]").fill("van Dijk")
    form.locator("[name=email]").fill(invitee)
    form.locator("[name=password1]").fill(DEFAULT_PASSWORD)
    form.locator("[name=password2]").fill(DEFAULT_PASSWORD)
    submit(newcomer, form.locator("button[type=submit]"))

    # The invitation proved the address: signed in at once and back at the invitation.
    expect(newcomer).to_have_url(path_is(path))
    expect(newcomer.locator("header .site-header__who")).to_contain_text("Noor van Dijk")
    person = User.objects.get(email=invitee)
    assert person.emailaddress_set.get().verified
    assert not [m for m in mailoutbox if m.to == [invitee] and "confirm-email" in m.body]

    # Keep a second tab on the invitation, as if the button were pressed twice.
    second_tab = newcomer.context.new_page()
    second_tab.goto(path)
    accept = t("Accept and join", "nl")
    submit(newcomer, newcomer.locator("main").get_by_role("button", name=accept))

    expect(newcomer).to_have_url(path_is("/groups/klimaat/"))
    main = newcomer.locator("main")
    expect(main.locator(".messages")).to_contain_text(
        t("Welcome to %(group)s!", "nl") % {"group": "Klimaatadaptatie"}
    )
    expect(main.locator(".group__meta")).to_contain_text(role_line(t, "nl", "member"))
    expect(main.get_by_role("button", name=t("Leave group", "nl"))).to_be_visible()
    membership = Membership.objects.get(group=group, user=person)
    assert membership.role == Membership.Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_by == person
    assert invitation.state == "accepted"
    assert Notification.objects.filter(recipient=owner, kind="invitation").exists()

    # The members page names both organisations.
    main.locator("nav.tabs").get_by_role("link", name=t("Members", "nl")).click()
    expect(newcomer).to_have_url(path_is("/groups/klimaat/members/"))
    rows = newcomer.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Eva Smit")).to_contain_text("Gemeente Meenthuizen")
    # Placed in their organisation by the address the invitation proved.
    person.refresh_from_db()
    assert person.organisation is not None and person.organisation.name == "Waterschap Aa"
    expect(rows.filter(has_text="Noor van Dijk")).to_contain_text("Waterschap Aa")
    expect(newcomer.locator("main")).to_contain_text("Gemeente Meenthuizen, Waterschap Aa")

    # The invitation works once: the second tab's press is refused, with the reason.
    response = submit(second_tab, second_tab.locator("main").get_by_role("button", name=accept))
    assert response.status == 410
    expect(second_tab.locator("main .messages")).to_contain_text(
        t("This invitation has already been used.", "nl")
    )
    second_tab.goto(path)
    expect(second_tab.locator("main")).to_contain_text(
        t("This invitation has already been used.", "nl")
    )
    expect(second_tab.locator("main").get_by_role("button", name=accept)).to_have_count(0)
    assert Membership.objects.filter(group=group).count() == 2


# 3. A join request, approved ------------------------------------------------------------------


def test_join_request_is_approved_by_an_owner_after_a_notification(page, open_page, sign_in, t):
    owner = UserFactory(first_name="Eva", last_name="Smit")
    requester = UserFactory(first_name="Bram", last_name="Peters")
    group = owned_group(owner, name="Digitale toegankelijkheid", slug="toegankelijk")
    group.membership_policy = Group.MembershipPolicy.REQUEST
    group.save(update_fields=["membership_policy"])

    # Bram asks to join, with a message.
    sign_in(page, requester.email, DEFAULT_PASSWORD)
    page.goto("/groups/toegankelijk/")
    page.locator("main").get_by_role("link", name=t("Ask to join", "nl")).click()
    expect(page).to_have_url(path_is("/groups/toegankelijk/join/"))
    form = page.locator("main form")
    form.get_by_label(t("Message to the group's admins", "nl")).fill(
        "Ik werk aan de toegankelijkheid van onze website."
    )
    submit(page, form.get_by_role("button", name=t("Send request", "nl")))

    expect(page).to_have_url(path_is("/groups/toegankelijk/"))
    expect(page.locator("main .messages")).to_contain_text(
        t("Your request has been sent. You will hear when the admins have decided.", "nl")
    )
    expect(page.locator("main .group__actions")).to_contain_text(
        t("You have asked to join. The admins will answer.", "nl")
    )
    join_request = JoinRequest.objects.get(group=group, user=requester)
    assert join_request.status == JoinRequest.Status.PENDING
    assert join_request.message == "Ik werk aan de toegankelijkheid van onze website."

    # Eva sees the count in the header, opens her notifications and follows the one about Bram.
    admin = open_page()
    sign_in(admin, owner.email, DEFAULT_PASSWORD)
    header_link = admin.locator("header nav").get_by_role(
        "link", name=re.compile(rf"^{t('Notifications', 'nl')}")
    )
    expect(header_link.locator(".badge")).to_contain_text("1")
    with translation.override("nl"):
        unread = translation.pgettext("notification count", "unread")
    expect(header_link).to_have_accessible_name(
        re.compile(rf"^{t('Notifications', 'nl')} 1 {unread}\s*$")
    )
    header_link.click()
    expect(admin).to_have_url(path_is("/notifications/"))
    text = t("%(person)s asks to join %(group)s.", "nl") % {
        "person": "Bram Peters",
        "group": "Digitale toegankelijkheid",
    }
    admin.locator("main .notification--unread").get_by_role("link", name=re.compile(text)).click()

    expect(admin).to_have_url(path_is("/groups/toegankelijk/requests/"))
    card = admin.locator("main .card", has_text="Bram Peters")
    expect(card.locator("blockquote")).to_contain_text("toegankelijkheid van onze website")
    expect(admin.locator("header nav .badge")).to_have_count(0)
    assert Notification.objects.get(recipient=owner, kind="join_request").read_at is not None
    submit(admin, card.get_by_role("button", name=starts_with(t("Approve", "nl"))))

    expect(admin).to_have_url(path_is("/groups/toegankelijk/requests/"))
    expect(admin.locator("main .messages")).to_contain_text(
        t("%(person)s is now a member.", "nl") % {"person": "Bram Peters"}
    )
    expect(admin.locator("main")).to_contain_text(t("There are no requests waiting.", "nl"))
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert join_request.decided_by == owner
    assert Membership.objects.get(group=group, user=requester).role == Membership.Role.MEMBER

    # Bram hears of it and is a member.
    page.goto("/notifications/")
    expect(page.locator("header nav .badge")).to_contain_text("1")
    approved = t("Your request to join %(group)s was approved.", "nl") % {
        "group": "Digitale toegankelijkheid"
    }
    page.locator("main .notification--unread").get_by_role(
        "link", name=re.compile(re.escape(approved))
    ).click()
    expect(page).to_have_url(path_is("/groups/toegankelijk/"))
    main = page.locator("main")
    expect(main.get_by_role("button", name=t("Leave group", "nl"))).to_be_visible()
    expect(main.locator(".group__meta")).to_contain_text(role_line(t, "nl", "member"))
    expect(main.locator(".group__meta")).to_contain_text(member_count(2, "nl"))


# 4. Leaving, and the last owner --------------------------------------------------------------


def test_the_last_owner_cannot_leave_but_a_member_can(page, open_page, sign_in, t):
    owner = UserFactory(first_name="Eva", last_name="Smit")
    member = UserFactory(first_name="Bram", last_name="Peters")
    group = owned_group(owner, name="Inkoop", slug="inkoop")
    MembershipFactory(group=group, user=member, role=Membership.Role.MEMBER)

    sign_in(page, owner.email, DEFAULT_PASSWORD)
    page.goto("/groups/inkoop/")
    # The last owner is not offered "Leave group": the page says how to hand over first.
    main = page.locator("main")
    expect(main.get_by_role("button", name=t("Leave group", "nl"))).to_have_count(0)
    main.get_by_role("link", name="de ledenpagina").click()
    expect(page).to_have_url(path_is("/groups/inkoop/members/"))
    page.goto("/groups/inkoop/")
    expect(page.locator("main .group__meta")).to_contain_text(role_line(t, "nl", "owner"))
    assert Membership.objects.get(group=group, user=owner).role == Membership.Role.OWNER

    other = open_page()
    sign_in(other, member.email, DEFAULT_PASSWORD)
    other.goto("/groups/inkoop/")
    submit(other, other.locator("main").get_by_role("button", name=t("Leave group", "nl")))

    expect(other).to_have_url(path_is("/groups/inkoop/"))
    main = other.locator("main")
    expect(main.locator(".messages")).to_contain_text(
        t("You have left %(group)s.", "nl") % {"group": "Inkoop"}
    )
    expect(main.get_by_role("button", name=t("Leave group", "nl"))).to_have_count(0)
    expect(main.get_by_role("button", name=t("Join group", "nl"))).to_be_visible()
    assert not Membership.objects.filter(group=group, user=member).exists()
    assert list(group.memberships.values_list("user", flat=True)) == [owner.pk]
