"""Words a user reads say what the numbers can carry: an untestable comparison says "too few
runs", never "no clear difference"; small-sample shares are counts ("2 of 3"), not rescaled to
"of 10"; counts agree with their nouns ("1 run"); progress bars count what they do; "dead" is
explained where it is said."""

from __future__ import annotations

import html
import re
from pathlib import Path


from helpers import SCENARIOS
from sim.cli import main
from sim.plural import count
from sim.reports import titles
from sim.reports.words import arm_sentence
from sim.results.comparison import compare_metric
from sim.results.folders import ArmResults, ResultSet, RunRef


def _titles(folder: Path) -> list[str]:
    report = (folder / "report.html").read_text(encoding="utf-8")
    return [html.unescape(t) for t in re.findall(r"<figcaption><b>(.*?)</b>", report)]


def test_a_comparison_with_a_single_run_says_too_few_runs_not_no_difference(tmp_path, capsys):
    free = tmp_path / "free.yaml"
    free.write_text("name: free\ndays: 30\ncommunity: {initial_members: 60}\n")
    shop = (SCENARIOS / "fruit-shop.yaml").read_text().replace("initial_members: 150", "initial_members: 60")
    (tmp_path / "fruit-shop.yaml").write_text(shop)
    runs = []
    for name, scenario, seed in (("a", free, "1"), ("b", free, "2"), ("c", tmp_path / "fruit-shop.yaml", "3")):
        runs.append(tmp_path / name)
        assert main(["run", str(scenario), "--days", "30", "--seed", seed, "--out", str(runs[-1]), "--no-plots"]) == 0
    capsys.readouterr()
    assert main(["compare", *map(str, runs), "--out", str(tmp_path / "x")]) == 0
    printed = capsys.readouterr().out
    said = _titles(tmp_path / "x")
    revenue = next(t for t in said if "revenue" in t.lower())
    assert not revenue.startswith("No clear difference"), revenue
    assert "too few runs to test a difference" in revenue and "fruit-shop: 1 run;" in revenue, revenue
    for text in said + printed.splitlines():
        assert "No clear difference" not in text and "no clear difference" not in text, text
        assert not re.search(r"\b1 runs\b", text), text
    assert "fruit-shop (1 run)" in printed and "too few runs to test a difference" in printed


def _arm(name: str, values: list[float], metric: str) -> ArmResults:
    runs = [RunRef(name, i, 100 + i, f"r{i}", "ok", Path("."), {metric: v}) for i, v in enumerate(values)]
    return ArmResults(name, runs=runs)


def test_titles_and_sentences_name_the_arm_short_of_runs():
    metrics = ["mean_active", "total_revenue", "lurker_share"]
    arms = [ArmResults("open", runs=[RunRef("open", i, 100 + i, f"r{i}", "ok", Path("."),
                                            {"mean_active": 10.0 + i, "total_revenue": 0.0, "lurker_share": 0.5})
                                     for i in range(3)]),
            ArmResults("shop", runs=[RunRef("shop", 0, 100, "r0", "ok", Path("."),
                                            {"mean_active": 40.0, "total_revenue": 645_000.0, "lurker_share": 0.2})])]
    rs = ResultSet("t", "", "base", arms, "open", metrics, 1, 365, 3, [Path(".")])
    rows = [compare_metric(rs, rs.arm(a), rs.arm("open"), m) for a in ("open", "shop") for m in metrics]
    for title in (titles.activity_title(rows, "open", 365), titles.members_revenue_title(rows, "open", 365, True),
                  titles.participation_title(rows, "open")):
        assert "no clear difference" not in title.lower() and "clearly differs" not in title, title
        assert "too few runs to test a difference (shop: 1 run;" in title, title
    assert titles.members_revenue_title(rows, "open", 365, True).startswith("Revenue: too few runs")
    sentence = arm_sentence(rs, "shop", rows)
    assert sentence.startswith("shop (1 run):") and "no clear difference" not in sentence, sentence
    assert "too few runs to test a difference in mean daily active members" in sentence, sentence


def test_counts_agree_with_their_nouns():
    assert [count(n, "run") for n in (0, 1, 2, 1200)] == ["0 runs", "1 run", "2 runs", "1,200 runs"]
    assert count(1, "person") == "1 person" and count(3, "person") == "3 people"


def test_a_small_log_gives_shares_as_counts_of_its_people(tmp_path, capsys):
    log = Path(__file__).parent / "fixtures" / "exports" / "whatsapp_android_24h.txt"
    assert main(["diagnose", str(log), "--out", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    members = int(re.search(r"\((\d+) members", out).group(1))
    once = next(ln.strip() for ln in out.splitlines() if "posted only once" in ln)
    unanswered = next(ln.strip() for ln in out.splitlines() if "got no answer in their first week" in ln)
    newcomers = int(re.search(r"only (\d+) newcomers: too few to tell", unanswered).group(1))
    k = int(re.match(rf"(\d+) of {members} members posted only once", once).group(1))
    assert 0 <= k <= members, once
    k = int(re.match(rf"(\d+) of {newcomers} newcomers got no answer", unanswered).group(1))
    assert 0 <= k <= newcomers, unanswered


def test_validate_counts_one_replicate_and_one_day_in_the_singular(tmp_path, capsys):
    scen = tmp_path / "one.yaml"
    scen.write_text("name: one\ndays: 1\ncommunity: {initial_members: 30}\n")
    exp = tmp_path / "exp.yaml"
    exp.write_text(f"name: e\nbase: {scen}\nreplicates: 1\narms:\n  - name: a\n    overrides: {{}}\n")
    assert main(["validate", str(scen), str(exp)]) == 0
    out = capsys.readouterr().out
    assert "30 members, 1 day," in out and "1 arm x 1 replicate, 1 day," in out, out


def test_the_fit_progress_says_what_it_counts():
    import io

    from sim.fitting.inference import fit_progress

    stream = io.StringIO()
    bar = fit_progress("g", population=10, generations=2, stream=stream)
    for _ in range(30):
        bar.update(True)
    last = stream.getvalue().strip().splitlines()[-1]
    assert "calibration sample and 2 generations, 10 accepted particles each" in last, last
    assert "30/30 accepted particles done" in last, last


def test_a_dead_group_is_told_what_dead_means_and_who_remains(tmp_path, capsys):
    assert main(["run", str(SCENARIOS / "baseline.yaml"), "--days", "300", "--out", str(tmp_path / "r"),
                 "--no-plots"]) == 0
    line = dict((ln[:13].strip(), ln[14:]) for ln in capsys.readouterr().out.splitlines())
    life = line["lifespan"]
    day = int(re.search(r"dead from day ([\d,]+)", life).group(1).replace(",", ""))
    assert life.startswith(f"{day:,} days: dead from day {day:,}, meaning members' own posting"), life
    assert "organisers' not counted" in life and "for 30 days" in life, life
    organisers, others = (int(x.replace(",", "")) for x in
                          re.search(r"([\d,]+) organisers? and ([\d,]+) other members? remain", life).groups())
    at_end = int(re.match(r"([\d,]+) at the end", line["members"]).group(1).replace(",", ""))
    assert organisers + others == at_end > 0, (life, line["members"])
