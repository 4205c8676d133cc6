"""Workshop dashboard: its logic without a browser, then the real page in headless Chromium.

These tests check the dashboard's structure and behaviour (levers reach the model, stepping moves
the curves, arms round-trip through an experiment file), never particular model outcomes.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml
from browser_helpers import WAIT, chromium, served_app

from sim.scenario import load_scenario, shipped_scenarios
from sim.workshop.arms import ArmError, save_arm
from sim.workshop.figures import (
    active_figure,
    messages_figure,
    network_figure,
    png,
    roles_figure,
)
from sim.workshop.levers import (
    LEVERS,
    apply_settings,
    get_path,
    overrides_between,
    settings_of,
    suggest_arm_name,
)
from sim.workshop.session import Workshop

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture
def ws() -> Workshop:
    return Workshop("baseline", catalog=shipped_scenarios(SCENARIOS))


def _load_arms(path: Path) -> tuple[object, list[tuple[str, object]]]:
    """Read an experiment file the way the runner does: base relative to the file, then each
    arm's overrides through Scenario.with_overrides."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    base = load_scenario((path.parent / doc["base"]).resolve())
    return base, [(a["name"], base.with_overrides(a["overrides"], source=str(path))) for a in doc["arms"]]


# ------------------------------------------------------------------ levers and settings

def test_every_lever_is_a_scenario_field_and_its_range_validates():
    base = load_scenario(SCENARIOS / "baseline.yaml")
    for lever in LEVERS:
        get_path(base, lever.path)  # raises if the schema has no such field
        if lever.kind == "choice":
            for choice in lever.choices:
                base.with_overrides({lever.path: choice})
        elif lever.path == "strategy.entry.level":
            base.with_overrides({"strategy.entry.kind": "fee", lever.path: 500.0})
            base.with_overrides({"strategy.entry.kind": "screening", lever.path: 1.0})
        elif lever.path == "community.managers":
            base.with_overrides({lever.path: lever.hi})
        else:
            for v in (lever.lo, lever.hi):
                base.with_overrides({lever.path: lever.coerce(v)})


def test_every_shipped_scenario_loads_into_the_dashboard(ws):
    assert "baseline" in ws.catalog
    for name in ws.catalog:
        ws.load(name)
        assert ws.day == 0 and ws.settings == settings_of(ws.base)
        ws.step(2)
        assert ws.day == 2


def test_a_lever_reaches_the_model_and_the_run_replays_to_the_same_day(ws):
    ws.step(20)
    before = ws.runs["B"].model
    error = ws.set_lever("strategy.perks.every_days", 7, live=False)  # "replay from day 0" (live: test_workshop_live)
    assert error is None
    model = ws.runs["B"].model
    assert model is not before and model.day == 20
    assert model.scenario.strategy.perks.every_days == 7
    assert ws.overrides() == {"strategy.perks.every_days": 7} or "strategy.perks.every_days" in ws.overrides()
    # the replay is the same model a fresh run of the new settings gives, bit for bit
    fresh = apply_settings(ws.base, ws.settings)
    from sim.model import CommunityModel

    m = CommunityModel(fresh, rng=ws.seed)
    for _ in range(20):
        m.step()
    for col, values in m.timeseries().items():
        np.testing.assert_array_equal(values, model.timeseries()[col], err_msg=col)


def test_slider_floats_are_rounded_and_entry_level_follows_the_kind(ws):
    ws.set_lever("strategy.content.quality", 0.30000000000000004)
    assert ws.current.strategy.content.quality == 0.3
    ws.set_lever("strategy.entry.kind", "fee")
    assert ws.current.strategy.entry.kind == "fee" and ws.current.strategy.entry.level > 1
    ws.set_lever("strategy.entry.kind", "screening")  # a fee level would be out of range here
    assert 0 <= ws.current.strategy.entry.level <= 1


def test_a_value_the_schema_refuses_changes_nothing_and_says_why(ws):
    ws.step(5)
    model = ws.runs["B"].model
    settings = dict(ws.settings)
    error = ws.set_lever("community.initial_members", 3)  # fewer than the managers + creator
    assert error and "Not applied" in error
    assert ws.settings == settings and ws.runs["B"].model is model


def test_side_by_side_runs_two_strategies_on_the_same_seed(ws):
    ws.set_compare(True)
    ws.step(15)
    a, b = ws.runs["A"].model, ws.runs["B"].model
    assert a.day == b.day == 15
    np.testing.assert_array_equal(a.timeseries()["active"], b.timeseries()["active"])
    ws.set_lever("strategy.selling.hard_selling", 1.0, live=False)
    assert ws.runs["A"].model is a  # A is kept; only B replays
    assert ws.runs["B"].model.scenario.strategy.selling.hard_selling == 1.0
    assert ws.runs["B"].day == 15
    ws.pin_as_a()
    assert ws.runs["A"].model.scenario.strategy.selling.hard_selling == 1.0
    ws.set_compare(False)
    assert "A" not in ws.runs


def test_network_view_is_seeded_cached_by_member_and_drops_leavers(ws):
    other = Workshop("baseline", catalog=shipped_scenarios(SCENARIOS))
    f1, f2 = ws.frame(), other.frame()
    np.testing.assert_array_equal(f1.runs["B"].net.xy, f2.runs["B"].net.xy)
    before = dict(zip(f1.runs["B"].net.ids.tolist(), f1.runs["B"].net.xy))
    for _ in range(6):
        ws.step(10)
        frame = ws.frame()
    net = frame.runs["B"].net
    model = ws.runs["B"].model
    assert sorted(net.ids.tolist()) == sorted(model.network.nodes())
    assert all(model.member(i) is not None for i in net.ids)
    assert set(net.ids.tolist()) != set(before)  # someone joined or left in 60 days
    kept = [i for i in net.ids.tolist() if i in before]
    moved = [np.linalg.norm(net.xy[list(net.ids).index(i)] - before[i]) for i in kept]
    assert np.median(moved) < 0.1  # the room sees the same member in (about) the same place
    assert len(net.edges) == model.network.number_of_edges()


def test_figures_render_on_day_zero_alone_and_side_by_side(ws):
    for compare in (False, True):
        ws.set_compare(compare)
        for _ in range(2):
            frame = ws.frame()
            for make in (active_figure, messages_figure, roles_figure, network_figure):
                data = png(make(frame))
                assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
            ws.step(30)


def test_curves_follow_the_runs_and_the_browser_gets_only_new_days(ws):
    from sim.workshop.charts import curves

    pytest.importorskip("solara", reason="the dashboard needs the viz extra")
    from sim.workshop.curve_widget import CurveFeed

    feeds = [CurveFeed() for _ in range(3)]
    first = [f.update(c) for f, c in zip(feeds, curves(ws.frame(with_network=False)))]
    assert all(m["method"] == "reset" for m in first)
    assert first[0]["args"] == [[]] and "press Run" in curves(ws.frame(with_network=False))[0].hint
    ws.step(10)
    charts = curves(ws.frame(with_network=False))
    sent = [f.update(c) for f, c in zip(feeds, charts)]
    assert [m["method"] for m in sent] == ["reset"] * 3  # lines appear on day 1: new lines, sent whole
    ws.step(3)
    charts = curves(ws.frame(with_network=False))
    tails = [f.update(c) for f, c in zip(feeds, charts)]
    for msg, chart in zip(tails, charts):
        frm, values = msg["args"]
        assert msg["method"] == "extend" and frm == [10] * len(chart.lines) and all(len(v) == 3 for v in values)
        for line, tail in zip(chart.lines, values):  # the new days' values, as drawn
            assert np.allclose(tail, np.round(line.values[10:], 2))
    assert all(f.update(c) is None for f, c in zip(feeds, charts)), "nothing new, nothing sent"
    assert [len(v) for v in feeds[0].whole()["args"][0]] == [13, 13]  # a late view gets every day

    # strategy A switched on, a replay, a reset: new runs, sent whole
    ws.set_compare(True)
    charts = curves(ws.frame(with_network=False))
    assert [f.update(c)["method"] for f, c in zip(feeds, charts)] == ["reset"] * 3
    assert len(charts[0].lines) == 3 and charts[0].lines[2].dashed and "A" in charts[0].title
    ws.set_lever("strategy.rewards.every_days", 14)  # live from today: the same run goes on
    assert all(f.update(c) is None for f, c in zip(feeds, curves(ws.frame(with_network=False))))
    marks = curves(ws.frame(with_network=False))[0].marks
    assert [m.day for m in marks if m.style == "change"] == [13]
    ws.replay()
    assert [f.update(c)["method"] for f, c in zip(feeds, curves(ws.frame(with_network=False)))] == ["reset"] * 3


def test_the_network_picture_is_redrawn_about_once_a_second_while_running():
    pytest.importorskip("solara", reason="the dashboard needs the viz extra")
    from sim.workshop.figures import network_due

    # running at 10 days a second: every 10th day; standing still: on every new day only
    assert [network_due(d, 0, 10, True) for d in (3, 9, 10, 25)] == [False, False, True, True]
    assert [network_due(d, 5, 10, False) for d in (5, 6)] == [False, True]
    assert network_due(0, 40, 10, True)  # a reset to day 0


# ------------------------------------------------------------------ save as arm

def test_save_as_arm_creates_then_appends_and_round_trips(tmp_path, ws):
    exp = tmp_path / "experiments" / "workshop.yaml"
    ws.set_lever("strategy.entry.kind", "fee")
    ws.set_lever("strategy.entry.level", 49)
    first = ws.save_arm(exp, "fee-49")
    assert first.created and exp.is_file()
    ws.set_lever("strategy.rewards.every_days", 14)
    second = ws.save_arm(exp, "fee-49-rewards")
    assert not second.created and second.arms == 3
    assert not [p for p in exp.parent.iterdir() if p.name != exp.name], "temporary files left behind"

    doc = yaml.safe_load(exp.read_text())
    assert set(doc) >= {"name", "base", "replicates", "seed", "arms"}
    assert [a["name"] for a in doc["arms"]] == ["as-shipped", "fee-49", "fee-49-rewards"]
    assert doc["arms"][0]["overrides"] == {}
    assert doc["arms"][1]["overrides"] == {"strategy.entry.kind": "fee", "strategy.entry.level": 49}
    base, arms = _load_arms(exp)
    assert base.to_dict() == ws.base.to_dict()
    last = dict(arms)["fee-49-rewards"]
    assert overrides_between(last, ws.current) == {}
    try:  # the experiment runner's own loader, where it is installed
        from sim.experiments import load_experiment
    except ImportError:
        return
    loaded = load_experiment(exp)
    assert [a.name for a in loaded.arms] == ["as-shipped", "fee-49", "fee-49-rewards"]


def test_save_as_arm_refuses_clearly_and_leaves_the_file_alone(tmp_path, ws):
    exp = tmp_path / "exp.yaml"
    ws.save_arm(exp, "as-is")
    text = exp.read_text()
    with pytest.raises(ArmError, match="already has an arm"):
        ws.save_arm(exp, "as-is")
    with pytest.raises(ArmError, match="arm name"):
        ws.save_arm(exp, "no/slashes please")
    grid = tmp_path / "grid.yaml"
    grid.write_text(f"base: {SCENARIOS / 'baseline.yaml'}\ngrid: {{strategy.moderation: [0.1, 0.9]}}\n")
    with pytest.raises(ArmError, match="grid"):
        ws.save_arm(grid, "x")
    broken = tmp_path / "broken.yaml"
    broken.write_text("arms: [\n")
    with pytest.raises(ArmError, match="YAML"):
        ws.save_arm(broken, "x")
    assert exp.read_text() == text


def test_arm_overrides_are_relative_to_the_files_own_base(tmp_path):
    """An arm saved while another scenario is loaded still reproduces the dashboard's run."""
    exp = tmp_path / "exp.yaml"
    exp.write_text(yaml.safe_dump({"name": "mixed", "base": str(SCENARIOS / "baseline.yaml"), "replicates": 2,
                                   "seed": 1, "days": 200, "arms": [{"name": "open", "overrides": {}}]}))
    other = next((n for n in shipped_scenarios(SCENARIOS) if n != "baseline"), None)
    if other is None:
        pytest.skip("only one shipped scenario")
    ws = Workshop(other, catalog=shipped_scenarios(SCENARIOS))
    ws.set_lever("strategy.moderation", 0.25)
    saved = save_arm(exp, "from-" + other, ws.current, ws.base_path)
    base, arms = _load_arms(exp)
    arm = dict(arms)["from-" + other]
    assert overrides_between(arm, ws.current) == {}
    assert "days" not in saved.overrides  # the experiment sets one horizon for all arms


def test_suggested_arm_names_are_valid_and_unique():
    name = suggest_arm_name({"strategy.entry.kind": "fee", "strategy.entry.level": 99})
    assert re.match(r"^[a-z0-9][a-z0-9.-]*$", name) and "fee" in name and "99" in name
    assert suggest_arm_name({}, taken={"as-shipped"}) == "as-shipped-2"


# ------------------------------------------------------------------ command line

def test_app_command_rejects_a_bad_scenario_before_starting(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("strategy: {entry: {kind: lottery}}\n")
    r = subprocess.run([sys.executable, "-m", "sim.cli", "app", str(bad), "--port", "0"],
                       capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert r.returncode == 2
    assert "strategy.entry.kind" in r.stderr and "lottery" in r.stderr


# ------------------------------------------------------------------ the real page in Chromium

@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    """`community-sim app` on a free loopback port, opened on a 500-member group; stopped with
    Ctrl+C, after which it must have exited cleanly with no traceback."""
    tmp = tmp_path_factory.mktemp("dashboard")
    data = yaml.safe_load((SCENARIOS / "baseline.yaml").read_text())
    data.setdefault("community", {})["initial_members"] = 500
    data["name"] = "workshop-500"
    (tmp / "workshop-500.yaml").write_text(yaml.safe_dump(data))
    env = {"COMMUNITY_SIM_APP_EXPERIMENT": str(tmp / "experiments" / "room.yaml")}
    with served_app([str(tmp / "workshop-500.yaml")], env, stop=signal.SIGINT) as app:
        print(f"\ndashboard answered after {app['startup']:.1f} s")
        assert any(app["url"] in line for line in app["log"]), "the address is printed"
        yield {**app, "tmp": tmp}
    output = "".join(app["log"])
    assert app["proc"].returncode == 0 and "Traceback" not in output and "stopped" in output, output


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def _number(text: str) -> float:
    return float(re.search(r"-?\d[\d,]*(\.\d+)?", text).group(0).replace(",", ""))


def test_dashboard_refuses_pages_of_other_sites(dashboard):
    import urllib.error
    import urllib.request

    ours = urllib.request.Request(dashboard["url"], headers={"Origin": dashboard["url"].rstrip("/")})
    with urllib.request.urlopen(ours, timeout=10) as r:
        assert r.status == 200
    evil = urllib.request.Request(dashboard["url"], headers={"Origin": "http://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(evil, timeout=10)
    assert err.value.code == 403


@pytest.mark.xdist_group("browser")  # one browser test at a time: two servers and Chromiums
def test_dashboard_in_a_real_browser(dashboard, browser):
    page = browser.new_page(viewport={"width": 1600, "height": 1100}, accept_downloads=True)
    t0 = time.perf_counter()
    page.goto(dashboard["url"])
    page.wait_for_selector("svg.curve-active", timeout=WAIT)
    print(f"page shown {time.perf_counter() - t0:.1f} s after the request")
    assert dashboard["startup"] < 10, "the dashboard should start in under 10 s"
    assert "Community workshop" in page.title()
    assert page.locator("text=This website runs on").count() == 0, "no Solara banner over the figures"
    assert page.locator(".ws-day .ws-stat-value").inner_text().startswith("0 of ")
    assert page.locator(".ws-members .ws-stat-value").first.inner_text() == "500"
    for cls in ("curve-active", "curve-messages", "curve-roles"):  # drawn by the browser
        assert page.locator(f"svg.{cls}").count() == 1, cls
    assert page.locator("img.network-view").count() == 1

    # a slider change alters the model's parameter (read back from the model's own scenario)
    label = page.locator(".lever-strategy-entry-size-cap-label").inner_text()
    cap = int(_number(label.split(":", 1)[1]))
    key, expected = ("ArrowLeft", cap - 10) if cap >= 10 else ("ArrowRight", cap + 10)
    page.locator(".lever-strategy-entry-size-cap .v-slider__thumb-container").focus()
    page.keyboard.press(key)
    in_force = page.locator(".ws-in-force")
    wanted = f"cap {expected} members" if expected else "no size cap"
    page.wait_for_function("([sel, text]) => document.querySelector(sel).innerText.includes(text)",
                           arg=[".ws-in-force", wanted], timeout=WAIT)
    assert wanted in in_force.inner_text()

    # stepping updates the curve
    t0 = time.perf_counter()
    page.locator(".btn-step").click()
    page.wait_for_function("() => document.querySelector('svg.curve-active').dataset.days === '1'", timeout=WAIT)
    assert page.locator("svg.curve-active path").count() == 2, "each day and the 14-day mean"
    page.wait_for_function("() => document.querySelector('.ws-day .ws-stat-value').innerText.startsWith('1 of')",
                           timeout=WAIT)
    print(f"one step at 500 members redrawn in {time.perf_counter() - t0:.2f} s")
    page.locator(".btn-step30").click()
    page.wait_for_function("() => document.querySelector('.ws-day .ws-stat-value').innerText.startsWith('31 of')",
                           timeout=WAIT)

    # run at the default 10 days a second, measured where the room sees it (the curve's days), then pause
    days = "() => parseInt(document.querySelector('svg.curve-active').dataset.days)"
    page.locator(".btn-run").click()
    page.wait_for_function(f"() => ({days})() > 32", timeout=WAIT)
    # the browser's own clock at the moment a new day is drawn, at the start and the end of 8 s
    new_day = f"() => new Promise(ok => {{ const d = ({days})(); const t = setInterval(() => {{ const n = ({days})(); " \
              "if (n !== d) { clearInterval(t); ok([n, performance.now()]); } }, 5); })"
    (d0, t0), _ = page.evaluate(new_day), page.wait_for_timeout(8000)
    d1, t1 = page.evaluate(new_day)
    print(f"running at 500 members: {(d1 - d0) / (t1 - t0) * 1000:.1f} days a second drawn in the browser "
          f"(speed 10; {d1 - d0} days in {(t1 - t0) / 1000:.1f} s)")
    assert d1 > d0, "the run goes on"
    t0 = time.perf_counter()
    page.locator(".btn-run").click()

    # a lever moved mid-run acts from today on: no replay, the day stays, the change is marked
    page.wait_for_function("() => document.querySelector('.btn-run').innerText.includes('RUN')", timeout=WAIT)
    print(f"paused {time.perf_counter() - t0:.2f} s after the click")
    page.wait_for_timeout(1000)  # the play loop's last step and redraw land first
    day = int(_number(page.locator(".ws-day .ws-stat-value").inner_text()))
    page.locator(".lever-strategy-entry-size-cap .v-slider__thumb-container").focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_selector(".ws-live-changes", timeout=WAIT)
    assert f"day {day}: size cap {expected - 10} members" in page.locator(".ws-live-changes").inner_text()
    assert page.locator(".ws-day .ws-stat-value").inner_text().startswith(f"{day} of")
    assert f"cap {expected - 10} members" in in_force.inner_text()
    page.wait_for_selector("svg.curve-active .curve-mark-change", timeout=WAIT)  # marked on the curves
    assert f"day {day}:" in page.locator("svg.curve-active .curve-mark-change").first.text_content()

    # an operator's rule, adopted from today, is in force
    page.locator("text=Rules (when ..., do ...)").click()
    page.locator(".btn-add-rule").click()
    page.wait_for_function("d => document.querySelector('.ws-in-force').innerText.includes('rule 1 from day ' + d)",
                           arg=day, timeout=WAIT)

    # side by side: strategy A appears in the headline
    # (a click, not check(): the switch flips only when the server's redraw comes back)
    page.locator(".compare-switch .v-input--selection-controls__ripple").click()
    page.wait_for_function("() => document.querySelectorAll('.ws-members').length === 2", timeout=WAIT)

    # save as arm (a name with spaces) writes an experiment file the runner can read, live change included
    page.get_by_label("Arm name").fill(f"cap {expected - 10} from day {day}")
    page.locator(".btn-save-arm").click()
    page.wait_for_selector(".save-note", timeout=WAIT)
    note = page.locator(".save-note").inner_text()
    exp = dashboard["tmp"] / "experiments" / "room.yaml"
    assert exp.is_file(), note
    _, arms = _load_arms(exp)
    name, arm = arms[-1]
    assert name == f"cap {expected - 10} from day {day}" and arm.strategy.entry.size_cap == expected
    assert (arm.strategy.schedule[-1].from_day, arm.strategy.schedule[-1].set) == (day, {"entry.size_cap": expected - 10})

    # take it home: the run's timeseries.csv up to today, and the experiment file as saved
    with page.expect_download(timeout=WAIT) as download:
        page.locator("text=timeseries.csv (day").click()
    rows = Path(download.value.path()).read_text().splitlines()
    assert download.value.suggested_filename.endswith("timeseries.csv") and len(rows) == day + 1
    with page.expect_download(timeout=WAIT) as download:
        page.locator("text=experiment file room.yaml").click()
    assert Path(download.value.path()).read_bytes() == exp.read_bytes()

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "dashboard.png"
    page.set_viewport_size({"width": 1600, "height": 1900})  # the page scrolls inside its own frame
    page.wait_for_timeout(1500)
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000

    # the scenario menu loads a shipped case and starts it again from day 0
    page.locator(".scenario-menu").click()
    page.locator(".v-menu__content .v-list-item", has_text="ad-dump").first.click()
    page.wait_for_function("() => document.title.includes('ad-dump')", timeout=WAIT)
    page.wait_for_function("() => document.querySelector('.ws-day .ws-stat-value').innerText.startsWith('0 of')",
                           timeout=WAIT)
    page.locator(".btn-run").click()
    page.close(run_before_unload=True)  # a tab closed mid-run
    time.sleep(2)
    assert not any("Traceback" in line for line in dashboard["log"]), "".join(dashboard["log"])
