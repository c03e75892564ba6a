#!/usr/bin/env python3
"""The layout search's pick against each published layout (ClusterSim issue 26, target "the
search's pick rarely more than 1.3x faster than the published layout's own prediction").

For every phase named in the `measured:` list of the calibration measurement files
(configs/calibration/*.yaml by default), two single-phase copies of the config are written under
a temporary folder in /tmp (never next to the configs; the shipped files use no `include:`, and a
file that does is refused here rather than resolved against the wrong folder):

  1. the phase as published: `clustersim explain COPY --phase NAME --format json`, whose
     step_seconds.total is the published layout's own prediction;
  2. the same phase with every layout key set to `auto` (tp, pp, cp, dp, ep, virtual_stages,
     microbatch, zero, recompute, schedule, sequence_parallel, uneven_pipeline; equivalent to
     `parallelism: auto`) and the framework keys kept as written (grad_reduce,
     overlap_grad_reduce, overlap_tp_comm, extrapolate, and any other key that is not a layout
     choice). `etp` and `tp_across_nodes` are layout choices the search cannot take as `auto`
     (docs/config.md, "parallelism"), so they are dropped: the pick takes their defaults (etp = tp;
     `--keep-etp` keeps a published etp fixed instead).
     GPUs, global batch, sequence, precision, model and attention kernel are unchanged.

Speed-up = published step seconds / pick step seconds (> 1: the model thinks the search found a
faster layout than the one that was run). A single-phase copy is used for the published layout
too, so that one phase the model refuses (memory, pipeline split) does not fail the others; each
phase is planned on its own, so its step is the same as in the whole file.

    python3 scripts/calibration/search-vs-published.py [--binary .build/release/clustersim]
        [--json rows.json] [FILE.yaml ...]

Run by hand (never by build or test); the explain calls run two at a time.
"""

import argparse
import concurrent.futures
import copy
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

# Keys the search chooses and that may be `auto` (docs/config.md, "parallelism").
SEARCHED_KEYS = ["tp", "pp", "cp", "dp", "ep", "virtual_stages", "microbatch", "zero",
                 "recompute", "schedule", "sequence_parallel", "uneven_pipeline"]
# Layout choices that cannot be `auto`: dropped from the search's copy (their defaults apply).
UNSEARCHABLE_LAYOUT_KEYS = ["etp", "tp_across_nodes"]
TARGET_SPEEDUP = 1.3


def layout_summary(layout, etp=None):
    """One line of a layout from explain's JSON `layout` object (plus etp when given and != tp)."""
    parts = [f"tp{layout['tp']}", f"pp{layout['pp']}", f"cp{layout['cp']}", f"dp{layout['dp']}"]
    if layout.get("ep", 1) > 1:
        parts.append(f"ep{layout['ep']}")
    if etp is not None and etp != layout["tp"]:
        parts.append(f"etp{etp}")
    if layout["pp"] > 1:
        schedule = layout["schedule"]
        if layout.get("virtual_stages", 1) > 1:
            schedule += f"/v{layout['virtual_stages']}"
        parts.append(schedule)
    parts.append(f"z{layout['zero']}")
    if layout["recompute"] != "none":
        parts.append({"selective": "sel", "full": "full"}.get(layout["recompute"],
                                                              layout["recompute"]))
    if layout.get("sequence_parallel"):
        parts.append("sp")
    parts.append(f"mb{layout['microbatch']}")
    return " ".join(parts)


def explain(binary, path, phase):
    """(phase JSON, None) or (None, first error line) from `explain --format json`."""
    done = subprocess.run([binary, "explain", path, "--phase", phase, "--format", "json"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        message = lines[0] if lines else f"exit {done.returncode}"
        # The copy's path means nothing to the reader; its line numbers are the copy's.
        return None, message.replace(path, "(copy)")
    phases = json.loads(done.stdout)["phases"]
    return phases[0], None


def run_case(job):
    """Both explain calls of one measured phase; returns one row."""
    binary, source, phase_name, chip, kind, etp, published_path, searched_path = job
    row = {"case": phase_name, "file": source, "chip": chip, "kind": kind}
    published, error = explain(binary, published_path, phase_name)
    if error:
        row["error_published"] = error
    else:
        row["published_layout"] = layout_summary(published["layout"], etp)
        row["published_s"] = published["step_seconds"]["total"]
        row["published_outside_calibration"] = published.get("outside_calibration", [])
    pick, error = explain(binary, searched_path, phase_name)
    if error:
        row["error_search"] = error
    else:
        row["pick_layout"] = layout_summary(pick["layout"])
        row["pick_s"] = pick["step_seconds"]["total"]
        row["pick_outside_calibration"] = pick.get("outside_calibration", [])
    if "published_s" in row and "pick_s" in row:
        row["speedup"] = row["published_s"] / row["pick_s"]
    return row


def write_copies(config_path, temp_dir, binary, keep_etp):
    """Two single-phase copies per measured phase of one config; the jobs that explain them."""
    with open(config_path) as handle:
        config = yaml.safe_load(handle)
    if "include" in config:
        sys.exit(f"{config_path}: has include:, which a copy in /tmp would resolve elsewhere")
    measured = [entry["phase"] for entry in config.get("measured", [])]
    phases = {phase["name"]: phase for phase in config.get("phases", [])}
    pools = {pool["name"]: pool for pool in config["cluster"]["pools"]}
    stem = os.path.splitext(os.path.basename(config_path))[0]
    jobs = []
    for index, name in enumerate(measured):
        phase = phases[name]
        base = {key: value for key, value in config.items() if key not in ("phases", "measured")}
        published = copy.deepcopy(phase)
        searched = copy.deepcopy(phase)
        given = phase.get("parallelism") or {}
        dropped = [key for key in UNSEARCHABLE_LAYOUT_KEYS if not (keep_etp and key == "etp")]
        kept = {key: value for key, value in given.items()
                if key not in SEARCHED_KEYS and key not in dropped}
        searched["parallelism"] = {**{key: "auto" for key in SEARCHED_KEYS}, **kept}
        paths = []
        for label, variant in (("published", published), ("search", searched)):
            path = os.path.join(temp_dir, f"{stem}-{index:03d}-{label}.yaml")
            with open(path, "w") as handle:
                yaml.safe_dump({**base, "phases": [variant]}, handle, sort_keys=False)
            paths.append(path)
        pool_names = phase.get("pools") or [phase["pool"]]
        chip = "/".join(pools[pool]["chip"] for pool in pool_names)
        kind = phase.get("model", {}).get("kind", "dense")
        jobs.append((binary, config_path, name, chip, kind, given.get("etp"), *paths))
    return jobs


def summary_line(label, rows):
    speedups = [row["speedup"] for row in rows]
    above = sum(1 for value in speedups if value > TARGET_SPEEDUP)
    outside = sum(1 for row in rows if row.get("pick_outside_calibration"))
    slower = sum(1 for value in speedups if value < 1)
    return (f"{label:<22} {len(speedups):>5} {statistics.median(speedups):>8.3f}"
            f" {max(speedups):>7.3f} {above:>7} {slower:>8} {outside:>9}")


def print_report(rows, seconds):
    header = (f"{'case':<66} {'chip':<18} {'published layout':<44} {'pub s':>9}"
              f" {'pick layout':<44} {'pick s':>9} {'speedup':>7}  outside calibration (pick)")
    print(header)
    print("-" * len(header))
    for row in rows:
        if "speedup" not in row:
            continue
        outside = ", ".join(row["pick_outside_calibration"]) or "-"
        print(f"{row['case']:<66} {row['chip']:<18} {row['published_layout']:<44}"
              f" {row['published_s']:>9.3f} {row['pick_layout']:<44} {row['pick_s']:>9.3f}"
              f" {row['speedup']:>6.3f}x  {outside}")
    compared = [row for row in rows if "speedup" in row]
    print()
    print(f"Summary: speed-up = published layout's predicted step / search pick's step"
          f" (target: rarely > {TARGET_SPEEDUP}x)")
    print(f"{'':<22} {'count':>5} {'median':>8} {'max':>7} {'>1.3x':>7} {'<1 (pick':>8}"
          f" {'pick out-':>9}")
    print(f"{'':<22} {'':>5} {'':>8} {'':>7} {'':>7} {'slower)':>8} {'side cal.':>9}")
    if compared:
        print(summary_line("all", compared))
        for chip in sorted({row["chip"] for row in compared}):
            print(summary_line(chip, [row for row in compared if row["chip"] == chip]))
        for kind in ("dense", "moe"):
            subset = [row for row in compared if row["kind"] == kind]
            if subset:
                print(summary_line(kind, subset))
    failed = [row for row in rows if "speedup" not in row]
    if failed:
        print()
        print(f"Not compared ({len(failed)}):")
        for row in failed:
            for side in ("published", "search"):
                if f"error_{side}" in row:
                    print(f"  {row['case']} [{side}]: {row[f'error_{side}']}")
    print()
    print(f"{len(rows)} measured phases, {2 * len(rows)} explain calls in {seconds:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="measurement files (default:"
                        " configs/calibration/*.yaml with a measured: list)")
    parser.add_argument("--binary", default=".build/release/clustersim")
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    parser.add_argument("--keep-etp", action="store_true",
                        help="keep a published etp in the search's copy (default: dropped, etp = tp)")
    parser.add_argument("--workers", type=int, default=2, help="explain calls at a time")
    args = parser.parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary}: no clustersim binary there (build it, or give --binary PATH)")
    files = args.files or sorted(glob.glob("configs/calibration/*.yaml"))
    started = time.monotonic()
    temp_dir = tempfile.mkdtemp(prefix="clustersim-search-vs-published-", dir="/tmp")
    try:
        jobs = []
        for path in files:
            with open(path) as handle:
                if "measured" not in (yaml.safe_load(handle) or {}):
                    continue
            jobs.extend(write_copies(path, temp_dir, args.binary, args.keep_etp))
        with concurrent.futures.ProcessPoolExecutor(max_workers=args.workers) as pool:
            rows = list(pool.map(run_case, jobs))
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)
    seconds = time.monotonic() - started
    print_report(rows, seconds)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(rows, handle, indent=1)
            handle.write("\n")


if __name__ == "__main__":
    main()
