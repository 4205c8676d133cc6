"""The dashboard projected at 1280x800, read from the back of a room (a teacher's review): chart
text as the browser renders it (axis numbers and legends at least 14 px, titles at least 16 px),
mark labels inside the plot, and the sidebar's buttons inside the sidebar. Headless Chromium;
skipped where it or Solara is missing."""

from __future__ import annotations

import signal

import pytest
import yaml
from browser_helpers import WAIT, chromium, served_app

from helpers import SCENARIOS

MIN_TEXT_PX, MIN_TITLE_PX = 14, 16  # written before the first run

# each chart text's size on screen: its font size times the drawing's scale on the page
RENDERED = """(sel) => [...document.querySelectorAll(sel)].map(t => {
    const scale = t.ownerSVGElement.getScreenCTM().a;
    return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale};
})"""
# each mark label's horizontal extent beside its chart's x axis (the plot's width), in page pixels
MARK_LABELS = """() => [...document.querySelectorAll('svg.ws-curve')].flatMap(svg => {
    const axis = svg.querySelector('.curve-x-axis').getBoundingClientRect();
    return [...svg.querySelectorAll('.curve-mark-label')].map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, left: r.left - axis.left, right: r.right - axis.right};
    });
})"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("readable")
    data = yaml.safe_load((SCENARIOS / "baseline.yaml").read_text())
    data["community"]["initial_members"] = 120
    data["name"] = "room-120"
    (tmp / "room-120.yaml").write_text(yaml.safe_dump(data))
    env = {"COMMUNITY_SIM_APP_EXPERIMENT": str(tmp / "experiments" / "room.yaml")}
    with served_app([str(tmp / "room-120.yaml")], env, stop=signal.SIGINT) as served:
        yield served


def _days(page, n: int) -> None:
    """Press '+30 days' until the day counter shows ``n``."""
    while int(page.locator(".ws-day .ws-stat-value").inner_text().split()[0]) < n:
        before = page.locator(".ws-day .ws-stat-value").inner_text()
        page.locator(".btn-step30").click()
        page.wait_for_function(f"() => document.querySelector('.ws-day .ws-stat-value').innerText !== {before!r}",
                               timeout=WAIT)


@pytest.mark.xdist_group("browser")
def test_the_projected_dashboard_is_readable_at_1280x800(app):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(app["url"])
        page.wait_for_selector("svg.curve-active", timeout=WAIT)
        replay = page.locator(".btn-replay")
        inside = replay.evaluate("""b => {const d = b.closest('.v-navigation-drawer').getBoundingClientRect();
            const r = b.getBoundingClientRect(); return r.right <= d.right && b.scrollWidth <= b.clientWidth;}""")
        assert inside, "the replay button and its words stay inside the sidebar"

        _days(page, 120)  # the review's steps: compare on, the default rule from day 120, 120 days more
        page.locator(".compare-switch .v-input--selection-controls__ripple").click()
        page.wait_for_function("() => document.querySelectorAll('.ws-members').length === 2", timeout=WAIT)
        page.locator("text=Rules (when ..., do ...)").click()
        page.locator(".btn-add-rule").click()
        page.wait_for_selector("svg.curve-active .curve-mark-change", timeout=WAIT)
        _days(page, 240)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(app.get("shot", "/tmp/test_app_readable.png")))

        for sel, least in (("svg.ws-curve .curve-tick", MIN_TEXT_PX), ("svg.ws-curve .curve-legend-label", MIN_TEXT_PX),
                           ("svg.ws-curve .curve-title", MIN_TITLE_PX)):
            sizes = page.evaluate(RENDERED, sel)
            assert sizes and min(s["px"] for s in sizes) >= least, (sel, sorted(sizes, key=lambda s: s["px"])[:3])
        labels = page.evaluate(MARK_LABELS)
        assert any(lab["text"] == "day 120: rule 1" for lab in labels), labels
        assert all(lab["left"] >= 0 and lab["right"] <= 0.5 for lab in labels), labels
        tooltip = page.locator("svg.curve-active .curve-mark-change title").first.text_content()
        assert "then wait 60 days" in tooltip
        page.close()
