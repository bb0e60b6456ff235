"""axe-core in the browser tests: ``assert_accessible(page)`` fails on any WCAG 2.1 A/AA violation.

axe-core comes from the npm registry at the exact version pinned in the root ``package.json``
(``scripts/system-deps.sh --browser`` runs ``npm ci``); it is injected into the page under test
and never served by the site.
"""

from pathlib import Path

from django.conf import settings

AXE_JS = Path(settings.BASE_DIR).parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN = """(tags) => axe.run(document, {
  runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
}).then((r) => r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary}))})))"""


def axe_violations(page) -> list[dict]:
    """The violations axe-core finds in the page as it is now (open ``<details>`` included)."""
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run scripts/system-deps.sh --browser")
    # A click that navigates returns before the new page exists: wait until one has loaded.
    page.wait_for_load_state()
    page.wait_for_function("document.readyState === 'complete'")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the site's Content-Security-Policy forbids
        # inline scripts, so a <script> tag with axe's source would be refused (as it should).
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;true")
    return page.evaluate(RUN, WCAG_21_AA)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}")
    return "\n".join(lines)


def assert_accessible(page, *, context: str = "") -> None:
    """Fail with one line per violated rule (id, impact, what it asks) and its target selectors."""
    violations = axe_violations(page)
    if violations:
        where = f"{context} " if context else ""
        raise AssertionError(
            f"axe-core: {len(violations)} WCAG 2.1 AA violation(s) on {where}{page.url}\n"
            + format_violations(violations)
        )
