"""Every page of the groups journeys passes axe-core's WCAG 2.1 A/AA rules (serious, critical).

The pages are checked in the states that add markup: filters applied, forms after a failed submit,
managers' controls, pending requests, sent invitations, unread notifications, a refusal. The role
control on the members page is also driven with the keyboard alone.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import Invitation, JoinRequest, Membership
from notifications import notify
from notifications.models import Notification
from tests.e2e.helpers import submit
from tests.factories import (
    DEFAULT_PASSWORD,
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.helpers import group_with


def sign_out(page, t):
    submit(page, page.locator("header").get_by_role("button", name=t("Sign out", "nl")))


def test_group_list_anonymous_and_signed_in_with_filters(page, axe, sign_in, t):
    organisation = OrganisationFactory(name="Gemeente Meenthuizen")
    person = UserFactory(organisation=organisation)
    group_with(person, name="Open data", description="Datasets van de gemeente.")
    group_with(person, name="Open source", visibility="hidden", membership_policy="invitation")
    GroupFactory(name="Inkoop", membership_policy="request", is_archived=True)

    page.goto("/groups/")
    filters = page.locator("main form.filters")
    filters.get_by_label(t("Search by name", "nl")).fill("open")
    filters.get_by_label(t("Organisation", "nl")).select_option(label="Gemeente Meenthuizen")
    submit(page, filters.get_by_role("button", name=t("Filter", "nl")))
    expect(page.locator("main .card")).to_have_count(1)  # the hidden group is not shown
    axe.check(page)

    sign_in(page, person.email, DEFAULT_PASSWORD)
    page.goto("/groups/?q=open")
    filters = page.locator("main form.filters")
    filters.get_by_label(t("Only my groups", "nl")).check()
    submit(page, filters.get_by_role("button", name=t("Filter", "nl")))
    expect(page.locator("main .card")).to_have_count(2)
    expect(page.locator("main .card .tag").first).to_be_visible()
    axe.check(page)

    # No match: the empty state.
    page.goto("/groups/?q=bestaat-niet")
    expect(page.locator("main .card")).to_have_count(0)
    axe.check(page)
    axe.done()


def test_owner_pages_with_manage_controls_and_failed_submits(page, axe, sign_in, t):
    owner = UserFactory(first_name="Eva", last_name="Smit", organisation=OrganisationFactory())
    group = group_with(
        owner,
        name="Klimaat",
        slug="klimaat",
        membership_policy="request",
        description="Zie https://example.org",
    )
    MembershipFactory(group=group, role=Membership.Role.ADMIN)
    MembershipFactory(group=group, role=Membership.Role.MEMBER)
    JoinRequest.objects.create(
        group=group, user=UserFactory(first_name="Bram"), message="Mag ik erbij?\nGraag."
    )
    accepted = UserFactory()
    for email, fields in [
        ("open@voorbeeld.nl", {}),
        ("aangenomen@voorbeeld.nl", {"accepted_at": timezone.now(), "accepted_by": accepted}),
        ("ingetrokken@voorbeeld.nl", {"revoked_at": timezone.now()}),
        ("verlopen@voorbeeld.nl", {"expires_at": timezone.now() - timedelta(days=1)}),
    ]:
        Invitation.objects.create(group=group, email=email, invited_by=owner, **fields)
    sign_in(page, owner.email, DEFAULT_PASSWORD)

    # The group's home, with the pin form opened.
    page.goto("/groups/klimaat/")
    page.locator("main summary", has_text=t("Pin a link", "nl")).click()
    expect(page.locator("main details form")).to_be_visible()
    expect(page.locator("main nav.tabs .badge")).to_have_text("1")
    axe.check(page)

    # The members page with the controls to change roles, hand over and remove.
    page.goto("/groups/klimaat/members/")
    expect(page.locator("main select[name=role]")).to_have_count(2)
    axe.check(page)

    # The join requests page with one request waiting.
    page.goto("/groups/klimaat/requests/")
    expect(page.locator("main .card")).to_have_count(1)
    axe.check(page)

    # The invitations page with invitations in each state, then after a failed submit.
    page.goto("/groups/klimaat/invitations/")
    expect(page.locator("main table tbody tr")).to_have_count(4)
    axe.check(page)
    form = page.locator("main form.form")
    form.get_by_label(t("E-mail addresses", "nl")).fill("nieuw@voorbeeld.nl, ONGELDIG geen-adres@")
    response = submit(page, form.get_by_role("button", name=t("Send invitations", "nl")))
    assert response.status == 200
    expect(page.locator("main .field--error")).to_contain_text("ONGELDIG")
    axe.check(page)

    # The edit form, also after a failed submit.
    page.goto("/groups/klimaat/edit/")
    axe.check(page)
    form = page.locator("main form.form")
    form.locator("[name=name]").fill("")
    submit(page, form.get_by_role("button", name=t("Save group", "nl")))
    expect(page.locator("main .field--error")).to_have_count(1)
    axe.check(page)

    # The form to create a group, also after a failed submit.
    page.goto("/groups/new/")
    axe.check(page)
    form = page.locator("main form.form")
    form.locator("[name=slug]").fill("new")
    submit(page, form.get_by_role("button", name=t("Create group", "nl")))
    expect(page.locator("main .field--error")).to_have_count(2)
    axe.check(page)

    # The last owner is not offered to leave: the group page says how to hand over first.
    page.goto("/groups/klimaat/")
    main = page.locator("main")
    expect(main.get_by_role("button", name=t("Leave group", "nl"))).to_have_count(0)
    expect(main.get_by_role("link", name="de ledenpagina")).to_be_visible()
    axe.check(page)
    assert Membership.objects.filter(group=group, user=owner, role="owner").exists()
    axe.done()


def test_member_visitor_and_invitation_pages(page, axe, sign_in, t):
    person = UserFactory(first_name="Noor", last_name="van Dijk")
    owner = UserFactory(first_name="Eva", last_name="Smit")
    member_of = group_with(owner, name="Inkoop", slug="inkoop")
    MembershipFactory(group=member_of, user=person)
    group_with(owner, name="Besloten", slug="besloten", content_default="members")
    group_with(owner, name="Op aanvraag", slug="op-aanvraag", membership_policy="request")
    invited_to = group_with(owner, name="Uitgenodigd", slug="uitgenodigd", visibility="hidden")
    invitation = Invitation.objects.create(
        group=invited_to, email=person.email, invited_by=owner, message="Welkom!\nTot snel."
    )
    sign_in(page, person.email, DEFAULT_PASSWORD)

    # The home of a group one is a member of.
    page.goto("/groups/inkoop/")
    expect(page.locator("main").get_by_role("button", name=t("Leave group", "nl"))).to_be_visible()
    axe.check(page)

    # A members-only group one is not in.
    page.goto("/groups/besloten/")
    expect(page.locator("main .notice")).to_have_text(
        t("The content of this group is for members only.", "nl")
    )
    axe.check(page)

    # The join request form.
    page.goto("/groups/op-aanvraag/")
    page.locator("main").get_by_role("link", name=t("Ask to join", "nl")).click()
    expect(page.locator("main textarea[name=message]")).to_be_visible()
    axe.check(page)

    # The invitation landing page, signed in and then anonymous.
    page.goto(invitation.get_absolute_url())
    expect(
        page.locator("main").get_by_role("button", name=t("Accept and join", "nl"))
    ).to_be_visible()
    axe.check(page)
    sign_out(page, t)
    page.goto(invitation.get_absolute_url())
    expect(
        page.locator("main").get_by_role("link", name=t("Create an account", "nl"))
    ).to_be_visible()
    axe.check(page)
    axe.done()


def test_notification_pages_with_unread_items(page, axe, sign_in, t):
    person = UserFactory()
    actor = UserFactory(first_name="Bram", last_name="Peters")
    group = group_with(person, name="Klimaat", slug="klimaat")
    names = {"person": actor.display_name, "group": group.name}
    notify(
        person,
        "join_request",
        "groups.join_request",
        "/groups/klimaat/requests/",
        params=names,
        actor=actor,
    )
    notify(
        person,
        "membership",
        "groups.role_changed",
        "",
        params={**names, "role": "admin"},
        actor=actor,
    )
    read = notify(
        person,
        "invitation",
        "groups.invitation_accepted",
        group.get_absolute_url(),
        params=names,
        actor=actor,
    )
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    sign_in(page, person.email, DEFAULT_PASSWORD)

    page.goto("/notifications/")
    expect(page.locator("main .notification--unread")).to_have_count(2)
    expect(page.locator("header nav .badge")).to_contain_text("2")
    expect(
        page.locator("main").get_by_role("button", name=t("Mark as read", "nl"), exact=True)
    ).to_be_visible()
    axe.check(page)

    page.locator("main").get_by_role("link", name=t("Choose which e-mails you get", "nl")).click()
    expect(page).to_have_url(re.compile(r"/notifications/preferences/$"))
    axe.check(page)
    axe.done()


def test_role_change_with_the_keyboard(page, sign_in, t):
    owner = UserFactory(first_name="Aad", last_name="Aalders")
    group = group_with(owner, name="Klimaat", slug="klimaat")
    member = MembershipFactory(group=group, user=UserFactory(first_name="Bram", last_name="Peters"))
    sign_in(page, owner.email, DEFAULT_PASSWORD)
    page.goto("/groups/klimaat/members/")

    # From the top of the page, Tab reaches Bram's role select.
    select = page.locator(f"#role-{member.pk}")
    expect(select).to_have_value("member")
    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if select.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the role select")

    # The arrow keys choose a role (admin is just above member); Tab moves on to the button.
    page.keyboard.press("ArrowUp")
    expect(select).to_have_value("admin")
    page.keyboard.press("Tab")
    button = page.locator(f"form:has(#role-{member.pk})").get_by_role(
        "button", name=t("Change role", "nl")
    )
    expect(button).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Saved: the select shows the new role, and so does the database.
    expect(page).to_have_url(re.compile(r"/groups/klimaat/members/$"))
    expect(page.locator(f"#role-{member.pk}")).to_have_value("admin")
    member.refresh_from_db()
    assert member.role == Membership.Role.ADMIN
    message = page.locator("main .messages")
    expect(message).to_contain_text("Bram Peters")
    said = t("%(person)s is now %(role)s.", "nl")
    expect(message).to_have_text(said % {"person": "Bram Peters", "role": t("admin", "nl")})
