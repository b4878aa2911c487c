#!/usr/bin/env bash
# A throwaway single-node SLURM for uwskit's tests, from Debian's packages, without systemd.
#
#   scripts/slurm.sh start     install what is missing, write our own slurm.conf, start munged, slurmctld, slurmd and
#                              slurmrestd (JWT, 127.0.0.1), wait until the node is idle, write the env file
#   scripts/slurm.sh stop      cancel the jobs of this cluster and stop the daemons this script started (by pid)
#   scripts/slurm.sh env       print the env file (source it: SLURM_CONF, UWSKIT_SLURM_REST_URL, SLURM_JWT, ...)
#   scripts/slurm.sh status    exit 0 if slurmctld answers and the node is up
#   scripts/slurm.sh restart-ctld   stop and start slurmctld only (jobs keep running; tests of a SLURM restart)
#   scripts/slurm.sh stop-ctld|start-ctld   slurmctld alone down / up again (tests of an outage; jobs keep running)
#   scripts/slurm.sh stop-rest|start-rest   slurmrestd alone down / up again (same token)
#
# Idempotent: start on a running cluster only refreshes the token; stop on a stopped one succeeds.
# Environment: UWSKIT_SLURM_DIR (default /tmp/uwskit-slurm: config, state, spool, logs, pids, JWT key, env file),
#              UWSKIT_SLURM_REST (default 127.0.0.1:6820), UWSKIT_SLURM_MIN_JOB_AGE (default 300 s).
# Needs root: slurmd must be root to start jobs, munged runs as "munge", slurmrestd (which refuses root) as "nobody".
# Ports: slurmctld 6817, slurmd 6818 (SLURM's defaults), slurmrestd 6820, all on 127.0.0.1.
set -euo pipefail

DIR=${UWSKIT_SLURM_DIR:-/tmp/uwskit-slurm}
REST=${UWSKIT_SLURM_REST:-127.0.0.1:6820}
MIN_JOB_AGE=${UWSKIT_SLURM_MIN_JOB_AGE:-300}
CONF=$DIR/slurm.conf
PIDS=$DIR/pid
LOGS=$DIR/log
ENVFILE=$DIR/slurm.env
PACKAGES=(munge slurmctld slurmd slurm-client slurmrestd slurm-wlm-jwt-plugin)
export SLURM_CONF=$CONF
# a client's token in the environment would make slurmctld see an "AuthType change" and die at start
unset SLURM_JWT

say() { echo "slurm.sh: $*"; }
die() {
  echo "slurm.sh: $*" >&2
  for f in "$LOGS"/*.log; do [[ -f $f ]] && { echo "--- $f" >&2; tail -n 12 "$f" >&2; }; done
  exit 1
}

# a live (not zombie) process of that pid and command name
live() { [[ -n ${1:-} && "$(cat "/proc/$1/comm" 2>/dev/null)" == "$2" ]] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
# the pid recorded for a daemon this script started, if it still lives
ours() { local p; p=$(cat "$PIDS/$1" 2>/dev/null || true); live "$p" "$1" && echo "$p"; }
# wait up to $2 tenths of a second for a command to succeed
await() { local what=$1 n=$2; shift 2; for ((i = 0; i < n; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done; die "timed out waiting for $what"; }

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return
  say "installing ${missing[*]}"
  apt-get update -qq
  # no systemd here: policy-rc.d keeps the packages from starting their own daemons
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

write_conf() {
  local node hw cpus mem
  node=$(hostname -s)
  hw=$(slurmd -C | head -n 1)
  cpus=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$hw")
  mem=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$hw")
  mem=$((mem * 9 / 10))
  cat >"$CONF.new" <<EOF
# written by uwskit's scripts/slurm.sh: a one-node test cluster on 127.0.0.1
ClusterName=uwskit
SlurmctldHost=$node(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
CredType=cred/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$DIR/jwt.key
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$PIDS/slurmctld.daemon
SlurmdPidFile=$PIDS/slurmd.daemon
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
# start jobs at once (the defaults wait about a second per scheduling pass)
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=100
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
# final states of jobs slurmctld has forgotten (MinJobAge): read by the backend's command transport
JobCompType=jobcomp/filetxt
JobCompLoc=$LOGS/jobcomp.log
MinJobAge=$MIN_JOB_AGE
KillWait=2
InactiveLimit=0
Waittime=0
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  if cmp -s "$CONF.new" "$CONF"; then
    rm "$CONF.new"
    return 1
  fi
  mv "$CONF.new" "$CONF"
  chmod 0644 "$CONF"
  return 0
}

start_munged() {
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    return # a munged already serves the default socket (ours or the machine's)
  fi
  install -d -m 0755 -o munge -g munge /run/munge
  if [[ ! -s /etc/munge/munge.key ]]; then
    mungekey --create --keyfile=/etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key
    chmod 0600 /etc/munge/munge.key
  fi
  runuser -u munge -- /usr/sbin/munged --force 2>>"$LOGS/munged.log" || die "munged did not start"
  await munged 100 bash -c 'munge -n | unmunge'
  cp /run/munge/munged.pid "$PIDS/munged"
}

stop_pid() { # name
  local p
  p=$(ours "$1") || return 0
  kill -TERM "$p" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do live "$p" "$1" || break; sleep 0.1; done
  live "$p" "$1" && kill -KILL "$p" 2>/dev/null || true
  rm -f "$PIDS/$1"
}

# the pid file the daemon writes names it, alive (a stale file of an earlier run would name a dead one)
daemon_pid() { live "$(cat "$PIDS/$1.daemon" 2>/dev/null)" "$1"; }

start_ctld() {
  rm -f "$PIDS/slurmctld.daemon"
  slurmctld -f "$CONF" || die "slurmctld did not start"
  await "slurmctld's pid file" 100 daemon_pid slurmctld
  cp "$PIDS/slurmctld.daemon" "$PIDS/slurmctld"
  await "slurmctld to answer" 300 bash -c 'scontrol ping | grep -q UP'
}

start_rest() { # token
  if ! ours slurmrestd >/dev/null; then
    # slurmrestd refuses root: -u nobody drops privileges after binding. Without slurmdbd only the slurm (not the
    # dbv) OpenAPI plugins load. SLURM_JWT=daemon makes it accept JWTs.
    SLURM_JWT=daemon setsid /usr/sbin/slurmrestd -u nobody -a rest_auth/jwt \
      -s openapi/v0.0.38,openapi/v0.0.37,openapi/v0.0.36 "$REST" </dev/null >>"$LOGS/slurmrestd.log" 2>&1 &
    echo $! >"$PIDS/slurmrestd"
  fi
  await "slurmrestd to answer" 300 curl -fsS -o /dev/null -H "X-SLURM-USER-NAME: root" \
    -H "X-SLURM-USER-TOKEN: $1" "http://$REST/slurm/v0.0.38/ping"
}

node_ready() {
  local s
  s=$(sinfo -h -N -o %t 2>/dev/null | head -n 1)
  case "$s" in
    idle | mix | alloc) return 0 ;;
    drain* | down* | drng*) scontrol update NodeName="$(hostname -s)" State=RESUME >/dev/null 2>&1 || true ;;
  esac
  return 1
}

start() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (slurmd starts jobs; munged and slurmrestd drop to their users)"
  install_packages
  install -d -m 0755 "$DIR" "$PIDS" "$DIR/spool"
  install -d -m 0755 -o slurm -g slurm "$DIR/state" "$LOGS"
  if [[ ! -s $DIR/jwt.key ]]; then
    head -c 32 /dev/urandom >"$DIR/jwt.key"
  fi
  chown slurm:slurm "$DIR/jwt.key"
  chmod 0600 "$DIR/jwt.key"
  local changed=0
  write_conf && changed=1
  start_munged
  if [[ $changed -eq 1 ]]; then
    stop_pid slurmrestd
    stop_pid slurmd
    stop_pid slurmctld
  fi
  ours slurmctld >/dev/null || start_ctld
  if ! ours slurmd >/dev/null; then
    rm -f "$PIDS/slurmd.daemon"
    slurmd -f "$CONF" || die "slurmd did not start"
    await "slurmd's pid file" 100 daemon_pid slurmd
    cp "$PIDS/slurmd.daemon" "$PIDS/slurmd"
  fi
  await "the node to be idle" 600 node_ready
  local token
  token=$(scontrol token username=root lifespan=86400 | sed 's/^SLURM_JWT=//')
  [[ -n $token ]] || die "scontrol token gave no token"
  start_rest "$token"
  umask 077
  cat >"$ENVFILE" <<EOF
export SLURM_CONF=$CONF
export UWSKIT_SLURM_DIR=$DIR
export UWSKIT_SLURM_PARTITION=debug
export UWSKIT_SLURM_JOBCOMP=$LOGS/jobcomp.log
export UWSKIT_SLURM_REST_URL=http://$REST
export UWSKIT_SLURM_USER=root
export SLURM_JWT=$token
EOF
  say "ready: $(sinfo -h -o '%P %a %D %t %N' | head -n 1); env in $ENVFILE"
}

stop() {
  if ours slurmctld >/dev/null; then
    scancel --quiet --user=root 2>/dev/null || true
  fi
  stop_pid slurmrestd
  stop_pid slurmd
  stop_pid slurmctld
  stop_pid munged
  say "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) cat "$ENVFILE" 2>/dev/null || die "not started (no $ENVFILE)" ;;
  status) scontrol ping 2>/dev/null | grep -q UP && node_ready ;;
  restart-ctld)
    stop_pid slurmctld
    start_ctld
    # without it the restarted controller schedules nothing until slurmd registers again (about 30 s)
    scontrol reconfigure >/dev/null
    ;;
  stop-ctld) stop_pid slurmctld ;;
  start-ctld)
    ours slurmctld >/dev/null || start_ctld
    scontrol reconfigure >/dev/null
    ;;
  stop-rest) stop_pid slurmrestd ;;
  start-rest) start_rest "$(sed -n 's/^export SLURM_JWT=//p' "$ENVFILE")" ;;
  *) echo "usage: $0 start|stop|env|status|restart-ctld|stop-ctld|start-ctld|stop-rest|start-rest" >&2; exit 2 ;;
esac
