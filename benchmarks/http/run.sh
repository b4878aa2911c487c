#!/usr/bin/env bash
# The HTTP benchmark of uwskit (issue 13; method and figures in BENCHMARKS.md, section "HTTP").
#
#   bash benchmarks/http/run.sh [--quick] [--no-build]
#
# Builds the example server's jar and benchmarks.jar, then measures in turn, each with wrk (2 threads, 16 keep-alive
# connections, a warm-up then a measured run) and the Java clients of org.uwskit.benchmarks.http.HttpBench:
#   trivial   a trivial servlet in the same Jetty (303 on POST, a fixed job document on GET): the baseline
#   memory    the example server with --store memory
#   h2        the example server with its default H2 file store
#   pg        the example server on PostgreSQL (scripts/postgres.sh)
# plus the in-JVM no-op job latency (JMH). Every uwskit server runs with --quotas off (the default per-owner quotas,
# 100 requests/s and 10,000 stored jobs with all anonymous callers as one owner, would answer most requests 429).
# Each measured wrk run is profiled with JFR (jcmd JFR.start/stop). Writes benchmarks/http/target/: results.properties
# (every figure), report.md (figures, ratios to the baseline, targets; the profiles' hot spots), jfr/, logs/.
#
# Environment: UWSKIT_BENCH_PORT (first of 3 ports, default 18200), UWSKIT_PG_DIR / UWSKIT_PG_PORT (default
# /tmp/uwskit-bench-pg, 25439), UWSKIT_BENCH_M2 (a Maven local repository to build with), UWSKIT_BENCH_OUT.
# Needs: JDK 17 (java, jcmd, jfr), Maven, python3, curl, bc, /usr/bin/time, pgrep, wrk (installed from Debian if
# missing), PostgreSQL binaries.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MODE=full
BUILD=1
for a in "$@"; do
  case "$a" in
    --quick) MODE=quick ;;
    --no-build) BUILD=0 ;;
    *) echo "usage: $0 [--quick] [--no-build]" >&2; exit 2 ;;
  esac
done

OUT=${UWSKIT_BENCH_OUT:-$HERE/target}
PORT=${UWSKIT_BENCH_PORT:-18200}
export UWSKIT_PG_DIR=${UWSKIT_PG_DIR:-/tmp/uwskit-bench-pg}
export UWSKIT_PG_PORT=${UWSKIT_PG_PORT:-25439} # below the ephemeral port range, which clients exhaust here
export UWSKIT_BENCH_DIR=$HERE
EXAMPLES_JAR=$ROOT/examples/target/uwskit-examples.jar
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar
SCHEMA=uwsbench

if [[ $MODE == quick ]]; then
  WARM=3; MEASURE=5; LIST_RUNS=15; MEM_JOBS=100000; PG_JOBS=1000000; WAITERS=10000; WAKE_TRIALS=10
  CROSS_TRIALS=5; JMH_ARGS=(-f 1 -wi 1 -w 1 -i 2 -r 2)
else
  WARM=5; MEASURE=10; LIST_RUNS=31; MEM_JOBS=400000; PG_JOBS=1000000; WAITERS=10000; WAKE_TRIALS=21
  CROSS_TRIALS=9; JMH_ARGS=(-f 1 -wi 2 -w 2 -i 3 -r 3)
fi
LIST_JOBS=10000

die() { echo "run.sh: $*" >&2; exit 1; }
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

# ---------------------------------------------------------------- processes we start, stopped on any exit
PIDS=()
PG_STARTED=0
cleanup() {
  local p
  for p in "${PIDS[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$p" 2>/dev/null || true
  done
  if [[ -n ${PG_BIN:-} && -f "$UWSKIT_PG_DIR/data/PG_VERSION" ]]; then # undo the statement log, if it was on
    "$PG_BIN/psql" -h 127.0.0.1 -p "$UWSKIT_PG_PORT" -U postgres -d uwskit -qtA -c "ALTER SYSTEM RESET log_min_duration_statement" \
      -c "SELECT pg_reload_conf()" >/dev/null 2>&1 || true
  fi
  if [[ $PG_STARTED == 1 ]]; then
    bash "$ROOT/scripts/postgres.sh" stop >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_pid() { # stop one process we started, and forget it
  local p=$1 i
  kill -TERM "$p" 2>/dev/null || true
  for i in $(seq 1 75); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
  local keep=()
  for i in "${PIDS[@]}"; do [[ $i == "$p" ]] || keep+=("$i"); done
  PIDS=("${keep[@]}")
}

# ---------------------------------------------------------------- tools
command -v wrk >/dev/null || {
  log "installing wrk (Debian)"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get install -y -qq wrk >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null; }
}
for t in wrk java jcmd jfr python3 curl bc pgrep; do command -v $t >/dev/null || die "$t is not on the PATH"; done
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (Debian package time)"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[[ -x "$PG_BIN/psql" ]] || die "no PostgreSQL binaries in /usr/lib/postgresql/*/bin (scripts/install-test-deps.sh)"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) >= WAITERS + 1000 )) || die "ulimit -n is $(ulimit -n): $WAITERS WAIT connections need more"

if [[ $BUILD == 1 ]]; then
  log "building the example server's jar and benchmarks.jar"
  M2=(); [[ -n "${UWSKIT_BENCH_M2:-}" ]] && M2=(-Dmaven.repo.local="$UWSKIT_BENCH_M2")
  (cd "$ROOT" && mvn -B -q "${M2[@]}" -pl examples,benchmarks -am package -DskipTests) || die "the build failed"
fi
[[ -f $EXAMPLES_JAR && -f $BENCH_JAR ]] || die "missing $EXAMPLES_JAR or $BENCH_JAR (run without --no-build)"

rm -rf "$OUT"
mkdir -p "$OUT/jfr" "$OUT/logs" "$OUT/data"
RESULTS=$OUT/results.properties
: >"$RESULTS"
put() { echo "$1=$2" >>"$RESULTS"; }
put mode "$MODE"
put started "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
put machine.cpus "$(nproc)"
put machine.cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
put machine.mem_gb "$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)"
put machine.load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
put java "$(java -version 2>&1 | head -n 1)"
put wrk "$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
put settings "warm-up ${WARM}s, measured ${MEASURE}s, wrk -t2 -c16 (single connection: -t1 -c1)"
CLK=$(getconf CLK_TCK)
# JFR settings: the JDK's "profile" settings with Java stacks sampled every 1 ms instead of 10 ms (more samples in a
# short run on 2 busy cores)
JAVA_HOME_=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
JFC=$OUT/profile-1ms.jfc
sed '/name="jdk.ExecutionSample"/,/<\/event>/ s/>10 ms</>1 ms</' "$JAVA_HOME_/lib/jfr/profile.jfc" >"$JFC"
grep -q '>1 ms<' "$JFC" || die "cannot make the JFR settings from $JAVA_HOME_/lib/jfr/profile.jfc"
export PGOPTIONS='-c client_min_messages=warning'

bench() { java -cp "$BENCH_JAR" org.uwskit.benchmarks.http.HttpBench "$@"; }

# CPU ticks (user+system) of a process and its threads
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() { # the PostgreSQL cluster's processes: the postmaster and its children
  local pm t=0 p
  pm=$(head -n 1 "$UWSKIT_PG_DIR/data/postmaster.pid" 2>/dev/null || true)
  [[ -n $pm ]] || { echo 0; return; }
  for p in $pm $(pgrep -P "$pm" || true); do t=$((t + $(ticks "$p"))); done
  echo $t
}

# ---------------------------------------------------------------- servers
SERVER_PID=
start_java() { # NAME PORT ARGS... : starts a JVM with a GC log, waits for "ready"
  local name=$1 port=$2; shift 2
  local logf=$OUT/logs/$name.log
  java -Xlog:gc,gc+cpu:file="$OUT/logs/$name-gc.log" -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints "$@" \
    >"$logf" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  local i
  for i in $(seq 1 120); do
    grep -q '^ready' "$logf" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$logf" >&2; die "server $name exited at start"; }
    sleep 0.5
  done
  grep -q '^ready' "$logf" || { tail -n 20 "$logf" >&2; die "server $name not ready after 60 s"; }
  # JFR's first start in a JVM loads and compiles a lot: pay it now, not in the first measured run
  jcmd "$SERVER_PID" JFR.start name=init settings="$JFC" >/dev/null || die "JFR.start failed in $name"
  jcmd "$SERVER_PID" JFR.stop name=init >/dev/null || die "JFR.stop failed in $name"
  curl -sf -o /dev/null "http://127.0.0.1:$port/" -m 5 || true
}
start_uws() { # NAME PORT STORE-ARGS...
  local name=$1 port=$2; shift 2
  rm -rf "$OUT/data/$name"
  start_java "$name" "$port" -jar "$EXAMPLES_JAR" --port "$port" --data "$OUT/data/$name" --quotas off "$@"
}

# ---------------------------------------------------------------- profiles (JFR in the server under test)
prof_start() { jcmd "$SERVER_PID" JFR.start name="$1" settings="$JFC" >/dev/null || die "JFR.start failed"; }
prof_stop() { jcmd "$SERVER_PID" JFR.stop name="$2" filename="$OUT/jfr/$1-$2.jfr" >/dev/null || die "JFR.stop failed"; }

# ---------------------------------------------------------------- wrk runs
# wrk_run SERVER LABEL SCRIPT URL THREADS CONNS SECONDS [profile]: a measured run; figures as SERVER.LABEL.*
wrk_run() {
  local srv=$1 label=$2 script=$3 url=$4 th=$5 co=$6 secs=$7 prof=${8:-}
  local f=$OUT/logs/wrk-$srv-$label.txt
  [[ -n $prof ]] && prof_start "$label"
  local s0 p0 w0 t0 t1
  s0=$(ticks "$SERVER_PID"); p0=$(pg_ticks); t0=$(date +%s.%N)
  /usr/bin/time -f 'wrk.cpu_seconds=%U %S' -o "$f.time" \
    wrk -t"$th" -c"$co" -d"${secs}s" --timeout 10s -s "$HERE/$script" "$url" >"$f" 2>&1 \
    || { cat "$f" >&2; die "wrk failed ($srv $label)"; }
  t1=$(date +%s.%N)
  local s1 p1 el
  s1=$(ticks "$SERVER_PID"); p1=$(pg_ticks)
  el=$(echo "$t1 - $t0" | bc -l)
  [[ -n $prof ]] && prof_stop "$srv" "$label"
  grep '^wrk\.' "$f" | sed "s/^wrk\./$srv.$label./" >>"$RESULTS"
  local wcpu
  wcpu=$(sed -n 's/^wrk.cpu_seconds=\([0-9.]*\) \([0-9.]*\)$/\1 \2/p' "$f.time" | awk '{print $1 + $2}')
  put "$srv.$label.cpu_server" "$(echo "($s1 - $s0) / $CLK / $el" | bc -l | xargs printf '%.2f')"
  put "$srv.$label.cpu_wrk" "$(echo "${wcpu:-0} / $el" | bc -l | xargs printf '%.2f')"
  put "$srv.$label.cpu_pg" "$(echo "($p1 - $p0) / $CLK / $el" | bc -l | xargs printf '%.2f')"
  log "  $srv $label: $(grep -E '^wrk\.(rate|p50_ms|p99_ms|bad_status)' "$f" | tr '\n' ' ')"
  local bad
  bad=$(sed -n 's/^wrk.bad_status=//p' "$f")
  [[ ${bad:-0} == 0 ]] || log "  WARNING: $bad answers were 4xx/5xx in $srv $label"
}
warm() { # SERVER SCRIPT URL [SECONDS]
  wrk -t2 -c16 -d"${4:-$WARM}s" --timeout 10s -s "$HERE/$2" "$3" >"$OUT/logs/warm-$1-$2.txt" 2>&1 \
    || die "wrk warm-up failed"
}
post_wrk() { warm "$1" post.lua "$2"; wrk_run "$1" post post.lua "$2" 2 16 "$MEASURE" profile; }
get_wrk() { # a longer warm-up: the GET path is still being compiled after a POST run (seen as a later GET run
  # of the same server going faster than the first)
  warm "$1" get.lua "$2" $((2 * WARM))
  wrk_run "$1" get get.lua "$2" 2 16 "$MEASURE" profile
  wrk_run "$1" get1 get.lua "$2" 1 1 "$MEASURE"
}
new_job() { # LIST_URL -> the job URL (a PENDING demo job)
  local loc
  loc=$(curl -sf -o /dev/null -w '%{redirect_url}' -d SECONDS=1 "$1") || die "cannot create a job at $1"
  [[ -n $loc ]] || die "no Location from POST $1"
  echo "$loc"
}
put_kv() { # PREFIX FILE: key=value lines of a Java client, prefixed
  grep -E '^[a-z_.0-9]+=' "$2" | sed "s/^[a-z]*\./$1./" >>"$RESULTS"
}
lists() { # SERVER BASE: 10,000 jobs in /tap/async (a list of its own), then the list as XML and JSON
  local srv=$1 base=$2
  bench fill "$base/tap/async" "$LIST_JOBS" 16 >"$OUT/logs/$srv-fill-list.txt" || die "fill failed on $srv"
  put_kv "$srv.listfill" "$OUT/logs/$srv-fill-list.txt"
  local f
  for f in xml json; do
    prof_start "list_$f"
    bench time "$base/tap/async" "application/$f" 5 "$LIST_RUNS" >"$OUT/logs/$srv-list-$f.txt" || die "list $f failed"
    prof_stop "$srv" "list_$f"
    put_kv "$srv.list_$f" "$OUT/logs/$srv-list-$f.txt"
  done
  log "  $srv list of $LIST_JOBS: XML $(sed -n 's/time.median_ms=//p' "$OUT/logs/$srv-list-xml.txt") ms," \
    "JSON $(sed -n 's/time.median_ms=//p' "$OUT/logs/$srv-list-json.txt") ms (median of $LIST_RUNS)"
}
heap_used_kb() { # PID: heap in use after a full GC, in KB
  jcmd "$1" GC.run >/dev/null
  sleep 1
  jcmd "$1" GC.heap_info | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -n 1
}

# ---------------------------------------------------------------- PostgreSQL, started first (before thousands of
# client connections take ephemeral ports, one of which may be the cluster's port)
log "PostgreSQL ($UWSKIT_PG_DIR, port $UWSKIT_PG_PORT)"
bash "$ROOT/scripts/postgres.sh" status >/dev/null 2>&1 || PG_STARTED=1
for i in $(seq 1 20); do
  bash "$ROOT/scripts/postgres.sh" start >"$OUT/logs/postgres-start.txt" 2>&1 && break
  [[ $i == 20 ]] && { cat "$OUT/logs/postgres-start.txt" >&2; die "scripts/postgres.sh start failed"; }
  sleep 3
done
PGURL=$(bash "$ROOT/scripts/postgres.sh" url)
psql() { "$PG_BIN/psql" -h 127.0.0.1 -p "$UWSKIT_PG_PORT" -U postgres -d uwskit -v ON_ERROR_STOP=1 -qtA "$@"; }
psql -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null
put pg.version "$(psql -c 'SHOW server_version')"

# ---------------------------------------------------------------- 1. the trivial servlet (baseline)
P1=$PORT; P2=$((PORT + 1)); P3=$((PORT + 2))
TRIVIAL=http://127.0.0.1:$P3
log "trivial servlet (baseline), port $P3; it keeps running (idle) to be measured again before each store"
start_java trivial "$P3" -cp "$BENCH_JAR" org.uwskit.benchmarks.http.TrivialServer "$P3"
TRIVIAL_PID=$SERVER_PID
post_wrk trivial "$TRIVIAL/uws/demo"
get_wrk trivial "$TRIVIAL/uws/demo/apf5vaaxmjqbesezvldsv73mdo"
for f in xml json; do # the fixed job lists of 10,000 jobs, and one job document (the baseline of LAST=10)
  bench time "$TRIVIAL/tap/async/list" "application/$f" 5 "$LIST_RUNS" >"$OUT/logs/trivial-list-$f.txt" \
    || die "list timing failed on trivial"
  put_kv "trivial.list_$f" "$OUT/logs/trivial-list-$f.txt"
done
bench time "$TRIVIAL/uws/demo/apf5vaaxmjqbesezvldsv73mdo" application/xml 5 "$LIST_RUNS" \
  >"$OUT/logs/trivial-doc.txt" || die "document timing failed on trivial"
put_kv trivial.doc "$OUT/logs/trivial-doc.txt"

# the trivial servlet again just before each store is measured (figures base_STORE.*): on a shared machine whose load
# changes from minute to minute, each store's rates are compared with the baseline measured next to them
pair() {
  local keep=$SERVER_PID
  SERVER_PID=$TRIVIAL_PID
  log "  baseline again, before $1"
  wrk -t2 -c16 -d1s -s "$HERE/post.lua" "$TRIVIAL/uws/demo" >/dev/null 2>&1 || true
  wrk_run "base_$1" post post.lua "$TRIVIAL/uws/demo" 2 16 "$MEASURE"
  wrk_run "base_$1" get get.lua "$TRIVIAL/uws/demo/apf5vaaxmjqbesezvldsv73mdo" 2 16 "$MEASURE"
  SERVER_PID=$keep
}

# ---------------------------------------------------------------- 2. memory store
pair memory
log "uwskit, memory store, port $P1"
start_uws memory "$P1" --store memory
MPID=$SERVER_PID
BASE=http://127.0.0.1:$P1
post_wrk memory "$BASE/uws/demo"
JOB=$(new_job "$BASE/uws/demo")
get_wrk memory "$JOB"
lists memory "$BASE"

log "  $WAITERS WAIT requests held while wrk GETs another job"
WAITED=$(new_job "$BASE/tap/async")
bench waiters "$WAITED" "$WAITERS" $((MEASURE + 2)) >"$OUT/logs/memory-waiters.txt" 2>&1 &
WPID=$!
PIDS+=("$WPID")
for _ in $(seq 1 200); do
  grep -q '^waiters.ready=1' "$OUT/logs/memory-waiters.txt" && break
  kill -0 "$WPID" 2>/dev/null || { cat "$OUT/logs/memory-waiters.txt" >&2; die "the WAIT client failed"; }
  sleep 0.5
done
grep -q '^waiters.ready=1' "$OUT/logs/memory-waiters.txt" || die "the WAIT requests were not all held"
wrk_run memory getwait get.lua "$JOB" 2 16 "$MEASURE" profile
wait "$WPID" || { cat "$OUT/logs/memory-waiters.txt" >&2; die "the WAIT client failed"; }
PIDS=("${PIDS[@]/$WPID}")
put_kv memory.waiters "$OUT/logs/memory-waiters.txt"
log "  $(grep -E 'waiters\.(held_min|answered|errors)' "$OUT/logs/memory-waiters.txt" | tr '\n' ' ')"

bench wakeup "$BASE/uws/demo" "$BASE/uws/demo" "$WAKE_TRIALS" 10 >"$OUT/logs/memory-wakeup.txt" || die "wakeup failed"
put_kv memory.wakeup "$OUT/logs/memory-wakeup.txt"
log "  wake-up, same node: $(sed -n 's/wakeup.median_ms=//p' "$OUT/logs/memory-wakeup.txt") ms median"

log "  memory per job: heap after a full GC, before and after $MEM_JOBS more jobs"
H0=$(heap_used_kb "$MPID")
bench fill "$BASE/uws/demo" "$MEM_JOBS" 16 >"$OUT/logs/memory-fill.txt" || die "fill failed on memory"
put_kv memory.memfill "$OUT/logs/memory-fill.txt"
H1=$(heap_used_kb "$MPID")
STORED=$(( $(sed -n 's/^memory.post.requests=//p' "$RESULTS") + $(sed -n 's/^memory.listfill.jobs=//p' "$RESULTS") + MEM_JOBS ))
put memory.heap.before_kb "$H0"
put memory.heap.after_kb "$H1"
put memory.heap.jobs_added "$MEM_JOBS"
put memory.heap.jobs_stored_about "$STORED"
put memory.heap.bytes_per_job "$(( (H1 - H0) * 1024 / MEM_JOBS ))"
log "  $(( (H1 - H0) * 1024 / MEM_JOBS )) bytes per job (heap ${H0}K -> ${H1}K, about $STORED jobs stored)"
stop_pid "$MPID"

# ---------------------------------------------------------------- 3. H2 (the default store)
pair h2
log "uwskit, H2 (default store), port $P1"
start_uws h2 "$P1"
BASE=http://127.0.0.1:$P1
post_wrk h2 "$BASE/uws/demo"
get_wrk h2 "$(new_job "$BASE/uws/demo")"
lists h2 "$BASE"
stop_pid "$SERVER_PID"

# ---------------------------------------------------------------- 4. PostgreSQL
pair pg
log "uwskit, PostgreSQL, ports $P1 (and $P2 for the second node)"
start_uws pg "$P1" --store "$PGURL" --db-schema "$SCHEMA"
PGPID=$SERVER_PID
BASE=http://127.0.0.1:$P1
post_wrk pg "$BASE/uws/demo"
get_wrk pg "$(new_job "$BASE/uws/demo")"
lists pg "$BASE"

SERVER_PID=$PGPID
start_uws pg2 "$P2" --store "$PGURL" --db-schema "$SCHEMA"
PG2PID=$SERVER_PID
SERVER_PID=$PGPID
bench wakeup "$BASE/uws/demo" "http://127.0.0.1:$P2/uws/demo" "$CROSS_TRIALS" 5 \
  >"$OUT/logs/pg-wakeup-cross.txt" || die "cross-node wakeup failed"
put_kv pg.wakeup_cross "$OUT/logs/pg-wakeup-cross.txt"
log "  wake-up across two nodes: $(sed -n 's/wakeup.median_ms=//p' "$OUT/logs/pg-wakeup-cross.txt") ms median"
stop_pid "$PG2PID"

log "  LAST=10 with $PG_JOBS jobs: copies of a job the server stored, through the store's batch path (JdbcJobStore.insertAll)"
TEMPLATE=$(new_job "$BASE/uws/demo")
TEMPLATE_ID=${TEMPLATE##*/}
bench storefill "$PGURL" "$SCHEMA" "$TEMPLATE_ID" "$PG_JOBS" >"$OUT/logs/pg-storefill.txt" || die "store fill failed"
psql -c "ANALYZE $SCHEMA.uws_job" >/dev/null
put pg.bigfill.jobs "$PG_JOBS"
put pg.bigfill.seconds "$(sed -n 's/^fill.seconds=//p' "$OUT/logs/pg-storefill.txt")"
put pg.bigfill.rate "$(sed -n 's/^fill.rate=//p' "$OUT/logs/pg-storefill.txt")"
put pg.bigfill.total_rows "$(psql -c "SELECT count(*) FROM $SCHEMA.uws_job")"
# PostgreSQL logs every statement's duration meanwhile (its own view of the time, next to the client's)
psql -c "ALTER SYSTEM SET log_min_duration_statement = 0" -c "SELECT pg_reload_conf()" >/dev/null
PG_LOG_LINES=$(wc -l <"$UWSKIT_PG_DIR/server.log")
prof_start last10
bench time "$BASE/uws/demo?LAST=10" application/xml 5 "$LIST_RUNS" >"$OUT/logs/pg-last10.txt" || die "LAST=10 failed"
prof_stop pg last10
psql -c "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" >/dev/null
tail -n +"$((PG_LOG_LINES + 1))" "$UWSKIT_PG_DIR/server.log" >"$OUT/logs/pg-last10-statements.log" || true
put_kv pg.last10 "$OUT/logs/pg-last10.txt"
log "  LAST=10 of $(sed -n 's/^pg.bigfill.total_rows=//p' "$RESULTS") jobs: $(sed -n 's/time.median_ms=//p' "$OUT/logs/pg-last10.txt") ms"
stop_pid "$PGPID"
psql -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null

stop_pid "$TRIVIAL_PID"

# ---------------------------------------------------------------- 5. in-JVM no-op job latency (JMH)
log "in-JVM no-op job, creation to COMPLETED (JMH, engine threads)"
java -jar "$BENCH_JAR" NoopJobLatencyBenchmark "${JMH_ARGS[@]}" -rf json -rff "$OUT/noop.json" \
  >"$OUT/logs/jmh-noop.txt" 2>&1 || { tail -n 30 "$OUT/logs/jmh-noop.txt" >&2; die "JMH failed"; }

put machine.load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
put finished "$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# ---------------------------------------------------------------- report
log "report and profiles"
python3 "$HERE/report.py" "$OUT" >"$OUT/report.md" || die "report.py failed"
log "done: $OUT/report.md"
