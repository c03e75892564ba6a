#!/usr/bin/env python3
"""How much NVIDIA's own tables disagree with themselves: for every configuration measured in more
than one release with nothing else changed (model, chip, precision, GPUs, global and micro batch,
sequence length, tp/pp/cp/vp/ep/etp and FSDP), each release's tokens/s/GPU against the geometric
mean of that configuration's releases. This is the spread a model with one set of constants per
chip and precision cannot explain: it is the software stack changing under a fixed layout.

Reads configs/calibration/source/training-throughput-2025.yaml (pretraining rows only, as the
converter). Usage: python3 scripts/calibration/release-spread.py [--rows]
"""
import collections
import math
import os
import statistics
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "..", "configs", "calibration", "source",
                      "training-throughput-2025.yaml")


def main():
    rows = [r for r in yaml.safe_load(open(SOURCE))["rows"] if r["task"] == "pretrain"]
    groups = collections.defaultdict(list)
    for r in rows:
        p, b = r["parallel"], r["batch"]
        key = (r["model"]["name"], r["chip"], r["precision"]["norm"], r["gpus"], b["gbs"],
               b["mbs"], b["seq_len"], tuple(p.get(k) for k in ("tp", "pp", "cp", "vp", "ep", "etp")),
               bool(p.get("fsdp")))
        value = r["throughput"]["tokens_per_s_per_gpu"]
        if value:
            groups[key].append((r["release"], value, r["model"]["arch"]))
    deviations = collections.defaultdict(list)
    for key, measured in sorted(groups.items(), key=lambda item: repr(item[0])):
        if len(measured) < 2:
            continue
        values = [v for _, v, _ in measured]
        mean = math.exp(sum(math.log(v) for v in values) / len(values))
        arch = "dense" if measured[0][2] == "dense" else "moe" if measured[0][2] == "moe" else "hybrid"
        deviations[arch] += [abs(v / mean - 1) for v in values]
        if "--rows" in sys.argv:
            spread = max(values) / min(values) - 1
            print(f"{key[0]:28} {key[1]:6} {key[2]:18} {len(values)} releases, "
                  f"max/min {100 * spread:5.1f}%: "
                  + ", ".join(f"{rel} {v:,}" for rel, v, _ in sorted(measured)))
    print("configuration measured in several releases: |release / geometric mean - 1|")
    for arch in ("dense", "moe", "hybrid"):
        d = deviations[arch]
        if d:
            print(f"  {arch:6} {len(d):3} readings: mean {100 * statistics.mean(d):.1f}%, "
                  f"max {100 * max(d):.1f}%")


if __name__ == "__main__":
    main()
