"""The mention picker in the browser: type "@moh" in a comment, choose Mohamed Yılmaz with the
keyboard, send, and he is told; the same in a chat message, where Enter would otherwise send."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from blog.models import Post
from notifications.models import Notification
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


def test_the_editor_picker_stores_the_person_and_tells_them(page, server, sign_in):
    """In the rich-text editor of a blog post: "@moh", ArrowDown, Enter, keyboard only. The
    stored post names the person by id, and they are told once it is published."""
    writer, named, _post = world()
    sign_in(page, writer.email, DEFAULT_PASSWORD)
    page.goto("/blog/new/?group=samen")
    form = page.locator("main form.blog-form")
    form.locator("input[name=title]").focus()
    page.keyboard.type("Met een vermelding")
    area = form.locator(".rich-text__content")
    expect(area).to_be_visible()
    area.focus()
    page.keyboard.type("Vraag aan @moh")
    listbox = page.get_by_role("listbox")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(area).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    expect(area).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    expect(page.locator(".rich-text [aria-live=polite]")).not_to_be_empty()
    assert_no_serious_axe_violations(page)
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")  # back to Mohamed Yılmaz
    page.keyboard.press("Enter")
    expect(listbox).to_have_count(0)
    mention = area.locator(f'a.mention[data-person="{named.pk}"]')
    expect(mention).to_have_text("@Mohamed Yılmaz")
    page.keyboard.type("graag.")
    # Escape closes the list and leaves what was typed. On a narrow screen (320 CSS px) the list
    # stays within its width.
    page.set_viewport_size({"width": 320, "height": 640})
    page.keyboard.type(" En @moh")
    expect(page.get_by_role("listbox").get_by_role("option").first).to_be_visible()
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    box = page.get_by_role("listbox").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_have_count(0)
    expect(area).to_contain_text("En @moh")
    for _ in range(len(" En @moh")):
        page.keyboard.press("Backspace")
    expect(form.locator("textarea[name=body]")).to_have_value(
        f'<p>Vraag aan <a class="mention" data-person="{named.pk}" '
        f'href="{named.get_absolute_url()}">@Mohamed Yılmaz</a> graag.</p>'
    )
    form.locator("input[name=publish][value=now]").focus()
    page.keyboard.press("Space")
    form.locator("button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/blog/met-een-vermelding/$"))
    post = Post.objects.get(slug="met-een-vermelding")
    assert f'data-person="{named.pk}"' in post.body
    assert Notification.objects.filter(recipient=named, message="blog.post_mention").count() == 1
    # Editing keeps the person: the editor reads the mention back as the same node.
    page.goto(f"/blog/{post.slug}/edit/")
    area = page.locator("main form.blog-form .rich-text__content")
    expect(area.locator(f'a.mention[data-person="{named.pk}"]')).to_have_text("@Mohamed Yılmaz")
