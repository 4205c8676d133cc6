"""The benchmark tables as text lines for the terminal (``community-sim bench``): one for the
member benchmark against plain Mesa, one for a whole experiment at several worker counts."""

from __future__ import annotations


def experiment_bench_lines(rows: list[dict]) -> list[str]:
    """The table of an experiment benchmark: wall, sweep and serial seconds, runs per second per
    worker and parallel efficiency at each worker count."""
    lines = []
    r0 = rows[0]
    lines.append(f"experiment: {r0['runs']} runs (4 arms) of {r0['members']} members x {r0['days']} days")
    lines.append(f"{'workers':>7} {'wall s':>8} {'sweep s':>8} {'serial s':>9} {'runs/s/worker':>14} {'efficiency':>11} {'sweep eff.':>11}")
    for r in rows:
        eff = f"{r['efficiency']:.0%}" if "efficiency" in r and r["jobs"] > 1 else "-"
        sweep = f"{r['sweep_efficiency']:.0%}" if "sweep_efficiency" in r and r["jobs"] > 1 else "-"
        lines.append(f"{r['jobs']:>7} {r['wall_s']:>8.2f} {r['sweep_s']:>8.2f} {r['serial_s']:>9.2f} "
                     f"{r['runs_per_s_per_worker']:>14.3f} {eff:>11} {sweep:>11}")
    lines.append("efficiency = (wall at 1 worker / wall at N) / N; sweep: the runs alone; serial: tables, figures, report")
    return lines


def member_bench_lines(results: list[dict]) -> list[str]:
    """The table of the member benchmark: setup and simulation seconds, member-days per second and
    the ratios against each plain Mesa reference."""
    lines = []
    lines.append(f"{'members':>8} {'days':>5} {'setup s':>8} {'sim s':>8} {'member-days/s':>14} {'bare Mesa steps/s':>18}"
                 f" {'bare':>6} {'do':>6} {'shuffle':>8} {'community':>10}")
    for r in results:
        if r.get("setup_only"):
            lines.append(f"{r['members']:>8} {r['days']:>5} {r['setup_s']:>8.3f}   set-up in a fresh process; "
                         f"{r['seconds_per_day']:.3f} s a day; peak memory {r['peak_mib']:,.0f} MiB")
            continue
        lines.append(f"{r['members']:>8} {r['days']:>5} {r['setup_s']:>8.3f} {r['simulation_s']:>8.3f} "
                     f"{r['member_days_per_s']:>14,.0f} {r['bare_mesa_agent_steps_per_s']:>18,.0f} {r['ratio_vs_bare_mesa']:>6.1f}"
                     f" {r['ratio_vs_do']:>6.1f} {r['ratio_vs_shuffle_do']:>8.1f} {r['ratio_vs_community']:>10.1f}")
    lines.append("ratios = a plain Mesa loop's cost per agent-step / the model's cost per member-day (higher is better):")
    lines.append("  bare: numpy draw, agents.do; do: self.random, agents.do; shuffle: self.random, agents.shuffle_do;")
    lines.append("  community: visit, read three neighbours, post, update commitment (shuffle_do)")
    return lines
