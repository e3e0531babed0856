"""Moderation in the browser: a member reports a comment, a moderator hides it in the admin, the
reporter hears the outcome, the author is told why, and the comment is gone for everyone else."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from blog.models import Comment, Post
from moderation.models import Flag, Report
from moderation.roles import ensure_moderator_role
from tests.e2e.axe import assert_no_serious_axe_violations
from tests.e2e.helpers import field, starts_with, submit, totp_code
from tests.factories import DEFAULT_PASSWORD, GroupFactory, MembershipFactory, UserFactory
from tests.helpers import TOTP_SECRET, activate_totp

SPAM = "Koop nu goedkope horloges op horloges.example"


@pytest.fixture
def world(server):
    author = UserFactory(email="auteur@voorbeeld.nl", first_name="Anna", last_name="Jansen")
    reader = UserFactory(email="lezer@voorbeeld.nl", first_name="Rik", last_name="Lezer")
    bystander = UserFactory(email="ander@voorbeeld.nl", first_name="Bo", last_name="Ander")
    moderator = UserFactory(
        email="moderator@voorbeeld.nl", first_name="Mo", last_name="Derator", is_staff=True
    )
    moderator.groups.add(ensure_moderator_role())
    activate_totp(moderator)
    group = GroupFactory(slug="team", name="Team", content_default="open")
    owner = UserFactory(email="eigenaar@voorbeeld.nl")
    MembershipFactory(group=group, user=owner, role="owner")
    for person in (author, reader, bystander):
        MembershipFactory(group=group, user=person, role="member")
    post = Post.objects.create(
        author=owner,
        group=group,
        title="Parkeerbeleid",
        slug="parkeerbeleid",
        body="<p>Over parkeren.</p>",
        published_at=timezone.now(),
    )
    comment = Comment.objects.create(post=post, author=author, body=SPAM)
    return {
        "author": author,
        "reader": reader,
        "bystander": bystander,
        "moderator": moderator,
        "post": post,
        "comment": comment,
    }


def test_report_a_comment_a_moderator_hides_it(page, open_page, world, sign_in, t):
    post, comment = world["post"], world["comment"]

    # The reader reports the comment, first forgetting to say what "something else" is.
    sign_in(page, world["reader"].email, DEFAULT_PASSWORD)
    page.goto(post.get_absolute_url())
    page.locator(f"#comment-{comment.pk}").get_by_role(
        "link", name=starts_with(t("Report", "nl"))
    ).click()
    expect(page.locator("main h1")).to_contain_text("Parkeerbeleid")
    assert_no_serious_axe_violations(page)
    page.get_by_role("radio", name=t("Something else", "nl")).check()
    submit(page, page.locator("main form button[type=submit]"))
    expect(page.locator("main .errorlist")).to_contain_text(
        t("Say in a few words what is wrong.", "nl")
    )
    assert not Report.objects.exists()
    assert_no_serious_axe_violations(page)
    page.get_by_role("radio", name=t("Spam or advertising", "nl")).check()
    page.get_by_label(field(t, "Explain (optional; required for “Something else”)")).fill(
        "Reclame voor horloges"
    )
    submit(page, page.locator("main form button[type=submit]"))
    expect(page.locator("main [role=status]")).to_contain_text(
        t(
            "Thank you. Your report was sent to the group's owners and admins, and to the "
            "moderators if they do not handle it. You will hear the outcome.",
            "nl",
        )
    )
    assert Flag.objects.get().text == "Reclame voor horloges"

    # The moderator signs in with the second factor and finds it in the admin's queue.
    moderator_page = open_page()
    sign_in(moderator_page, world["moderator"].email, DEFAULT_PASSWORD)
    expect(moderator_page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    moderator_page.locator("main form [name=code]").fill(totp_code(TOTP_SECRET))
    moderator_page.locator("main form button[type=submit]:not([form])").click()
    moderator_page.wait_for_load_state()
    moderator_page.goto("/admin/moderation/")
    moderator_page.get_by_role("link", name=re.compile("Parkeerbeleid")).click()
    expect(moderator_page.locator("main")).to_contain_text(SPAM)
    expect(moderator_page.locator("main")).to_contain_text("Reclame voor horloges")
    expect(moderator_page.locator("main")).to_contain_text("Rik Lezer")
    moderator_page.locator("input[name=decision][value=hide]").check()
    submit(moderator_page, moderator_page.locator("main form button[type=submit]"))
    # No reason: refused, nothing hidden.
    expect(moderator_page.locator("main")).to_contain_text(
        t("Give a reason: the author is told why.", "nl")
    )
    assert Report.objects.get().is_open
    moderator_page.locator("input[name=decision][value=hide]").check()
    moderator_page.locator("textarea[name=reason]").fill("Reclame hoort hier niet")
    submit(moderator_page, moderator_page.locator("main form button[type=submit]"))
    expect(moderator_page).to_have_url(re.compile(r"/admin/moderation/$"))
    assert Report.objects.get().decision == "hide"

    # The reader hears the outcome.
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text("Parkeerbeleid")
    assert_no_serious_axe_violations(page)

    # The author is told why.
    author_page = open_page()
    sign_in(author_page, world["author"].email, DEFAULT_PASSWORD)
    author_page.goto("/notifications/")
    expect(author_page.locator("main")).to_contain_text("Reclame hoort hier niet")

    # Everyone else: the comment is gone (a hidden comment without replies leaves no note).
    bystander_page = open_page()
    sign_in(bystander_page, world["bystander"].email, DEFAULT_PASSWORD)
    bystander_page.goto(post.get_absolute_url())
    expect(bystander_page.locator(f"#comment-{comment.pk}")).to_have_count(0)
    expect(bystander_page.locator("main")).not_to_contain_text("horloges.example")
    anonymous = open_page()
    anonymous.goto(post.get_absolute_url())
    expect(anonymous.locator("main")).not_to_contain_text("horloges.example")


def test_a_group_admin_handles_a_report_about_the_group_first(page, world, sign_in, t):
    from moderation import services

    post, comment = world["post"], world["comment"]
    owner = post.author
    opened, _ = services.report_item(world["reader"], "comment", comment.pk, "abuse")

    sign_in(page, owner.email, DEFAULT_PASSWORD)
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text("Parkeerbeleid")
    # The group's tab shows how many reports wait.
    page.goto(post.group.get_absolute_url())
    page.locator("nav.tabs").get_by_role("link", name=re.compile("1$")).click()
    expect(page.locator(f"#report-{opened.pk}")).to_contain_text(SPAM)
    assert_no_serious_axe_violations(page)
    card = page.locator(f"#report-{opened.pk}")
    card.get_by_role("radio", name=t("Delete it", "nl")).check()
    submit(page, card.get_by_role("button", name=t("Decide", "nl")))
    # No reason: the form says so, in place.
    expect(page.locator(f"#report-{opened.pk} .errorlist")).to_be_visible()
    assert Report.objects.get().is_open
    assert_no_serious_axe_violations(page)
    card = page.locator(f"#report-{opened.pk}")
    card.get_by_role("radio", name=t("Delete it", "nl")).check()
    card.locator("textarea").fill("Reclame")
    submit(page, card.get_by_role("button", name=t("Decide", "nl")))
    expect(page.locator("main")).to_contain_text(
        t("Done. The author and the people who reported it are told.", "nl")
    )
    handled = Report.objects.get()
    assert handled.decision == "delete" and handled.decided_by == owner
    assert Comment.objects.get(pk=comment.pk).body == ""
