"""Room mode (``community-sim app --room``): the room's logic without a browser (team names,
resubmission, the experiment it builds, a tiny run and its leaderboard), then one pass through
the real pages in headless Chromium (a team previews, two teams submit, the presenter runs, a
leaderboard shows).
"""

from __future__ import annotations

import csv
import io
import math
import shutil
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from browser_helpers import WAIT, chromium, served_app
from room_layout_checks import rules_form_problems

from sim.experiments import load_experiment
from sim.workshop.room import BASELINE_ARM, Room, RoomError, check_team_name, leaderboard, live_leaderboard

TINY = {"name": "tiny-room", "description": "a tiny group for room tests", "days": 60, "seed": 5,
        "community": {"initial_members": 60, "managers": 2}}


@pytest.fixture
def base_file(tmp_path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(TINY), encoding="utf-8")
    return path


@pytest.fixture
def room(base_file, tmp_path) -> Room:
    return Room(base_file, results_root=tmp_path / "results")


# ------------------------------------------------------------------ names and submissions

@pytest.mark.parametrize("name", ["A", "Team 7", "the.quiet-ones_2", "x" * 40])
def test_good_team_names_pass(name):
    assert check_team_name(name) == name


@pytest.mark.parametrize("name", ["", " lead", "trail ", "x" * 41, "a/b", "semi;colon", "tab\there", None, 7,
                                  BASELINE_ARM.upper()])
def test_bad_team_names_are_refused_in_one_line(name):
    with pytest.raises(RoomError) as err:
        check_team_name(name)
    text = str(err.value)
    assert "\n" not in text and "team name" in text
    assert "allowed" in text or "choose another" in text


def test_a_team_resubmitting_replaces_its_strategy_and_says_so(room):
    s = room.default_settings()
    first = room.submit("Owls", {**s, "strategy.moderation": 0.1}, owner="browser-1")
    assert "submitted" in first
    again = room.submit("Owls", {**s, "strategy.moderation": 0.9}, owner="browser-1")
    assert "replaces" in again
    assert list(room.teams) == ["Owls"]
    assert room.teams["Owls"].overrides == {"strategy.moderation": 0.9}
    assert room.teams["Owls"].times == 2


def test_a_name_held_by_another_browser_is_refused(room):
    s = room.default_settings()
    room.submit("Owls", s, owner="browser-1")
    with pytest.raises(RoomError, match="taken by another browser"):
        room.submit("owls", s, owner="browser-2")
    assert list(room.teams) == ["Owls"]


def test_a_browser_that_renames_its_team_keeps_one_team(room):
    s = room.default_settings()
    room.submit("Owls", s, owner="browser-1")
    note = room.submit("Larks", s, owner="browser-1")
    assert list(room.teams) == ["Larks"] and "now" in note


def test_the_presenter_can_take_a_team_out(room):
    room.submit("Owls", room.default_settings(), owner="browser-1")
    before = room.serial
    room.remove("Owls")
    assert not room.teams and room.serial > before
    room.remove("nobody")  # nothing to do, no error


def test_settings_the_schema_refuses_are_refused_with_the_field(room):
    s = room.default_settings()
    with pytest.raises(RoomError) as err:  # fewer founders than the creator and managers
        room.submit("Owls", {**s, "community.initial_members": 1}, owner="browser-1")
    assert "community" in str(err.value) and "\n" not in str(err.value)
    assert not room.teams


# ------------------------------------------------------------------ the experiment and a run

def test_the_room_experiment_has_the_base_and_one_arm_per_team_and_loads(room, tmp_path):
    s = room.default_settings()
    room.submit("Owls", {**s, "strategy.moderation": 0.0}, owner="b1")
    room.submit("Larks", {**s, "strategy.content.quality": 1.0}, owner="b2")
    exp = room.experiment(replicates=3)
    assert [a.name for a in exp.arms] == [BASELINE_ARM, "Owls", "Larks"]
    assert exp.baseline_arm == BASELINE_ARM and exp.replicates == 3 and exp.seed == TINY["seed"]
    saved = tmp_path / "elsewhere" / "room.yaml"  # as the presenter downloads it
    saved.parent.mkdir()
    saved.write_text(room.experiment_yaml(replicates=3), encoding="utf-8")
    loaded = load_experiment(saved)
    assert [a.name for a in loaded.arms] == [a.name for a in exp.arms]
    assert loaded.arm("Owls").scenario.strategy.moderation == 0.0
    assert loaded.arm("Larks").scenario.strategy.content.quality == 1.0
    assert loaded.replicates == 3 and loaded.seed == exp.seed


def test_run_all_is_refused_without_teams_and_while_running(room):
    with pytest.raises(RoomError, match="no team"):
        room.start(2)
    with pytest.raises(RoomError, match="replicates"):
        room.experiment(replicates=0)


def test_a_tiny_room_run_finishes_and_ranks_the_teams(room):
    s = room.default_settings()
    room.submit("Owls", {**s, "strategy.content.quality": 1.0, "strategy.content.creator_posts_per_week": 14},
                owner="b1")
    room.submit("Ads", {**s, "strategy.moderation": 0.0, "strategy.selling.hard_selling": 1.0}, owner="b2")
    owls = room.preview("b1", {**s, "strategy.content.quality": 1.0, "strategy.content.creator_posts_per_week": 14})
    room.preview("b3", {**s, "strategy.moderation": 1.0})  # a browser that previews and never submits
    run = room.start(2, jobs=1, log=lambda _m: None, progress_stream=io.StringIO())
    with pytest.raises(RoomError, match="already going"):
        room.start(2)
    room.wait(120)
    assert not run.running and not run.error, run.error
    assert run.folder.parent == room.results_root / "room"
    assert run.done() == run.total == 3 * 2
    assert "Finished 6/6" in run.progress_text()
    # the preview was the presenter's first replicate of that team, and a preview is no arm
    assert owls.done.wait(60) and not owls.error, owls.error
    plan = list(csv.DictReader((run.folder / "plan.csv").open(encoding="utf-8")))
    first = next(r for r in plan if r["arm"] == "Owls" and r["replicate"] == "0")
    ran = list(csv.DictReader((run.folder / "runs" / first["run_id"] / "timeseries.csv").open(encoding="utf-8")))
    for column in ("day", "members", "active", "content_posts", "ad_posts"):
        assert [float(r[column]) for r in ran] == owls.result.ts[column].tolist(), column
    for metric in ("mean_active", "lifespan_days"):
        board = leaderboard(run.folder, metric)
        assert sorted(r.arm for r in board) == sorted([BASELINE_ARM, "Owls", "Ads"])
        values = [r.value for r in board]
        assert values == sorted(values, reverse=True), (metric, values)
        assert board[0].rank == 1
        for r in board:
            assert r.n == 2
            assert math.isnan(r.low) or r.low <= r.value <= r.high or math.isinf(r.value)
    # the live leaderboard computes what comparison.csv holds, over the runs finished so far
    for metric in ("mean_active", "peak_active"):
        live = {r.arm: (r.value, r.low, r.high) for r in live_leaderboard(run.folder, metric)}
        final = {r.arm: (r.value, r.low, r.high) for r in leaderboard(run.folder, metric)}
        assert live.keys() == final.keys()
        for arm, values in final.items():
            assert live[arm] == pytest.approx(values, rel=1e-6, nan_ok=True), (metric, arm)
    partial = run.folder.parent / "partial"
    shutil.copytree(run.folder, partial)
    gone = next(r for r in plan if r["arm"] == "Owls")
    shutil.rmtree(partial / "runs" / gone["run_id"])
    counts = {r.arm: r.n for r in live_leaderboard(partial, "mean_active")}
    assert counts == {BASELINE_ARM: 2, "Owls": 1, "Ads": 2}
    second = room.new_folder()
    assert second != run.folder and not second.exists()  # a second run never overwrites the first


# ------------------------------------------------------------------ the real pages

@pytest.mark.xdist_group("browser")  # one browser test at a time: two servers and Chromiums
def test_two_teams_submit_and_the_presenter_ranks_them(tmp_path):
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(TINY), encoding="utf-8")
    env = {"COMMUNITY_SIM_ROOM_RESULTS": str(tmp_path / "results"), "COMMUNITY_SIM_ROOM_KEY": "test-key",
           "COMMUNITY_SIM_ROOM_JOBS": "1"}  # six 60-day runs: starting worker processes would take longer
    with chromium() as browser, served_app([str(tmp_path / "tiny.yaml"), "--room"], env) as server:
        pages: list = []
        try:
            url = server["url"]
            assert any(f"{url}presenter?key=test-key" in line for line in server["log"]), "the presenter's address"
            t0 = time.perf_counter()
            for team in ("Owls", "Larks"):
                page = browser.new_context().new_page()  # each team its own browser
                pages.append(page)
                page.goto(url)
                page.wait_for_selector(".room-team-name input", timeout=WAIT)
                page.locator(".room-team-name input").fill(team)
                if team == "Owls":  # a rule (the form's first choice) and a preview: its curve, the rule's acts marked
                    page.locator("text=Rules (when ..., do ...)").click()
                    page.locator(".btn-add-rule").click()
                    page.wait_for_selector(".ws-rule", timeout=WAIT)
                    page.locator(".btn-preview").click()
                    page.wait_for_function("() => +document.querySelector('.room-preview svg.curve-active')"
                                           "?.dataset.days === 60", timeout=WAIT)
                    assert page.locator(".room-preview svg.curve-active .curve-mark-rule").count() >= 1
                page.locator(".btn-submit").click()
                page.wait_for_selector(".room-note", timeout=WAIT)
                assert "submitted" in page.locator(".room-note").inner_text()
                assert ("1 rule" in page.locator(".room-note").inner_text()) == (team == "Owls")
            guest = browser.new_context().new_page()
            guest.goto(url + "presenter")  # without the key: no run button
            guest.wait_for_selector(".room-key", timeout=WAIT)
            assert guest.locator(".btn-run-all").count() == 0
            presenter = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()  # a projector
            pages.append(presenter)
            presenter.goto(url + "presenter?key=test-key")
            presenter.wait_for_selector(".btn-run-all", timeout=WAIT)
            presenter.wait_for_function("() => document.querySelectorAll('.room-team').length === 2", timeout=WAIT)
            presenter.locator(".room-replicates input").fill("2")  # 3 arms x 2 runs: a short wait
            presenter.locator(".btn-run-all").click()
            presenter.wait_for_selector(".room-leaderboard table", timeout=WAIT * 2)
            text = presenter.locator(".room-leaderboard").inner_text()
            assert "Owls" in text and "Larks" in text and BASELINE_ARM in text
            assert presenter.locator("img.room-curves").count() == 1
            shown = presenter.locator("img.room-curves").bounding_box()  # the figure whole at first view
            assert shown["x"] >= 0 and shown["x"] + shown["width"] <= 1280 and shown["y"] + shown["height"] <= 800, shown
            problems = rules_form_problems(browser, url)  # a team page's Rules form at 1280 and 1024 px
            assert not problems, "\n".join(problems)
        except Exception as exc:  # say what the pages and the server showed: a failure on a busy CI machine must be readable
            shown = "\n".join(f"--- page {i}: {pg.url}\n{pg.locator('body').inner_text()[:1500]}" for i, pg in enumerate(pages))
            detail = f"{exc}\n--- server log (last 40 lines)\n{''.join(server['log'][-40:])}\n{shown}"
            Path(tempfile.gettempdir(), "community-sim-room-test-failure.txt").write_text(detail, encoding="utf-8")
            raise AssertionError(detail) from exc
        print(f"room pages: two teams, a run and the leaderboard in {time.perf_counter() - t0:.1f} s")


def test_a_preview_is_the_presenters_first_replicate_and_is_no_submission(room):
    """A team previews its strategy: the preview's run is the run of its settings on the seed of
    the presenter's first replicate; two teams' previews do not mix; neither is a team."""
    import numpy as np

    from sim.experiments import replicate_seeds
    from sim.model import CommunityModel
    from sim.workshop.levers import apply_settings
    from sim.workshop.levers import change_setting

    fee = change_setting(room.base, room.default_settings(), "strategy.entry.kind", "fee")
    mine, theirs = room.preview("browser-1", fee), room.preview("browser-2", room.default_settings())
    assert mine.done.wait(60) and theirs.done.wait(60) and not mine.error and not theirs.error
    model = CommunityModel(apply_settings(room.base, fee), rng=replicate_seeds(room.seed, 1)[0])
    model.run()
    direct = model.timeseries()
    assert all(np.array_equal(mine.result.ts[c], direct[c]) for c in mine.result.ts)
    assert not np.array_equal(mine.result.ts["members"], theirs.result.ts["members"])  # a fee lets fewer in
    assert room.previews["browser-1"] is mine and room.teams == {}
    assert mine.current(fee) and not mine.current(room.default_settings())
    assert [label for label, _ in mine.headline()][:2] == ["members at the end", "the group"]
    with pytest.raises(RoomError, match="preview"):
        room.preview("browser-1", {**fee, "strategy.entry.level": -5})
    assert room.previews["browser-1"] is mine  # a refused preview keeps the last one


def test_a_team_cannot_pile_up_previews_and_a_broken_run_says_so(room, monkeypatch):
    import threading

    import sim.workshop.preview as preview_module

    gate = threading.Event()

    def held_then_broken(*args, **kwargs):  # a run that is still going, then fails unexpectedly
        gate.wait(30)
        raise KeyError("boom")

    monkeypatch.setattr(preview_module, "CommunityModel", held_then_broken)
    first = room.preview("browser-1", room.default_settings())
    with pytest.raises(RoomError, match="still running"):
        room.preview("browser-1", room.default_settings())
    other = room.preview("browser-2", room.default_settings())  # another team is not refused ...
    deadline = time.monotonic() + 30
    while not first.started and time.monotonic() < deadline:  # the queue's thread takes it up
        time.sleep(0.05)
    time.sleep(0.2)
    assert first.started and not other.started and room.previews_ahead(other) == 1  # ... it waits its turn
    gate.set()
    assert first.done.wait(30) and other.done.wait(30)
    assert "KeyError" in first.error and first.frame() is None and room.previews["browser-1"] is first
