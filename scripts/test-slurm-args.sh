#!/usr/bin/env bash
# The argument handling of scripts/slurm-sweep.sh (issue 25), without a Slurm daemon: stub
# `sbatch` and `squeue`, written here, stand in for Slurm (sbatch runs each array task at once and
# prints a job id; squeue lists nothing left). Each usage error must be one line on standard
# error and exit 2 with nothing submitted; accepted forms must run the right number of tasks and
# merge. Run by the EndToEnd tests (SlurmArgsCLITests), so by `make test`.
#
#   scripts/test-slurm-args.sh   (CLUSTERSIM=PATH for the binary; default .build/release/clustersim)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=${CLUSTERSIM:-$root/.build/release/clustersim}
[ -x "$binary" ] || { echo "test-slurm-args.sh: no clustersim binary at $binary" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/clustersim-slurm-args-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/run"

cat >"$work/bin/sbatch" <<'STUB'
#!/usr/bin/env bash
# Stub: records its arguments, runs every task of --array=0-M in turn, prints "JOB;cluster".
echo "$*" >>"$STUB_LOG"
array="" script=""
for argument in "$@"; do
  case "$argument" in
    --array=*) array=${argument#--array=} ;;
    -*) ;;
    *) script=$argument ;;
  esac
done
last=${array#*-}
for ((k = 0; k <= last; k++)); do SLURM_ARRAY_TASK_ID=$k "$script" >/dev/null 2>&1 || true; done
echo "4242;cluster"
STUB
printf '#!/usr/bin/env bash\nexit 0\n' >"$work/bin/squeue"
chmod +x "$work/bin/sbatch" "$work/bin/squeue"
export PATH="$work/bin:$PATH" STUB_LOG="$work/sbatch.log" CLUSTERSIM="$binary"

cat >"$work/run/tiny.yaml" <<'YAML'
cluster:
  pools:
    - {name: a, chip: H100-SXM5-80GB, nodes: 4, price_per_gpu_hour: 2}
phases:
  - {name: p, pool: a, gpus: 8, hours: 10}
simulation: {replications: 2}
YAML
cp "$work/run/tiny.yaml" "$work/run/-x.yaml"
sweep=(--phase p --gpus 8,16,24)
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# usage_error EXPECTED-STDERR ARGS...: exit 2, exactly that one line, nothing submitted.
usage_error() {
  local expected=$1
  shift
  : >"$STUB_LOG"
  local code=0
  (cd "$work/run" && "$root/scripts/slurm-sweep.sh" "$@") >"$work/out" 2>"$work/err" || code=$?
  [ "$code" -eq 2 ] || fail "$* exited $code, not 2"
  [ "$(cat "$work/err")" = "$expected" ] || fail "$*: stderr was '$(cat "$work/err")', not '$expected'"
  [ "$(wc -l <"$work/err")" -eq 1 ] || fail "$*: stderr is not one line"
  [ ! -s "$work/out" ] || fail "$*: wrote to standard output: $(cat "$work/out")"
  [ ! -s "$STUB_LOG" ] || fail "$*: submitted a job"
}

# runs N ARGS...: exit 0, N tasks submitted, the merge of N parts on standard output.
runs() {
  local tasks=$1
  shift
  : >"$STUB_LOG"
  local code=0
  (cd "$work/run" && "$root/scripts/slurm-sweep.sh" "$@") >"$work/out" 2>"$work/err" || code=$?
  [ "$code" -eq 0 ] || fail "$* exited $code: $(cat "$work/err")"
  grep -q -- "--array=0-$((tasks - 1)) " "$STUB_LOG" || fail "$*: not $tasks tasks: $(cat "$STUB_LOG")"
  grep -q "job 4242, $tasks tasks;" "$work/err" || fail "$*: said $(cat "$work/err")"
  grep -q "16" "$work/out" || fail "$*: no merged sweep on standard output: $(cat "$work/out")"
}

N="N, a whole number from 1 to 10000"
usage_error "slurm-sweep.sh: --shards needs $N" tiny.yaml "${sweep[@]}" --shards
usage_error "slurm-sweep.sh: --shards needs $N, got '--parts' (for a name starting with -, write ./--parts)" \
  tiny.yaml "${sweep[@]}" --shards --parts p
usage_error "slurm-sweep.sh: --shards must be a whole number from 1 to 10000, got 99999999999999999999" \
  tiny.yaml "${sweep[@]}" --shards 99999999999999999999
usage_error "slurm-sweep.sh: --shards must be a whole number from 1 to 10000, got 0" tiny.yaml "${sweep[@]}" --shards 0
usage_error "slurm-sweep.sh: --shards must be a whole number from 1 to 10000, got 000" tiny.yaml "${sweep[@]}" --shards 000
usage_error "slurm-sweep.sh: --shards must be a whole number from 1 to 10000, got '1e3'" tiny.yaml "${sweep[@]}" --shards 1e3
usage_error "slurm-sweep.sh: --shards must be a whole number from 1 to 10000, got 10001" tiny.yaml "${sweep[@]}" --shards 10001
usage_error "slurm-sweep.sh: --shards N is required, N a whole number from 1 to 10000" tiny.yaml "${sweep[@]}"
usage_error "slurm-sweep.sh: --parts needs a folder, got '-' (for a name starting with -, write ./-)" \
  tiny.yaml "${sweep[@]}" --shards 2 --parts -
usage_error "slurm-sweep.sh: --parts needs a folder, got '--help' (for a name starting with -, write ./--help)" \
  tiny.yaml "${sweep[@]}" --shards 2 --parts --help
usage_error "slurm-sweep.sh: --parts needs a folder" tiny.yaml "${sweep[@]}" --shards 2 --parts=
usage_error "slurm-sweep.sh: --output is the script's to set (it gives each task --shard, --output and --resume)" \
  tiny.yaml "${sweep[@]}" --shards 2 --output=f.json
usage_error "slurm-sweep.sh: --format is the script's to set (it gives each task --shard, --output and --resume)" \
  tiny.yaml "${sweep[@]}" --shards 2 --format=json
usage_error "slurm-sweep.sh: cannot read ./-missing.yaml" -missing.yaml "${sweep[@]}" --shards 2

# Accepted: decimal shards (08 is 8 tasks, not an octal error; 010 is 10), --shards=N, a config
# named -x.yaml (given alone or after --), a parts folder named ./-p.
runs 3 tiny.yaml "${sweep[@]}" --shards 03 --parts p1
runs 8 tiny.yaml "${sweep[@]}" --shards 08 --parts p2
runs 10 tiny.yaml "${sweep[@]}" --shards 010 --parts p3
runs 2 tiny.yaml "${sweep[@]}" --shards=2 --parts=p4
runs 2 -x.yaml "${sweep[@]}" --shards 2 --parts p5
runs 2 -- -x.yaml "${sweep[@]}" --shards 2 --parts ./-p
[ -d "$work/run/-p" ] || fail "the parts folder ./-p was not made"
grep -q -- "--job-name=clustersim--x " "$STUB_LOG" || fail "job name for -x.yaml: $(cat "$STUB_LOG")"

if [ "$failures" -gt 0 ]; then
  echo "slurm-sweep.sh argument test: $failures failures" >&2
  exit 1
fi
echo "ok: slurm-sweep.sh arguments (14 usage errors, 6 accepted forms)"
