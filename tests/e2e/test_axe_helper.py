"""The accessibility check itself: it must fail on serious problems, and only on those."""

import pytest

from tests.e2e.axe import assert_no_serious_axe_violations

PAGE = """<!DOCTYPE html><html lang="nl"><head><title>Proef</title></head><body><main>
<h1>Proef</h1>
<p style="color: #777; background: #888">Tekst die bijna niet te lezen is.</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10">
</main></body></html>"""


@pytest.fixture
def blank_page(page):
    # The live-server ``page``, not a bare browser page: all e2e tests then run together, in
    # pytest-django's transactional group, on one browser (see conftest.browser).
    return page


def test_lists_rule_impact_help_and_nodes_of_serious_violations(blank_page):
    blank_page.set_content(PAGE)
    with pytest.raises(AssertionError) as failure:
        assert_no_serious_axe_violations(blank_page)
    message = str(failure.value)
    assert "image-alt (critical): Images must have alternative text" in message
    assert "color-contrast (serious)" in message
    assert "at img" in message
    assert "at p" in message


def test_passes_a_page_with_only_best_practice_findings(blank_page):
    # No main landmark, a heading level skipped: axe best practices, outside WCAG 2.1 A/AA.
    blank_page.set_content(
        '<!DOCTYPE html><html lang="nl"><head><title>Proef</title></head>'
        "<body><h1>Proef</h1><h3>Onderdeel</h3><p>Tekst.</p></body></html>"
    )
    assert assert_no_serious_axe_violations(blank_page) == set()


def test_known_bugs_are_returned_not_raised(blank_page):
    blank_page.set_content(PAGE.replace('style="color: #777; background: #888"', ""))
    known = {"image-alt": ("img", "BUG: the test image has no alt")}
    assert assert_no_serious_axe_violations(blank_page, known_bugs=known) == {
        "BUG: the test image has no alt"
    }
