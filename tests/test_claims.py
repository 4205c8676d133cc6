"""What a title or sentence may claim: a difference only where its 95% interval excludes zero
(survival: log-rank p < 0.05), metrics over the whole run, counts as whole numbers, intervals of
counts never below zero, money only where something is sold; and `compare` refuses runs of
different horizons or copies of one seed, and flags different communities."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np

from helpers import SCENARIOS
from sim.cli import main
from sim.reports import titles
from sim.reports.words import arm_sentence, fmt, interval_text
from sim.results.comparison import ComparisonRow, compare_metric
from sim.results.folders import ArmResults, ResultSet, RunRef
from sim.results.stats import SurvivalCurve


def row(metric: str, arm: str = "fee", value: float = 12.0, base: float = 10.0, low: float = -1.0,
        high: float = 5.0, p: float = np.nan) -> ComparisonRow:
    r = ComparisonRow(arm, "open", metric, "mean", 10, value, value - 1, value + 1, base, value - base, low, high)
    r.p_value = p
    return r


def base_row(metric: str, value: float = 10.0) -> ComparisonRow:
    return ComparisonRow("open", "open", metric, "mean", 10, value, value - 1, value + 1, value, 0.0, 0.0, 0.0)


def test_overlapping_intervals_give_no_clear_difference_in_every_title():
    unclear = {m: [base_row(m), row(m)] for m in ("mean_active", "total_revenue", "ever_joined")}
    assert titles.activity_title(unclear["mean_active"], "open", 730).startswith("No clear difference")
    assert titles.members_revenue_title(unclear["total_revenue"], "open", 730, True).startswith("No clear difference")
    assert titles.members_revenue_title(unclear["ever_joined"], "open", 730, False).startswith("No clear difference")
    lurk = [base_row("lurker_share", 0.7), row("lurker_share", value=0.72, base=0.7, low=-0.01, high=0.05)]
    assert "no strategy clearly differs" in titles.participation_title(lurk, "open")

    clear = [base_row("mean_active"), row("mean_active", low=0.5, high=3.5)]
    said = titles.activity_title(clear, "open", 730)
    assert said.startswith("fee keeps more members active than open: 12 vs 10 a day")
    assert "mean over days 1-730" in said and "95% CI +0.5 to +3.5" in said  # a window, with its interval
    lower = [base_row("total_revenue"), row("total_revenue", value=5, low=-8, high=-2)]
    assert titles.members_revenue_title(lower, "open", 730, True).startswith("fee earns less revenue than open")


def test_survival_names_a_winner_only_when_the_log_rank_test_says_so():
    curve = {"open": SurvivalCurve(np.array([0, 200.0]), np.array([1, 0.4]), np.array([1, 0.2]),
                                   np.array([1, 0.6]), 10, 6),
             "fee": SurvivalCurve(np.array([0, 400.0]), np.array([1, 0.4]), np.array([1, 0.2]),
                                  np.array([1, 0.6]), 10, 6)}
    test = ComparisonRow("fee", "open", "community_survival", "log-rank test", 10, value=0.3, baseline_value=0.6)
    test.p_value = 0.25
    said = titles.survival_title([test], curve, "open", 730)
    assert said.startswith("No clear difference in group survival") and "longest" not in said
    test.p_value = 0.01
    said = titles.survival_title([test], curve, "open", 730)
    assert said.startswith("fee groups live longer than open's") and "p = 0.01" in said


def _rs(arms: list[ArmResults], metrics: list[str]) -> ResultSet:
    return ResultSet("t", "", "base", arms, arms[0].name, metrics, 1, 730, 3, [Path(".")])


def _arm(name: str, values: list[float], metric: str = "peak_active") -> ArmResults:
    runs = [RunRef(name, i, 100 + i, f"r{i}", "ok", Path("."), {metric: v}) for i, v in enumerate(values)]
    return ArmResults(name, runs=runs)


def test_sentences_claim_only_clear_differences_and_no_ratio_without_one():
    rs = _rs([_arm("open", [10, 12, 14]), _arm("fee", [9, 15, 13])], ["lifespan_days", "peak_active"])
    life = ComparisonRow("fee", "open", "lifespan_days", "median", 3, 300, 200, 400, 250, 50, -20, 90, ratio=1.2)
    peak = compare_metric(rs, rs.arm("fee"), rs.arm("open"), "peak_active")
    text = arm_sentence(rs, "fee", [life, peak])
    assert "no clear difference in peak daily active members" in text
    assert "1.2x" not in text and "higher" not in text and "lower" not in text


def test_sentences_count_the_runs_even_without_a_lifespan_metric():
    rs = _rs([_arm("open", [10, 12, 14]), _arm("fee", [9, 15, 13])], ["peak_active"])
    rows = [compare_metric(rs, rs.arm(a), rs.arm("open"), "peak_active") for a in ("open", "fee")]
    assert "(baseline, 3 runs)" in arm_sentence(rs, "open", rows)
    assert "fee (3 runs)" in arm_sentence(rs, "fee", rows)


def test_counts_are_whole_numbers_and_their_intervals_never_go_below_zero():
    assert fmt(2363.0, "final_members") == "2,363" and fmt(2363.4, "ever_joined") == "2,363"
    assert interval_text(-0.6, 2.5, "peak_active") == "95% CI 0 to 2.5"
    assert interval_text(-0.6, 2.5, "peak_active", signed=True).startswith("95% CI -0.6")  # differences may
    rs = _rs([_arm("open", [0, 0, 3]), _arm("fee", [0, 1, 0])], ["peak_active"])
    r = compare_metric(rs, rs.arm("open"), rs.arm("open"), "peak_active")
    assert r.value == 1.0 and r.value_low == 0.0 and r.value_high > 1  # the t-interval would reach -2.7


def _run(tmp: Path, name: str, scenario: Path, *args: str) -> Path:
    out = tmp / name
    assert main(["run", str(scenario), "--out", str(out), "--no-plots", *args]) == 0
    return out


def test_compare_refuses_copies_of_one_seed_and_different_horizons_and_flags_other_communities(tmp_path, capsys):
    scen = tmp_path / "a.yaml"
    scen.write_text("name: cheap $x^{2}$ group\ndays: 25\ncommunity: {initial_members: 60}\n")
    other = tmp_path / "b.yaml"
    other.write_text("name: cheap $x^{2}$ group\ndays: 25\ncommunity: {initial_members: 200}\n")
    one, two = _run(tmp_path, "one", scen, "--seed", "1"), _run(tmp_path, "two", scen, "--seed", "2")
    copy, short = _run(tmp_path, "copy", scen, "--seed", "1"), _run(tmp_path, "short", scen, "--days", "15")
    big = _run(tmp_path, "big", other, "--seed", "3")
    capsys.readouterr()

    assert main(["compare", str(one), str(copy), str(two), "--out", str(tmp_path / "c1")]) == 2
    err = capsys.readouterr().err
    assert "2 runs with seed 1" in err and "not replicates" in err and not (tmp_path / "c1").exists()

    assert main(["compare", str(one), str(short), "--out", str(tmp_path / "c2")]) == 2
    err = capsys.readouterr().err
    assert "different horizons" in err and "15 days" in err and "25 days" in err
    assert not (tmp_path / "c2").exists()

    assert main(["compare", str(one), str(two), str(big), "--out", str(tmp_path / "c3")]) == 0
    out = capsys.readouterr().out
    assert "revenue" not in out  # a free group: no money in the findings
    assert "different communities" in out and "60 founding members" in out and "200 founding members" in out
    report = (tmp_path / "c3" / "report.html").read_text()
    assert "different communities" in report and "$x^{2}$" in report  # math text drawn literally, no crash
    assert "95% CI 430 to 430" not in report
    title_numbers_are_in_the_tables(tmp_path / "c3")


NUMBER = re.compile(r"(?<![\w.])[-+]?\d[\d,]*(?:\.\d+)?")


def title_numbers_are_in_the_tables(folder: Path) -> None:
    """Every number in every figure title is a value of comparison.csv or tenure.csv (shares as
    %), the horizon, or day 1: what a title says, the folder's tables hold."""
    from sim.run.files import read_csv

    candidates = {1.0, 95.0, 0.05}  # day 1, the 95% level, p < 0.05
    names = set()
    for table in ("comparison.csv", "tenure.csv"):
        for col, values in read_csv(folder / table).items():
            if col == "arm":
                names.update(map(str, values))
            for v in np.asarray(values).ravel():
                try:
                    v = float(v)
                except (TypeError, ValueError):
                    continue
                if np.isfinite(v):
                    candidates.update({v, v * 100})
    report = (folder / "report.html").read_text()
    found = [html.unescape(t) for t in re.findall(r"<figcaption><b>(.*?)</b>", report)]
    assert len(found) == 6
    for title in found:
        for name in sorted(names, key=len, reverse=True):  # digits in a strategy's name are not claims
            title = title.replace(name, "")
        days = re.findall(r"(?:day |days 1-|within )([\d,]+)", title)  # the horizon
        allowed = candidates | {float(d.replace(",", "")) for d in days}
        for token in NUMBER.findall(title.split("(pooled")[0]):
            x = float(token.replace(",", ""))
            decimals = len(token.split(".")[1]) if "." in token else 0
            assert any(abs(abs(c) - abs(x)) <= 0.5 * 10 ** -decimals + 1e-9 for c in allowed), (token, title)


def test_the_printed_summary_counts_one_population_and_explains_money(tmp_path, capsys):
    assert main(["run", str(SCENARIOS / "fruit-shop.yaml"), "--days", "40", "--out", str(tmp_path / "f"),
                 "--no-plots"]) == 0
    out = capsys.readouterr().out
    line = dict((ln[:13].strip(), ln[14:]) for ln in out.splitlines())
    end, joined = (int(x.replace(",", "")) for x in re.findall(r"([\d,]+) (?:at the end|ever joined)", line["members"]))
    gone = int(re.match(r"([\d,]+) of them are gone", line["gone"]).group(1).replace(",", ""))
    assert end + gone == joined and "spammers included" in line["members"]
    if gone:  # every member gone is counted under one reason
        reasons = re.findall(r"([\d,]+) (?:left|removed by cleanups|kicked for posting ads|organisers burnt out|"
                             r"left with a spin-off group|founders who declined the fee|for other reasons)", line["gone"])
        assert sum(int(r.replace(",", "")) for r in reasons) == gone
    assert re.match(r"[\d,]+ yuan: sales of the product \(30 yuan a purchase", line["revenue"])
    assert "perks" in line["operator cost"] and "hours not counted" in line["operator cost"]
    assert "." not in line["members"] + line["gone"] + line["peak activity"]  # counts are whole numbers
