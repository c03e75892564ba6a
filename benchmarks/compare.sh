#!/usr/bin/env bash
# ClusterSim against SimPy on the Daly model (benchmarks/daly.yaml, benchmarks/daly_simpy.py):
# replications per second on one thread each, and both means against Daly's closed form
#   E[T] = (W − 1)·T(τ + δ) + T(τ),  T(s) = M·e^{R/M}·(e^{s/M} − 1),  M = 768/256 h
# (exponential failures, failures during restarts too; the last segment writes no checkpoint).
# Installs SimPy 4.1.2 with pip into .build/bench-venv (never into the repository) when missing.
# Exits 1 if either mean is more than 3 standard errors from the closed form.
#
#   benchmarks/compare.sh [CLUSTERSIM_REPLICATIONS] [SIMPY_REPLICATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
ours=${1:-10000}
theirs=${2:-200}
venv=.build/bench-venv
if ! "$venv/bin/python" -c "import simpy" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet simpy==4.1.2
fi
binary=.build/release/clustersim
[ -x "$binary" ] || swift build -c release --product clustersim
rate=$("$binary" bench benchmarks/daly.yaml --replications "$ours" --threads 1 |
  awk -F': ' '/^replications per second/ {print $2}')
mean=$("$binary" simulate benchmarks/daly.yaml --replications "$ours" --threads 1 --format json |
  "$venv/bin/python" -c 'import json, sys, math
d = json.load(sys.stdin)
w = d["phases"][0]["wall_clock_hours"]
print(w["mean"], w["sd"] / math.sqrt(d["replications"]))')
simpy=$("$venv/bin/python" benchmarks/daly_simpy.py "$theirs" 1)
"$venv/bin/python" - "$rate" $mean "$simpy" <<'PY'
import json, math, sys
rate, mean, se = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
simpy = json.loads(sys.argv[4])
m, tau, delta, restart, work = 768 / 256, 1.0, 2 / 60, 0.25, 1296
segment = lambda s: m * math.exp(restart / m) * (math.exp(s / m) - 1)
closed = (work - 1) * segment(tau + delta) + segment(tau)
print(f"closed form (Daly, exact for exponential failures): {closed:.3f} h")
ok = True
for name, value, error, per_second in [
    ("ClusterSim", mean, se, rate),
    ("SimPy", simpy["mean_hours"], simpy["se_hours"], simpy["replications_per_second"]),
]:
    z = (value - closed) / error
    ok &= abs(z) <= 3
    print(f"{name:10}  mean {value:.3f} h  se {error:.3f}  ({z:+.2f} se)  {per_second:,.0f} replications/s on one thread")
print(f"ratio: ClusterSim {rate / simpy['replications_per_second']:,.1f}x SimPy's replications per second")
sys.exit(0 if ok else 1)
PY
