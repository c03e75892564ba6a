#!/usr/bin/env bash
# The Slurm integration test (issue 16), run by `make test`: a one-node Slurm cluster on this
# machine (scripts/slurm-test-cluster.sh), a sweep run through scripts/slurm-sweep.sh as a 4-task
# array compared byte for byte with the same sweep run locally, and a task requeued mid-way
# (scontrol requeue, which kills it) that must resume from its part file and still give the local
# bytes. The daemons it started are stopped by their process ids, whatever happens. Skipped, with
# the reason, only where Slurm cannot run (not root, or no package source).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${CLUSTERSIM:-.build/release/clustersim}
[ -x "$binary" ] || { echo "test-slurm.sh: build first (swift build -c release --product clustersim)" >&2; exit 2; }
export CLUSTERSIM=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
work=$(mktemp -d "${TMPDIR:-/tmp}/clustersim-slurm-XXXXXX")
cleanup() { scripts/slurm-test-cluster.sh stop "$work/cluster" || true; rm -rf "$work"; }
trap cleanup EXIT
start=$(date +%s)
mkdir -p "$work/cluster"
set +e
settings=$(scripts/slurm-test-cluster.sh start "$work/cluster")
status=$?
set -e
if [ "$status" -eq 77 ]; then
  echo "Slurm integration test skipped (see the reason above)"
  exit 0
fi
[ "$status" -eq 0 ] || { echo "Slurm integration test: the cluster did not start" >&2; exit 1; }
eval "$settings"
fail() { echo "Slurm integration test FAILED: $*" >&2; exit 1; }

# 1. DeepSeek-V3 from 512 to 4,096 GPUs as 4 shards: the local sweep's bytes.
v3=(configs/deepseek-v3.yaml --phase pre-training --gpus 512...4096x2 --replications 10)
"$CLUSTERSIM" sweep "${v3[@]}" >"$work/v3-local.txt"
scripts/slurm-sweep.sh "${v3[@]}" --shards 4 --parts "$work/v3" >"$work/v3-slurm.txt" 2>"$work/v3-err.txt" \
  || fail "slurm-sweep.sh exited $? ($(cat "$work/v3-err.txt"))"
grep -q "job [0-9]*, 4 tasks; parts in $work/v3" "$work/v3-err.txt" || fail "no job id printed: $(cat "$work/v3-err.txt")"
cmp -s "$work/v3-local.txt" "$work/v3-slurm.txt" || fail "the merged sweep differs from the local one"
echo "ok: 4-task array merged = local sweep ($(wc -l <"$work/v3-slurm.txt") lines)"

# 2. A task requeued (killed) after its first point resumes from its part file.
long=(configs/bench-reliability.yaml --phase pretrain --set 'cluster.pools[h100].spare_nodes=0,1,2,3,4,5,6,7'
  --replications 60000)
"$CLUSTERSIM" sweep "${long[@]}" >"$work/long-local.txt"
scripts/slurm-sweep.sh "${long[@]}" --shards 2 --parts "$work/long" >"$work/long-slurm.txt" 2>"$work/long-err.txt" &
runner=$!
points=0
for _ in $(seq 600); do
  points=$(python3 -c "import json, sys; print(len(json.load(open(sys.argv[1]))['points']))" \
    "$work/long/part-0.json" 2>/dev/null || echo 0)
  [ "$points" -ge 1 ] && break
  sleep 0.05
done
[ "$points" -ge 1 ] || { wait "$runner" || true; fail "task 0 wrote no point in 30 s"; }
job=$(sed -n 's/.*job \([0-9]*\),.*/\1/p' "$work/long-err.txt")
[ -n "$job" ] || fail "no job id printed"
scontrol requeue "${job}_0" || fail "scontrol requeue ${job}_0 failed"
wait "$runner" || fail "slurm-sweep.sh exited $? after the requeue ($(cat "$work/long-err.txt"))"
grep -q "resumed from the file" "$work/long/slurm-${job}_0.out" \
  || fail "the requeued task did not resume: $(cat "$work/long/slurm-${job}_0.out")"
cmp -s "$work/long-local.txt" "$work/long-slurm.txt" || fail "the resumed sweep differs from the local one"
echo "ok: requeued task resumed ($(cat "$work/long/slurm-${job}_0.out")), merged = local sweep"
echo "Slurm integration test passed in $(( $(date +%s) - start )) s"
