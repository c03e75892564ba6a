#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the tests (issue 16; docs/distributed.md):
#   scripts/slurm-test-cluster.sh start DIR   installs Debian's slurm-wlm and munge when missing
#                                             (--no-install-recommends), writes munge's key and a
#                                             slurm.conf under DIR, starts munged, slurmctld and
#                                             slurmd, waits until the node is idle, and prints
#                                             `export SLURM_CONF=DIR/slurm.conf`
#   scripts/slurm-test-cluster.sh stop DIR    stops the three daemons by the process ids in DIR
#                                             (never by name)
# No systemd: proctrack/linuxproc, task/none, no accounting. Exits 77 (skip) when it cannot run
# here: not root, or no package source for the packages.
set -euo pipefail
command=${1:?usage: slurm-test-cluster.sh start|stop DIR}
dir=${2:?usage: slurm-test-cluster.sh start|stop DIR}

stop() {
  for name in slurmd slurmctld munged; do
    local file="$dir/$name.pid"
    [ -s "$file" ] || continue
    local pid
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
  done
}

if [ "$command" = stop ]; then
  stop
  exit 0
fi
[ "$command" = start ] || { echo "slurm-test-cluster.sh: unknown command $command" >&2; exit 2; }

if [ "$(id -u)" != 0 ]; then
  echo "skipped: starting Slurm daemons needs root" >&2
  exit 77
fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  echo "installing slurm-wlm and munge with apt-get" >&2
  if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge \
      || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge; }; } \
      >"${TMPDIR:-/tmp}/clustersim-slurm-apt.log" 2>&1; then
    echo "skipped: slurm-wlm and munge cannot be installed here (see ${TMPDIR:-/tmp}/clustersim-slurm-apt.log)" >&2
    exit 77
  fi
fi

mkdir -p "$dir/munge" "$dir/state" "$dir/spool"
chmod 700 "$dir/munge"
trap 'stop' ERR
host=$(hostname -s)
cpus=$(nproc)
# Free ports for this cluster's daemons, so it never meets another Slurm on the machine.
read -r ctld_port slurmd_port < <(python3 -c 'import socket
ports = []
for _ in range(2):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); ports.append(s.getsockname()[1]); s.close()
print(*ports)')

mungekey --create --keyfile="$dir/munge/munge.key" --force 2>/dev/null \
  || dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munge.seed"

cat >"$dir/slurm.conf" <<CONF
ClusterName=clustersim-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
# cred_expire also holds a requeued job back that long (default 120 s).
AuthInfo=socket=$dir/munge/munge.socket,cred_expire=5
CredType=cred/munge
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerParameters=batch_sched_delay=0
MinJobAge=5
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -c
slurmd
for _ in $(seq 100); do
  state=$(sinfo -h -n "$host" -o '%t' 2>/dev/null || true)
  case "$state" in idle*|mix*|alloc*) break ;; esac
  sleep 0.2
done
case "$state" in
  idle*|mix*|alloc*) ;;
  *) echo "slurm-test-cluster.sh: the node did not come up (state '$state'); see $dir/*.log" >&2; stop; exit 1 ;;
esac
trap - ERR
echo "export SLURM_CONF=$dir/slurm.conf"
