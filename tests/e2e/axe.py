"""Accessibility checks with axe-core (the npm package pinned in package.json)."""

from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA: what the Dutch public sector must meet (EN 301 549, Besluit digitale
# toegankelijkheid overheid).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

RUN_AXE = """async (tags) => {
    const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
    return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
    }));
}"""


def serious_axe_violations(page):
    """The serious and critical WCAG 2.1 A/AA violations axe finds on the page as it is now."""
    if not AXE_JS.is_file():
        raise AssertionError(f"axe-core is missing ({AXE_JS}): run make install")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol: an added <script> element would be inline
        # script, which the site's Content-Security-Policy (rightly) refuses.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            for detail in (node["summary"] or "").splitlines():
                lines.append(f"      {detail.strip()}")
    return "\n".join(lines)


def _is_known(violation, known):
    """A violation is a known bug when its rule is listed and every node is the listed target."""
    target = known.get(violation["id"])
    return target is not None and all(
        " ".join(str(part) for part in node["target"]) == target for node in violation["nodes"]
    )


def assert_no_serious_axe_violations(page, *, known_bugs=None):
    """Fail, listing every rule, impact, help text and node, on serious or critical violations.

    ``known_bugs`` maps rule ids to the CSS target of an app bug that has been reported already:
    {rule id: (target, description)}. Such a violation (on exactly that target and nowhere
    else) does not fail here; its description is returned, so that the test can ``xfail`` after
    it has checked everything else. Without known bugs the return value is always empty.
    """
    known_bugs = known_bugs or {}
    targets = {rule: target for rule, (target, _description) in known_bugs.items()}
    violations = serious_axe_violations(page)
    known = [v for v in violations if _is_known(v, targets)]
    unknown = [v for v in violations if v not in known]
    if unknown:
        raise AssertionError(
            f"axe: {len(unknown)} serious or critical WCAG 2.1 A/AA violation(s) on {page.url}\n"
            + format_violations(unknown)
        )
    return {known_bugs[v["id"]][1] for v in known}


# App bugs found by the accessibility tests and reported, as {rule id: (target, description)}.
# A page whose only serious violations are these still gets every other check; the test then
# xfails naming the bug. Empty: every bug found so far is fixed.
KNOWN_BUGS: dict[str, tuple[str, str]] = {}


class AxeChecker:
    """Checks pages; collects the known bugs met on the way and xfails on them at the end."""

    def __init__(self, known_bugs=None):
        self.known_bugs = KNOWN_BUGS if known_bugs is None else known_bugs
        self.bugs = set()

    def check(self, page):
        self.bugs |= assert_no_serious_axe_violations(page, known_bugs=self.known_bugs)

    def done(self):
        if self.bugs:
            pytest.xfail("; ".join(sorted(self.bugs)))
