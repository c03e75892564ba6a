#!/usr/bin/env bash
# Runs a ClusterSim sweep as a Slurm job array and merges it (docs/distributed.md):
#
#   scripts/slurm-sweep.sh CONFIG SWEEP-FLAGS... --shards N [--partition P] [--time T] [--parts DIR]
#
# Submits `sbatch --array=0-(N-1) --requeue`, each task `clustersim sweep CONFIG SWEEP-FLAGS
# --shard K/N --output DIR/part-K.json --resume` (so a requeued or preempted task continues),
# prints the job id and the parts folder on standard error, waits for the array, then prints
# `clustersim merge` of the parts on standard output. Exits with the array's worst exit code
# (or merge's, if the tasks succeeded and the merge did not). DIR (default
# ./clustersim-parts-JOBNAME) must be on a file system every node sees; the clustersim binary is
# $CLUSTERSIM, else .build/release/clustersim beside this script, else clustersim on the PATH.
set -euo pipefail
usage="usage: slurm-sweep.sh CONFIG SWEEP-FLAGS... --shards N [--partition P] [--time T] [--parts DIR]"
[ $# -ge 1 ] || { echo "$usage" >&2; exit 2; }
config=$1
shift
flags=()
shards=""
partition=""
limit=""
parts=""
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards=${2:?--shards needs N}; shift 2 ;;
    --partition) partition=${2:?--partition needs a name}; shift 2 ;;
    --time) limit=${2:?--time needs a limit}; shift 2 ;;
    --parts) parts=${2:?--parts needs a folder}; shift 2 ;;
    --shard|--output|--resume|--plot|--format)
      echo "slurm-sweep.sh: $1 is the script's to set (it gives each task --shard, --output and --resume)" >&2
      exit 2 ;;
    *) flags+=("$1"); shift ;;
  esac
done
case "$shards" in
  ''|*[!0-9]*) echo "slurm-sweep.sh: --shards N is required, N a whole number from 1 (got '$shards')" >&2; exit 2 ;;
esac
[ "$shards" -ge 1 ] || { echo "slurm-sweep.sh: --shards must be at least 1" >&2; exit 2; }
[ -r "$config" ] || { echo "slurm-sweep.sh: cannot read $config" >&2; exit 2; }

here=$(cd "$(dirname "$0")/.." && pwd)
binary=${CLUSTERSIM:-}
if [ -z "$binary" ]; then
  if [ -x "$here/.build/release/clustersim" ]; then binary=$here/.build/release/clustersim
  else binary=$(command -v clustersim || true); fi
fi
[ -n "$binary" ] && [ -x "$binary" ] || { echo "slurm-sweep.sh: no clustersim binary (set CLUSTERSIM)" >&2; exit 2; }
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
# The config stays as given (the report prints it): tasks run in this folder (--chdir).
name="clustersim-$(basename "$config" .yaml)"
parts=${parts:-$PWD/clustersim-parts-$name}
mkdir -p "$parts"
parts=$(cd "$parts" && pwd)

# The task script: one shard, its exit code recorded for the worst-code rule.
task="$parts/task.sh"
{
  echo '#!/usr/bin/env bash'
  printf 'k=${SLURM_ARRAY_TASK_ID:?not an array task}\n'
  printf '%q sweep %q' "$binary" "$config"
  for flag in "${flags[@]}"; do printf ' %q' "$flag"; done
  printf ' --shard "$k/%d" --output %q/part-"$k".json --resume\n' "$shards" "$parts"
  printf 'code=$?\necho "$code" > %q/exit-"$k"\nexit "$code"\n' "$parts"
} >"$task"
chmod +x "$task"
rm -f "$parts"/exit-*

options=(--parsable --job-name="$name" --array="0-$((shards - 1))" --requeue
  --output="$parts/slurm-%A_%a.out" --chdir="$PWD")
[ -n "$partition" ] && options+=(--partition="$partition")
[ -n "$limit" ] && options+=(--time="$limit")
job=$(sbatch "${options[@]}" "$task")
job=${job%%;*}
echo "slurm-sweep.sh: job $job, $shards tasks; parts in $parts" >&2

# Wait until no task of the array is pending, running, completing or requeued.
while true; do
  left=$(squeue -h -j "$job" -o '%i %t' 2>/dev/null | awk '$2 !~ /^(CD|F|CA|TO|NF|OOM|BF|DL|PR)$/' | wc -l) || left=0
  [ "$left" -eq 0 ] && break
  sleep 1
done

worst=0
for k in $(seq 0 $((shards - 1))); do
  code=$(cat "$parts/exit-$k" 2>/dev/null || echo 1)  # no exit file: the task never finished
  if [ "$code" -ne 0 ]; then
    echo "slurm-sweep.sh: task $k exited $code (see $parts/slurm-${job}_$k.out)" >&2
    [ "$code" -gt "$worst" ] && worst=$code
  fi
done
[ "$worst" -eq 0 ] || exit "$worst"
files=()
for k in $(seq 0 $((shards - 1))); do files+=("$parts/part-$k.json"); done
"$binary" merge "${files[@]}"
