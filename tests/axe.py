"""axe-core in Debian's Chromium: a page has no WCAG 2.1 A/AA violation axe can find.

axe-core comes bundled in the ``axe-playwright-python`` package (a dev extra, installed by
``make test``), so nothing is fetched while the tests run. No rule is turned off and no part of
a page is left out: a violation is fixed in the page.
"""

from __future__ import annotations

from typing import Any

from axe_playwright_python.base import AXE_SCRIPT

__all__ = ["TAGS", "assert_no_violations", "report", "violations"]

#: WCAG 2.0 and 2.1, levels A and AA: what the Act on the Provision of Digital Services
#: (306/2019) asks through EN 301 549.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

#: axe keeps some rules of these levels switched off as "experimental" (among them
#: label-content-name-mismatch, WCAG 2.5.3): they are switched on here, so every rule of the
#: four levels runs.
_RUN = """([tags]) => {
  const experimental = axe.getRules(tags)
    .filter(r => r.tags.includes('experimental')).map(r => r.ruleId);
  const rules = {};
  experimental.forEach(id => { rules[id] = { enabled: true }; });
  return axe.run(document, { runOnly: { type: 'tag', values: tags }, rules: rules,
                             resultTypes: ['violations'] });
}"""


def violations(page: Any) -> list[dict[str, Any]]:
    """axe's violations on ``page`` as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    results: dict[str, Any] = page.evaluate(_RUN, [TAGS])
    found: list[dict[str, Any]] = results["violations"]
    return found


def report(found: list[dict[str, Any]]) -> str:
    """Each violation on a line of its own: rule, impact, where and what to fix."""
    lines = []
    for v in found:
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join((node.get("failureSummary") or v["help"]).split())
            lines.append(f"- {v['id']} ({v['impact']}) at {target}: {summary}")
    return "\n".join(lines)


def assert_no_violations(page: Any, context_name: str) -> None:
    """Fail, listing every violation, when axe finds any on ``page``."""
    found = violations(page)
    assert not found, (f"{context_name}: {sum(len(v['nodes']) for v in found)} accessibility "
                       f"violation(s):\n{report(found)}")
