"""Room mode's team page is readable on a projector laptop and a narrower team laptop: in the
Rules form (after "Add rule") nothing leaves the card or the window, the rule read back on its
button wraps inside the card, every slider shows its value, and no field's label lies over
another field. Checked in Headless Chromium by tests/test_room.py's browser test, on its server (one server and
one browser for the room's browser checks: each start costs seconds of the suite).
"""

from __future__ import annotations

from browser_helpers import WAIT

WINDOWS = [(1280, 800), (1024, 768)]  # the projector's laptop, a team's smaller one

# Every element of the rules card: its box, the card's, the window's; every slider's value and the
# text of the row that holds it; every label's box with the fields it does not belong to.
MEASURE = """() => {
  const card = [...document.querySelectorAll('.v-expansion-panel')]
    .find(p => p.innerText.startsWith('Rules (when'));
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const inner = card.querySelector('.v-expansion-panel-content');
  const shown = e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0;
  const elements = [...inner.querySelectorAll('*')].filter(shown).filter(e => e.children.length === 0 || e.tagName === 'BUTTON');
  const sliders = [...inner.querySelectorAll('.v-slider')].map(s => {
    const row = s.closest('.rule-slider') || s.closest('.v-input');
    const input = s.querySelector('input');
    return {value: input ? input.value : '', text: row.innerText};
  });
  const inputs = [...inner.querySelectorAll('.v-input')].filter(shown);
  const labels = [...inner.querySelectorAll('label')].filter(shown).map(l => ({
    text: l.innerText, box: box(l),
    others: inputs.filter(i => !i.contains(l)).map(i => box(i.querySelector('.v-input__slot') || i))}));
  return {card: box(card), width: window.innerWidth,
          elements: elements.map(e => ({what: e.tagName + '.' + e.className + ' ' + (e.innerText || '').slice(0, 30),
                                        box: box(e), overflow: !['INPUT', 'I'].includes(e.tagName) && e.innerText.trim() !== ''
                                          && e.scrollWidth > e.clientWidth + 1})),
          sliders, labels};
}"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1


def rules_form_problems(browser, url: str) -> list[str]:
    """What leaves the Rules card or the window, overflows, shows no slider value or lies over
    another field, after "Add rule" on a team page at each of ``WINDOWS`` (empty: none)."""
    problems: list[str] = []
    for width, height in WINDOWS:
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        page.goto(url)
        page.wait_for_selector(".room-team-name input", timeout=WAIT)
        page.locator("text=Rules (when ..., do ...)").click()
        page.locator(".btn-add-rule").click()
        page.wait_for_selector(".ws-rule", timeout=WAIT)
        page.wait_for_timeout(500)  # the panel's opening transition
        seen = page.evaluate(MEASURE)
        card, size = seen["card"], f"{width}x{height}"
        for e in seen["elements"]:
            x0, y0, x1, y1 = e["box"]
            where = f"{size}: {e['what']!r} at x {x0:.0f}-{x1:.0f}"
            if not (x0 >= card[0] - 1 and x1 <= card[2] + 1):
                problems.append(f"{where} leaves the card (x {card[0]:.0f}-{card[2]:.0f})")
            if not (x0 >= 0 and x1 <= seen["width"]):
                problems.append(f"{where} leaves the window")
            if e["overflow"]:
                problems.append(f"{where}: its text overflows")
        if len(seen["sliders"]) < 2:
            problems.append(f"{size}: expected the window and wait sliders, found {seen['sliders']}")
        problems += [f"{size}: a slider shows no value: {s}" for s in seen["sliders"]
                     if not s["value"] or s["value"] not in s["text"]]
        problems += [f"{size}: the label {label['text']!r} lies over another field" for label in seen["labels"]
                     if any(_overlap(label["box"], b) for b in label["others"])]
        page.context.close()
    return problems
