"""The dashboard's save-as-arm writes only experiment files inside the allowed folder and keeps
the file's comments; the dashboard refuses requests and websockets from other sites."""

from __future__ import annotations

import asyncio

import pytest
import yaml

from helpers import SCENARIOS
from sim.scenario import shipped_scenarios
from sim.workshop.arms import ArmError, save_target
from sim.workshop.origin import OriginCheck, allowed_hosts
from sim.workshop.session import Workshop


@pytest.fixture
def ws() -> Workshop:
    return Workshop("baseline", catalog=shipped_scenarios(SCENARIOS))


@pytest.mark.parametrize("given", ["../outside.yaml", "/etc/cron.d/x.yaml", "sub/new-folder/x.yaml", "notes.txt",
                                   "x.yaml\x00.txt", "", ".hidden.yaml", "link/x.yaml"])
def test_the_page_may_only_name_experiment_files_in_the_allowed_folder(tmp_path, given, monkeypatch):
    root = tmp_path / "experiments"
    root.mkdir()
    (root / "link").symlink_to(tmp_path)  # a link out of the folder is outside it
    monkeypatch.chdir(root)
    with pytest.raises(ArmError, match="allowed a .yaml file in"):
        save_target(given, root)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["experiments"]


def test_allowed_names_resolve_inside_the_folder(tmp_path, monkeypatch):
    root = tmp_path / "experiments"
    (root / "room 2").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert save_target("experiments/workshop.yaml", root) == (root / "workshop.yaml").resolve()
    assert save_target(str(root / "room 2" / "my arms.yaml"), root) == (root / "room 2" / "my arms.yaml").resolve()


COMMENTED = """# Why this experiment exists: a comment the workshop must keep.
name: kept
base: {base}
replicates: 2   # small on purpose
seed: 5
arms:
  # the baseline
  - name: open
    overrides: {{}}
"""


@pytest.mark.parametrize("arms_text", ["", "flow", "empty"])
def test_saving_an_arm_keeps_the_files_comments(tmp_path, ws, arms_text):
    exp = tmp_path / "exp.yaml"
    text = COMMENTED.format(base=SCENARIOS / "baseline.yaml")
    if arms_text == "flow":
        text = text.replace("arms:\n  # the baseline\n  - name: open\n    overrides: {}\n",
                            "arms: [{name: open, overrides: {}}]  # the baseline\n")
    elif arms_text == "empty":
        text = text.split("arms:")[0] + "arms:\n# trailing note\n"
    exp.write_text(text)
    ws.set_lever("strategy.entry.kind", "fee")
    ws.save_arm(exp, "fee")
    after = exp.read_text()
    for line in text.splitlines():
        if "#" in line:
            assert line.split("#", 1)[1] in after, line
    names = [a["name"] for a in yaml.safe_load(after)["arms"]]
    assert names == (["fee"] if arms_text == "empty" else ["open", "fee"])
    assert yaml.safe_load(after)["replicates"] == 2


def _call(check: OriginCheck, kind: str, headers: dict) -> list[dict]:
    sent: list[dict] = []

    async def app(scope, receive, send):
        await send({"type": "passed"})

    async def send(message):
        sent.append(message)

    check.app = app
    scope = {"type": kind, "headers": [(k.encode(), v.encode()) for k, v in headers.items()]}
    asyncio.run(check(scope, None, send))
    return sent


@pytest.mark.parametrize("kind", ["http", "websocket"])
def test_only_the_dashboards_own_pages_may_connect(kind):
    check = OriginCheck(None, allowed_hosts("127.0.0.1"), 8765)
    ours = {"host": "127.0.0.1:8765", "origin": "http://127.0.0.1:8765"}
    assert _call(check, kind, ours) == [{"type": "passed"}]
    assert _call(check, kind, {"host": "localhost:8765", "origin": "http://localhost:8765"}) == [{"type": "passed"}]
    assert _call(check, kind, {"host": "127.0.0.1:8765"}) == [{"type": "passed"}]  # no Origin: not a browser page
    for bad in ({**ours, "origin": "http://evil.example"}, {**ours, "origin": "http://127.0.0.1:9999"},
                {**ours, "origin": "null"}, {"host": "evil.example:8765", "origin": "http://evil.example:8765"}):
        refused = _call(check, kind, bad)
        assert refused[0]["type"] != "passed", bad
        assert refused[0].get("status") == 403 or refused[0].get("code") == 1008


def test_on_every_interface_the_origin_must_match_the_host():
    check = OriginCheck(None, allowed_hosts("0.0.0.0"), 8765)
    assert _call(check, "websocket", {"host": "10.0.0.5:8765", "origin": "http://10.0.0.5:8765"}) == [{"type": "passed"}]
    assert _call(check, "websocket", {"host": "10.0.0.5:8765", "origin": "http://evil.example"})[0]["code"] == 1008
