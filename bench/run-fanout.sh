#!/usr/bin/env bash
# Runs the same workloads against our chat server and against redis-server (pub/sub), in one
# run on this machine, and prints both results and the ratio ours/Redis (issue 5).
#
#   bench/run-fanout.sh            # everything, about 5 minutes on 2 cores
#   QUICK=1 bench/run-fanout.sh    # shorter windows, fewer idle connections: a smoke test
#
# Knobs (environment): DURATION, WARMUP (seconds per fan-out run), LATENCY_ROUNDS (alternating
# runs of each latency workload per server, default 3), IDLE_CONNECTIONS, IDLE_STEPS,
# SERVER_CPU, GEN_CPU (cores to pin to), WINDOW (in-flight messages, as-fast-as-possible run),
# SERVER_JAVA_OPTS (JVM flags for every run of our server; default: JIT compiler threads below
# the loop's priority, see below; none: no flags), IDLE_LEAN_HEAP_OPTS (see below),
# GEN_JAVA_OPTS, ONLY=ours|redis, IDLE_ONLY=1 (the idle-memory runs alone), LAUNCHER=1 (start our server as README says, through
# bin/chat-server with none of the flags above: the launcher applies its own profile, and the
# idle run is made once).
#
# Idle memory: IDLE_CONNECTIONS clients enter in IDLE_STEPS equal steps and the server's RSS is
# read after each (after a full GC and a trim of the C heap for a JVM). The first step includes
# what a fresh server pays once; the last step is what one more connection costs a warmed server.
# Our server is measured twice: with SERVER_JAVA_OPTS alone (the JVM sizes its heap itself and
# keeps every eden page it ever touched resident), and with IDLE_LEAN_HEAP_OPTS appended
# (default: a heap that is given back after a collection down to 10 % above the live data and
# pre-touched when it grows, so that RSS follows the live heap; see docs/benchmarks.md).
# IDLE_LEAN_HEAP_OPTS=none skips the second run.
#
# Everything runs on 127.0.0.1 only. Each server is pinned to SERVER_CPU and the generator to
# GEN_CPU with taskset; the servers take turns, never loaded at the same time. Whatever this
# script starts, it stops on exit (trap). Logs and raw RESULT lines go to bench/target/runs/.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
server_jar="$root/server/target/chat-server.jar"
bench_jar="$root/bench/target/chat-bench.jar"

QUICK="${QUICK:-0}"
if [[ "$QUICK" == 1 ]]; then
  DURATION="${DURATION:-3}"; WARMUP="${WARMUP:-1}"; IDLE_CONNECTIONS="${IDLE_CONNECTIONS:-2000}"
else
  # 18,000: what fits under an open-files limit of 20,000 (this sandbox's hard limit).
  DURATION="${DURATION:-10}"; WARMUP="${WARMUP:-2}"; IDLE_CONNECTIONS="${IDLE_CONNECTIONS:-18000}"
fi
IDLE_STEPS="${IDLE_STEPS:-2}"
LATENCY_ROUNDS="${LATENCY_ROUNDS:-$([[ "$QUICK" == 1 ]] && echo 1 || echo 3)}"
SERVER_CPU="${SERVER_CPU:-0}"
GEN_CPU="${GEN_CPU:-1}"
WINDOW="${WINDOW:-1000}"
source "$here/server-jvm-opts.sh"
LAUNCHER="${LAUNCHER:-0}"
if [[ "$LAUNCHER" == 1 ]]; then
  SERVER_JAVA_OPTS=""
  IDLE_LEAN_HEAP_OPTS=none
fi
GEN_JAVA_OPTS="${GEN_JAVA_OPTS:--Xms512m -Xmx2g}"
ONLY="${ONLY:-}"

log() { printf '%s\n' "$*" >&2; }

# ---- what we start, we stop ----
started=()
# Our server keeps history under --data-dir; each start gets a directory of its own in here.
data_root="$(mktemp -d)"
cleanup() {
  local pid
  for pid in "${started[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${started[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$data_root"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- prerequisites ----
if [[ ! -f "$server_jar" || ! -f "$bench_jar" ]]; then
  log "building (jars missing)..."
  (cd "$root" && mvn -B -q -DskipTests package)
fi
if ! command -v redis-server >/dev/null; then
  log "installing redis-server from the OS packages..."
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
# One file descriptor per connection on each side, plus room for the JVMs.
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
log "open files limit: $(ulimit -n)"

free_port() {
  local port
  while :; do
    # Below the ephemeral range (32768-60999 here): thousands of client sockets use those ports,
    # and a listener that lands on one fails with "Address already in use".
    port=$((20000 + RANDOM % 12000))
    if ! ss -Htln "sport = :$port" | grep -q .; then
      echo "$port"
      return
    fi
  done
}

wait_listening() { # port pid
  local i
  for i in $(seq 1 100); do
    if ss -Htln "sport = :$1" | grep -q .; then return 0; fi
    kill -0 "$2" 2>/dev/null || { log "server $2 died; see its log"; return 1; }
    sleep 0.1
  done
  log "nothing listens on port $1 after 10 s"
  return 1
}

# Our server's options that would throttle a benchmark, off where this build has them.
limit_flags=()
help_text="$(java -jar "$server_jar" --help 2>&1 || true)"
has_option() { grep -q -- "$1" <<<"$help_text"; }
has_option --flood-rate && limit_flags+=(--flood-rate 0)
has_option --max-per-ip && limit_flags+=(--max-per-ip 0)
has_option --max-clients && limit_flags+=(--max-clients 100000)
has_option --idle-timeout && limit_flags+=(--idle-timeout 0)
# Redis's pub/sub output limits (32 MB hard, 8 MB for 60 s) are far above what a window of 1,000
# messages queues; ours (1 MiB, 256 KiB for 10 s) are too, but are switched off so that neither
# server disconnects anyone in a benchmark.
has_option --max-pending && limit_flags+=(--max-pending 0)
has_option --soft-pending && limit_flags+=(--soft-pending 0)
# Redis listens with a backlog of 511; old builds of ours defaulted to 128, which drops SYNs when
# the idle run opens thousands of connections at once (each drop costs the client a 1 s
# retransmit). The README launch (LAUNCHER=1) keeps the server's own default.
if [[ "${LAUNCHER:-0}" != 1 ]]; then
  has_option --backlog && limit_flags+=(--backlog 1024)
fi
# History goes to a temporary directory per server start, not to ./chat-data.
data_dir_flags() { # name
  if has_option --data-dir; then echo "--data-dir $data_root/$1"; fi
}

run_dir="$root/bench/target/runs/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run_dir"

start_ours() { # name [extra JVM flags] -> sets port, pid
  port="$(free_port)"
  # shellcheck disable=SC2086
  local launch=(java $SERVER_JAVA_OPTS ${2:-} -jar "$server_jar")
  if [[ "$LAUNCHER" == 1 ]]; then
    launch=(env CHAT_SERVER_JAR="$server_jar" "$root/bin/chat-server")
  fi
  taskset -c "$SERVER_CPU" "${launch[@]}" --bind 127.0.0.1 --port "$port" \
      --log-level WARN "${limit_flags[@]}" $(data_dir_flags "$1") >"$run_dir/$1.log" 2>&1 &
  pid=$!
  started+=("$pid")
  wait_listening "$port" "$pid"
}

start_redis() { # name -> sets port, pid
  port="$(free_port)"
  # Bound to 127.0.0.1 only; protected mode off because it refuses clients from 127.0.0.2 and
  # up, which the generator uses past 5,000 connections (chat.bench.SourceAddresses). The listen
  # backlog is ours (4,096) rather than Redis's 511: with 511 the idle run overflowed Redis's
  # queue in four runs of five, and each dropped SYN cost a client a 1 s retransmit, which
  # measured the backlog, not the server.
  taskset -c "$SERVER_CPU" redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
      --daemonize no --protected-mode no --loglevel warning --maxclients 100000 --tcp-backlog 4096 \
      >"$run_dir/$1.log" 2>&1 &
  pid=$!
  started+=("$pid")
  wait_listening "$port" "$pid"
}

stop() { # pid
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# TcpExt ListenOverflows from /proc/net/netstat: SYNs dropped because an accept queue was full.
listen_overflows() {
  awk '/^TcpExt:/ { if (!n) { for (i = 1; i <= NF; i++) col[$i] = i; n = 1 } else print $col["ListenOverflows"] }' /proc/net/netstat
}

# Runs the generator; its output goes to the terminal and the run log, its RESULT line to results.
bench() { # name args...
  local name="$1"; shift
  local overflows_before
  overflows_before="$(listen_overflows)"
  log ""
  log "== $name: chat-bench $*"
  # shellcheck disable=SC2086
  taskset -c "$GEN_CPU" java $GEN_JAVA_OPTS -jar "$bench_jar" "$@" --label "$name" 2>&1 | tee "$run_dir/$name.out" >&2 || true
  # A full accept queue drops the SYN and the client retries after 1 s or more: the usual
  # reason for slow connection setup. Machine-wide counter, so other processes add to it.
  echo "listen queue overflows during $name (whole machine): $(( $(listen_overflows) - overflows_before ))" \
      | tee -a "$run_dir/$name.out" >&2
  grep '^RESULT' "$run_dir/$name.out" >>"$run_dir/results.txt" || log "($name produced no RESULT line)"
}

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "java: $(java -version 2>&1 | head -1); $(redis-server --version | cut -d' ' -f1-3)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "our server flags: ${limit_flags[*]:-(none of the limit options exist in this build)} ${SERVER_JAVA_OPTS}$([[ "$LAUNCHER" == 1 ]] && echo '(started by bin/chat-server)')"
} | tee "$run_dir/machine.txt" >&2

fanout_common=(--warmup "$WARMUP" --duration "$DURATION")
idle_common=(--connections "$IDLE_CONNECTIONS" --steps "$IDLE_STEPS")
want_ours() { [[ "$ONLY" != redis ]]; }
want_redis() { [[ "$ONLY" != ours ]]; }

# Both servers stay up for the fan-out and latency runs, pinned to the same core; only the one
# being measured is loaded. The latency runs alternate between them, LATENCY_ROUNDS times, so a
# quiet or a noisy minute on the machine falls on both: a p99 from one 10 s run is mostly noise.
IDLE_ONLY="${IDLE_ONLY:-0}"
if [[ "$IDLE_ONLY" != 1 ]]; then
if want_ours; then start_ours ours; ours_port="$port"; ours_pid="$pid"; fi
if want_redis; then start_redis redis; redis_port="$port"; redis_pid="$pid"; fi
on_both() { # label-suffix chat-bench-args... (the protocol, port and pid are added per server)
  local suffix="$1"; shift
  if want_ours; then bench "ours-$suffix" "$1" --protocol native --port "$ours_port" --server-pid "$ours_pid" "${@:2}"; fi
  if want_redis; then bench "redis-$suffix" "$1" --protocol resp --port "$redis_port" --server-pid "$redis_pid" "${@:2}"; fi
}
on_both max fanout --receivers 1000 --senders 10 --rate 0 --window "$WINDOW" "${fanout_common[@]}"
for round in $(seq 1 "$LATENCY_ROUNDS"); do
  on_both "r100-$round" fanout --receivers 100 --senders 10 --rate 1000 "${fanout_common[@]}"
  on_both "r1000-$round" fanout --receivers 1000 --senders 10 --rate 100 "${fanout_common[@]}"
done
if want_ours; then stop "$ours_pid"; fi
if want_redis; then stop "$redis_pid"; fi
fi

# Idle memory on fresh servers, so what the fan-out runs grew does not hide what idle clients cost.
if want_ours; then
  start_ours ours-idle
  bench ours-idle idle --protocol native --port "$port" --server-pid "$pid" "${idle_common[@]}"
  stop "$pid"
  if [[ "$IDLE_LEAN_HEAP_OPTS" != none ]]; then
    start_ours ours-idle-lean "$IDLE_LEAN_HEAP_OPTS"
    bench ours-idle-lean idle --protocol native --port "$port" --server-pid "$pid" "${idle_common[@]}"
    stop "$pid"
  fi
fi
if want_redis; then
  start_redis redis-idle
  bench redis-idle idle --protocol resp --port "$port" --server-pid "$pid" "${idle_common[@]}"
  stop "$pid"
fi

# ---- summary: ours, Redis, ours/Redis ----
value() { # label key
  # A missing label (ONLY=ours, or a failed run) is an empty value, not an error under set -e.
  { grep -h "label=$1 " "$run_dir/results.txt" 2>/dev/null || true; } | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1
}
# Every value of key over the rounds of a latency run, in round order.
values() { # label-prefix key
  { grep -hE "label=$1-[0-9]+ " "$run_dir/results.txt" 2>/dev/null || true; } | tr ' ' '\n' | sed -n "s/^$2=//p" | paste -sd' '
}
# The median (or, with "max", the largest) of those values.
aggregate() { # label-prefix key [max]
  values "$1" "$2" | tr ' ' '\n' | { grep . || true; } | sort -g | awk -v how="${3:-median}" '
    { v[NR] = $1 }
    END { if (NR == 0) exit; if (how == "max") print v[NR]; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# One summary line: ours, Redis and the ratio; "-" where a value is missing.
print_row() { # title ours redis better
  local ratio
  ratio="$(awk -v o="${2:-}" -v r="${3:-}" 'BEGIN { if (o == "" || r == "" || r + 0 == 0) print "-"; else printf "%.2f", o / r }')"
  printf '%-44s %14s %14s %8s   (%s)\n' "$1" "${2:--}" "${3:--}" "$ratio" "$4"
}
mrow() { # title label-suffix key better [max]
  print_row "$1" "$(aggregate "ours-$2" "$3" "${5:-}")" "$(aggregate "redis-$2" "$3" "${5:-}")" "$4"
}
row() { # title label-suffix key better
  print_row "$1" "$(value "ours-$2" "$3")" "$(value "redis-$2" "$3")" "$4"
}
{
  echo ""
  echo "== summary ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores; raw lines in $run_dir/results.txt)"
  printf '%-44s %14s %14s %8s\n' "" "ours" "redis" "ours/redis"
  row "fan-out 1000x10, deliveries/s" max deliveries_per_s "higher is better"
  row "fan-out 1000x10, lost deliveries" max lost "0 expected"
  row "fan-out 1000x10, generator CPU %" max gen_cpu_pct "100 = generator-bound"
  row "fan-out 1000x10, server CPU %" max server_cpu_pct ""
  for shape in r100 r1000; do
    if [[ "$shape" == r100 ]]; then title="100k/s as 100 rcv x 1000 msg/s"; else title="100k/s as 1000 rcv x 100 msg/s"; fi
    mrow "$title, p50 us, median" "$shape" lat_p50_us "lower is better"
    mrow "$title, p99 us, median" "$shape" lat_p99_us "lower is better; the target"
    mrow "$title, p99.9 us, median" "$shape" lat_p999_us "lower is better"
    mrow "$title, lost, most" "$shape" lost "0 expected" max
    echo "  $title, p99 us per round: ours $(values "ours-$shape" lat_p99_us); redis $(values "redis-$shape" lat_p99_us)"
    echo "  $title, noise % per round: ours $(values "ours-$shape" other_cpu_pct); redis $(values "redis-$shape" other_cpu_pct)"
  done
  row "noise: CPU % used by neither, fan-out" max other_cpu_pct "other processes; >20 = disturbed"
  row "idle $IDLE_CONNECTIONS: RSS/conn, all N, bytes" idle rss_per_conn_bytes "lower is better; after GC"
  row "idle $IDLE_CONNECTIONS: RSS/conn, first step, bytes" idle rss_per_conn_first_bytes "includes one-time costs"
  row "idle $IDLE_CONNECTIONS: RSS/conn, last step, bytes" idle rss_per_conn_last_bytes "a warmed server"
  row "idle $IDLE_CONNECTIONS: live bytes/conn, all N" idle live_per_conn_bytes "ours: live heap; redis: used_memory"
  row "idle $IDLE_CONNECTIONS: broadcast reached" idle broadcast_reached "all expected"
  row "idle $IDLE_CONNECTIONS: seconds for all to enter" idle setup_s "lower is better"
  if [[ "$IDLE_LEAN_HEAP_OPTS" != none ]]; then
    echo "ours, idle, lean heap ($IDLE_LEAN_HEAP_OPTS):"
    echo "  RSS per connection, all N / first step / last step, bytes: $(value ours-idle-lean rss_per_conn_bytes)" \
        "/ $(value ours-idle-lean rss_per_conn_first_bytes) / $(value ours-idle-lean rss_per_conn_last_bytes);" \
        "live heap per connection, all N: $(value ours-idle-lean live_per_conn_bytes) bytes;" \
        "setup s: $(value ours-idle-lean setup_s)"
  fi
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$run_dir/summary.txt"
