#!/usr/bin/env bash
# report --html time against the number of phases (docs/performance.md, "Many phases").
# Usage: benchmarks/report-phases.sh [N ...]   (default 500 1000 2000); CLUSTERSIM=PATH for
# another binary. Linear growth: each doubling of N should about double the time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=${CLUSTERSIM:-$root/.build/release/clustersim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in "${@:-500 1000 2000}"; do
  for count in $n; do
    config="$work/ph$count.yaml"
    {
      echo "cluster:"
      echo "  pools:"
      echo "    - {name: h0, chip: H100-SXM5-80GB, nodes: 64, spare_nodes: 4, price_per_gpu_hour: 2, failures: {profile: llama3}}"
      echo "phases:"
      for ((i = 0; i < count; i++)); do
        dependency=""
        if ((i > 0)); then dependency=", depends_on: [p$((i - 1))]"; fi
        echo "  - {name: p$i, pool: h0, gpus: 64, hours: 50$dependency, checkpoint: {interval: 1, write_minutes: 1, restore_minutes: 1}}"
      done
    } >"$config"
    /usr/bin/time -f "report --html, $count phases: %e s, %M KB" \
      "$binary" report "$config" --html "$work/ph$count.html" --replications 5
  done
done
