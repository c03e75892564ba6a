#!/usr/bin/env bash
# Runs a ClusterSim sweep as a Slurm job array and merges it (docs/distributed.md):
#
#   scripts/slurm-sweep.sh [--] CONFIG SWEEP-FLAGS... --shards N [--partition P] [--time T] [--parts DIR]
#
# Every usage error is one line on standard error and exit 2: N is read as decimal (08 is 8),
# from 1 to 10,000; an option's value may be given as `--parts DIR` or `--parts=DIR`, and must not
# start with - (write ./-x); a config whose name starts with - is passed on as ./-x.yaml.
#
# Submits `sbatch --array=0-(N-1) --requeue`, each task `clustersim sweep CONFIG SWEEP-FLAGS
# --shard K/N --output DIR/part-K.json --resume` (so a requeued or preempted task continues),
# prints the job id and the parts folder on standard error, waits for the array, then prints
# `clustersim merge` of the parts on standard output. Exits with the array's worst exit code
# (or merge's, if the tasks succeeded and the merge did not). DIR (default
# ./clustersim-parts-JOBNAME) must be on a file system every node sees; the clustersim binary is
# $CLUSTERSIM, else .build/release/clustersim beside this script, else clustersim on the PATH.
set -euo pipefail
usage="usage: slurm-sweep.sh [--] CONFIG SWEEP-FLAGS... --shards N [--partition P] [--time T] [--parts DIR]"
fail() { echo "slurm-sweep.sh: $*" >&2; exit 2; }
case "${1:-}" in
  '') echo "$usage" >&2; exit 2 ;;
  -h|--help) echo "$usage"; exit 0 ;;
  --) shift; [ $# -ge 1 ] || { echo "$usage" >&2; exit 2; } ;;
esac
config=$1
shift
# A config whose name starts with - would read as an option to basename, mkdir and clustersim.
case "$config" in -*) config=./$config ;; esac
flags=()
shards=""
partition=""
limit=""
parts=""
# The value of option $1 (given as "$1 VALUE" or "$1=VALUE"): present, not empty, and not
# another option (a value starting with - is refused; write ./-x for such a folder).
value_of() {
  local option=$1 what=$2 given=$3
  [ -n "$given" ] || fail "$option needs $what"
  case "$given" in -*) fail "$option needs $what, got '$given' (for a name starting with -, write ./$given)" ;; esac
  printf '%s' "$given"
}
while [ $# -gt 0 ]; do
  option=${1%%=*}
  if [ "$option" != "$1" ]; then given=${1#*=}; step=1; else given=${2:-}; step=2; fi
  case "$option" in
    --shards|--partition|--time|--parts)
      [ "$step" -eq 1 ] || [ $# -ge 2 ] || given=""
      case "$option" in
        --shards) shards=$(value_of --shards "N, a whole number from 1 to 10000" "$given") ;;
        --partition) partition=$(value_of --partition "a partition name" "$given") ;;
        --time) limit=$(value_of --time "a time limit" "$given") ;;
        --parts) parts=$(value_of --parts "a folder" "$given") ;;
      esac
      shift "$step" ;;
    --shard|--output|--resume|--plot|--format)
      fail "$option is the script's to set (it gives each task --shard, --output and --resume)" ;;
    *) flags+=("$1"); shift ;;
  esac
done
[ -n "$shards" ] || fail "--shards N is required, N a whole number from 1 to 10000"
# Decimal digits only, read as decimal (08 and 010 are 8 and 10, not octal), at most 10,000
# (clustersim's shard limit); checked by length first so a 20-digit value cannot overflow.
case "$shards" in
  *[!0-9]*) fail "--shards must be a whole number from 1 to 10000, got '$shards'" ;;
esac
digits=$(printf '%s' "$shards" | sed 's/^0*//')
if [ ${#digits} -gt 5 ] || [ "$((10#0$digits))" -gt 10000 ] || [ "$((10#0$digits))" -lt 1 ]; then
  fail "--shards must be a whole number from 1 to 10000, got $shards"
fi
shards=$((10#$digits))
[ -r "$config" ] || fail "cannot read $config"

here=$(cd "$(dirname "$0")/.." && pwd)
binary=${CLUSTERSIM:-}
if [ -z "$binary" ]; then
  if [ -x "$here/.build/release/clustersim" ]; then binary=$here/.build/release/clustersim
  else binary=$(command -v clustersim || true); fi
fi
[ -n "$binary" ] && [ -x "$binary" ] || { echo "slurm-sweep.sh: no clustersim binary (set CLUSTERSIM)" >&2; exit 2; }
binary=$(cd -- "$(dirname -- "$binary")" && pwd)/$(basename -- "$binary")
# The config stays as given (the report prints it): tasks run in this folder (--chdir).
name="clustersim-$(basename -- "$config" .yaml)"
parts=${parts:-$PWD/clustersim-parts-$name}
mkdir -p -- "$parts"
parts=$(cd -- "$parts" && pwd)

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
