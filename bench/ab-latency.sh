#!/usr/bin/env bash
# A/B latency of server builds (and Redis) at a fixed rate, in alternating runs, so that two
# builds can be compared on a machine whose speed drifts from minute to minute.
#
#   bench/ab-latency.sh old.jar new.jar          # each jar, then Redis, ROUNDS times
#   RECEIVERS=100 RATE=1000 bench/ab-latency.sh server/target/chat-server.jar
#   bench/ab-latency.sh relay server/target/chat-server.jar   # against the bare NIO relay too
#
# "relay" in place of a jar is `chat-bench relay`: the least a Java NIO server does for this
# workload (one room, one write per delivery, no chat, no queues), a floor for ours.
#
# The same jar may be given twice with different JVM options: JAVA_OPTS_1, JAVA_OPTS_2, ... go to
# the first, second, ... jar, e.g. JAVA_OPTS_2='-XX:+UseTransparentHugePages' bench/ab-latency.sh a.jar a.jar
# or with different server options: SERVER_ARGS_1, SERVER_ARGS_2, ... go after the others on its
# command line, e.g. SERVER_ARGS_2='--history-size 0' bench/ab-latency.sh a.jar a.jar (history on
# against off).
#
# A build with history (--data-dir) gets a fresh data directory for every run, in a temporary
# directory ($TMPDIR or /tmp, on this machine the same disk as the repository) that is removed
# after the run: a run starts with no history, and nothing is written where the script is run.
#
# Knobs (environment): ROUNDS (default 3), RECEIVERS (1000), SENDERS (10), RATE (messages/s from
# all senders together, 100; 0: as fast as the server goes, with WINDOW messages in flight, for a
# throughput A/B), WINDOW (1000), WARMUP (4 s), DURATION (10 s), REDIS=0 to leave Redis out, SERVER_CPU, GEN_CPU,
# WARM (3 s): each fresh server first takes an as-fast-as-possible fan-out this long, as in
# run-fanout.sh, so that the JIT compiler is mostly done before measuring: it shares the
# server's core, and in a cold run the compiler threads took 19 ms of it inside a 6 s window.
# WARM=0 measures a cold server. LAUNCHER=1 starts our server as README says, through bin/chat-server
# with the jar in CHAT_SERVER_JAR (the launcher's own JVM profile; JAVA_OPTS_n go after it).
# Prints one line per run: which server (#position and path), deliveries/s, lost, p50, p99, p99.9,
# server CPU %, noise %. Loopback only; every server it starts is stopped before the next run.
#
# TRACE=1 (needs perf) also times each fan-out inside the server, where the generator cannot
# interfere: perf records the server's read(2) and epoll_wait(2) calls for most of the measuring
# window, and a fan-out is the time from a read that returned a message to the next epoll_wait,
# i.e. reading, queueing to every member and writing to each. Prints fanout_us=p10/p50/p90/p99
# and the number of fan-outs. The tracepoints cost the server a few microseconds per message.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
bench_jar="$here/target/chat-bench.jar"
ROUNDS="${ROUNDS:-3}"; RECEIVERS="${RECEIVERS:-1000}"; SENDERS="${SENDERS:-10}"; RATE="${RATE:-100}"
WARMUP="${WARMUP:-4}"; DURATION="${DURATION:-10}"; REDIS="${REDIS:-1}"; WINDOW="${WINDOW:-1000}"
SERVER_CPU="${SERVER_CPU:-0}"; GEN_CPU="${GEN_CPU:-1}"; LAUNCHER="${LAUNCHER:-0}"
[[ $# -ge 1 ]] || { echo "usage: $0 server.jar [server.jar...]" >&2; exit 2; }
[[ -f "$bench_jar" ]] || { echo "no $bench_jar: run mvn -B -DskipTests package first" >&2; exit 2; }

pid=""

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}

wait_listening() { # port pid
  local i
  for i in $(seq 1 100); do
    ss -Htln "sport = :$1" | grep -q . && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2
  return 1
}

# Our server's options that would throttle a benchmark, off where that build has them (an older
# jar refuses options it does not know).
server_flags() { # jar
  local help flags=()
  help="$(java -jar "$1" --help 2>&1 || true)"
  for pair in "--flood-rate 0" "--max-per-ip 0" "--max-clients 100000" "--idle-timeout 0" \
      "--max-pending 0" "--soft-pending 0" "--backlog 1024"; do
    grep -q -- "${pair%% *}" <<<"$help" && flags+=($pair)
  done
  echo "${flags[*]}"
}

# A fresh data directory for a build that keeps history, so that every run starts empty and
# nothing lands in the directory the script was started from; nothing for an older build.
data_dir_flags() { # jar run-number
  if java -jar "$1" --help 2>&1 | grep -q -- --data-dir; then
    rm -rf "$work/data-$2"
    echo "--data-dir $work/data-$2"
  fi
}

one_run() { # label server (a jar or "redis") [JVM options] [server options]
  local label="$1" server="$2" jvm_options="${3:-}" server_args="${4:-}" port protocol result
  runs=$((runs + 1))
  port="$(free_port)"
  if [[ "$server" == redis ]]; then
    taskset -c "$SERVER_CPU" redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
        --daemonize no --loglevel warning --maxclients 100000 >/dev/null 2>&1 &
    protocol=resp
  elif [[ "$server" == relay ]]; then
    # shellcheck disable=SC2086
    taskset -c "$SERVER_CPU" java $jvm_options -jar "$bench_jar" relay --port "$port" >/dev/null 2>&1 &
    protocol=native
  else
    # shellcheck disable=SC2206 # the JVM options are a list of words
    local launch=(java $jvm_options -jar "$server")
    if [[ "$LAUNCHER" == 1 ]]; then
      launch=(env CHAT_SERVER_JAR="$server" JAVA_OPTS="$jvm_options" "$here/../bin/chat-server")
    fi
    # shellcheck disable=SC2046,SC2086
    taskset -c "$SERVER_CPU" "${launch[@]}" --bind 127.0.0.1 --port "$port" --log-level WARN \
        $(server_flags "$server") $(data_dir_flags "$server" "$runs") $server_args >/dev/null 2>&1 &
    protocol=native
  fi
  pid=$!
  if ! wait_listening "$port" "$pid"; then
    echo "$label: did not start"
    pid=""
    return
  fi
  if [[ "$WARM" != 0 ]]; then
    taskset -c "$GEN_CPU" java -Xms512m -Xmx2g -jar "$bench_jar" fanout --protocol "$protocol" --port "$port" \
        --receivers "$RECEIVERS" --senders "$SENDERS" --warmup 0 --duration "$WARM" >/dev/null 2>&1 || true
  fi
  # A run with losses exits 3 and still prints its RESULT line: report it, go on.
  taskset -c "$GEN_CPU" java -Xms512m -Xmx2g -jar "$bench_jar" fanout --protocol "$protocol" \
      --port "$port" --server-pid "$pid" --receivers "$RECEIVERS" --senders "$SENDERS" --rate "$RATE" \
      --window "$WINDOW" --warmup "$WARMUP" --duration "$DURATION" >"$work/gen.out" 2>&1 &
  generator=$!
  local fanouts=""
  if [[ "$TRACE" == 1 ]]; then
    local thread=chat-loop
    [[ "$server" == redis ]] && thread=redis-server
    [[ "$server" == relay ]] && thread=relay-loop
    fanouts="$(trace_fanouts "$pid" "$thread")"
  fi
  wait "$generator" || true
  generator=""
  result="$(grep '^RESULT' "$work/gen.out" || true)"
  if [[ -z "$result" ]]; then
    echo "$label: no RESULT line"
  else
    echo "$label $(tr ' ' '\n' <<<"$result" \
        | grep -E '^(deliveries_per_s|lat_p50_us|lat_p99_us|lat_p999_us|server_cpu_pct|other_cpu_pct|lost)=' | paste -sd' ')${fanouts:+ $fanouts}"
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
  rm -rf "$work/data-$runs"
}

# Records the server's reads and epoll_waits from the end of the generator's warm-up (counted
# from its "setup:" line) to a second before the end of its window, then prints the fan-out
# times. Prints fanouts=0 when perf recorded nothing (tracepoints not allowed, say).
trace_fanouts() { # pid thread-name
  local seconds i
  seconds="$(awk -v d="$DURATION" 'BEGIN { s = d - 2; print (s < 1 ? 1 : s) }')"
  for i in $(seq 1 1200); do # the generator connects its clients first: up to 2 minutes
    grep -q '^setup:' "$work/gen.out" 2>/dev/null && break
    sleep 0.1
  done
  sleep "$(awk -v w="$WARMUP" 'BEGIN { print w + 0.3 }')"
  rm -f "$work/trace.data"
  taskset -c "$GEN_CPU" perf record -q -o "$work/trace.data" -p "$1" \
      -e syscalls:sys_exit_read -e syscalls:sys_enter_epoll_wait -- sleep "$seconds" >/dev/null 2>&1 || true
  { perf script -i "$work/trace.data" -F comm,time,event,trace 2>/dev/null || true; } | awk -v thread="$2" '
    $1 != thread { next }
    $3 == "syscalls:sys_exit_read:" && !busy && $4 != "0x0" && length($4) < 10 { start = $2 + 0; busy = 1; next }
    $3 == "syscalls:sys_enter_epoll_wait:" && busy { print int(($2 - start) * 1e6 + 0.5); busy = 0 }
  ' | sort -n | awk '
    { d[NR] = $1 }
    function at(p) { i = int(p * NR); if (i < 1) i = 1; return d[i] }
    END { if (NR == 0) print "fanouts=0"; else printf "fanouts=%d fanout_us=%d/%d/%d/%d", NR, at(0.1), at(0.5), at(0.9), at(0.99) }'
}

work="$(mktemp -d)"
runs=0
generator=""
trap '[[ -n "$generator" ]] && kill "$generator" 2>/dev/null; [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; true' EXIT
TRACE="${TRACE:-0}"
WARM="${WARM:-3}"
if [[ "$TRACE" == 1 ]] && ! command -v perf >/dev/null; then
  echo "TRACE=1 needs perf (Debian: linux-perf)" >&2
  exit 2
fi

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $RECEIVERS receivers, $SENDERS senders, $RATE msg/s in all, load average $(cut -d' ' -f1-3 /proc/loadavg)"
# Each line is labelled with the argument's position and path: two builds are often both
# called chat-server.jar.
for round in $(seq 1 "$ROUNDS"); do
  n=0
  for server in "$@"; do
    n=$((n + 1))
    options_var="JAVA_OPTS_$n"
    args_var="SERVER_ARGS_$n"
    one_run "#$n $server ${!options_var:-}${!args_var:+ [${!args_var}]}" "$server" "${!options_var:-}" "${!args_var:-}"
  done
  if [[ "$REDIS" == 1 ]]; then one_run redis redis; fi
done
