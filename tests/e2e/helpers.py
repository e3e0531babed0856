"""Helpers shared by the browser journeys: locating things as a person finds them, and waiting
for the answer of a form. Each journey module imports what it uses."""

import re

from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect


def path_is(path):
    """A URL matcher for ``expect(page).to_have_url``: exactly this path, any host, no query."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}$")


def submit(page, button):
    """Press a submit button and wait for the answer (and its redirects); return the response."""
    with page.expect_navigation() as navigation:
        button.click()
    return navigation.value


def starts_with(text):
    """An accessible-name matcher for buttons and links with a visually hidden suffix."""
    return re.compile(rf"^{re.escape(text)}")


def field(t, text, language="nl"):
    """A form field's label as the form shows it: translated, capitalised, maybe with a colon."""
    return re.compile(rf"^{re.escape(capfirst(t(text, language)))}:?$")


def plural(singular, plural_, count, language="nl"):
    with translation.override(language):
        return translation.ngettext(singular, plural_, count) % {"counter": count}


def editor(page, t, language="nl"):
    """The rich-text editor's editable area, found as a person with a screen reader finds it."""
    return page.locator("main form").get_by_role("textbox", name=field(t, "Text", language))


def toolbar_button(page, t, name, language="nl"):
    toolbar = page.locator("main").get_by_role("toolbar", name=t("Text formatting", language))
    return toolbar.get_by_role("button", name=t(name, language), exact=True)


def wait_for_editor(page, t, language="nl"):
    """The editor replaced the textarea: the editable area shows, the textarea is hidden."""
    area = editor(page, t, language)
    expect(area).to_be_visible()
    expect(area).to_have_attribute("contenteditable", "true")
    expect(page.locator("main textarea[name=body]")).to_be_hidden()
    return area


def totp_code(secret, margin=3.0):
    """The current TOTP code of ``secret``, as an authenticator app shows it.

    allauth accepts only the current period's code (no tolerance), so a code taken in the last
    seconds of a period could expire before the browser submits it: wait for the next period
    then.
    """
    import time

    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))
