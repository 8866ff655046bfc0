#!/usr/bin/env bash
# A/B latency of server builds (and Redis) at a fixed rate, in alternating runs, so that two
# builds can be compared on a machine whose speed drifts from minute to minute.
#
#   bench/ab-latency.sh old.jar new.jar          # each jar, then Redis, ROUNDS times
#   RECEIVERS=100 RATE=1000 bench/ab-latency.sh server/target/chat-server.jar
#
# Knobs (environment): ROUNDS (default 3), RECEIVERS (1000), SENDERS (10), RATE (messages/s from
# all senders together, 100), WARMUP (4 s), DURATION (10 s), REDIS=0 to leave Redis out, SERVER_CPU, GEN_CPU.
# Prints one line per run: which server, p50, p99, p99.9, server CPU %, noise %. Loopback only;
# every server it starts is stopped before the next run.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
bench_jar="$here/target/chat-bench.jar"
ROUNDS="${ROUNDS:-3}"; RECEIVERS="${RECEIVERS:-1000}"; SENDERS="${SENDERS:-10}"; RATE="${RATE:-100}"
WARMUP="${WARMUP:-4}"; DURATION="${DURATION:-10}"; REDIS="${REDIS:-1}"
SERVER_CPU="${SERVER_CPU:-0}"; GEN_CPU="${GEN_CPU:-1}"
[[ $# -ge 1 ]] || { echo "usage: $0 server.jar [server.jar...]" >&2; exit 2; }
[[ -f "$bench_jar" ]] || { echo "no $bench_jar: run mvn -B -DskipTests package first" >&2; exit 2; }

pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; true' EXIT

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}

wait_listening() { # port
  local i
  for i in $(seq 1 100); do
    ss -Htln "sport = :$1" | grep -q . && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2
  return 1
}

one_run() { # server (a jar or "redis")
  local server="$1" port protocol
  port="$(free_port)"
  if [[ "$server" == redis ]]; then
    taskset -c "$SERVER_CPU" redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
        --daemonize no --loglevel warning --maxclients 100000 >/dev/null 2>&1 &
    protocol=resp
  else
    taskset -c "$SERVER_CPU" java -jar "$server" --bind 127.0.0.1 --port "$port" --log-level WARN \
        --flood-rate 0 --max-per-ip 0 --max-clients 100000 --idle-timeout 0 --max-pending 0 \
        --soft-pending 0 --backlog 1024 >/dev/null 2>&1 &
    protocol=native
  fi
  pid=$!
  wait_listening "$port"
  taskset -c "$GEN_CPU" java -Xms512m -Xmx2g -jar "$bench_jar" fanout --protocol "$protocol" \
      --port "$port" --server-pid "$pid" --receivers "$RECEIVERS" --senders "$SENDERS" --rate "$RATE" \
      --warmup "$WARMUP" --duration "$DURATION" 2>&1 \
    | grep '^RESULT' | tr ' ' '\n' \
    | grep -E '^(lat_p50_us|lat_p99_us|lat_p999_us|server_cpu_pct|other_cpu_pct|lost)=' | paste -sd' ' \
    | sed "s|^|$(basename "$server") |"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $RECEIVERS receivers, $SENDERS senders, $RATE msg/s in all, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  for server in "$@"; do one_run "$server"; done
  if [[ "$REDIS" == 1 ]]; then one_run redis; fi
done
