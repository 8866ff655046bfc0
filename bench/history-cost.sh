#!/usr/bin/env bash
# What history costs the event loop per operation: a join that replays a room's last messages
# against a broadcast to a room of 20, as CPU time of the server's loop thread (chat-bench op-cost).
#
#   bench/history-cost.sh                      # 3 alternating rounds, about 4 minutes
#   ROUNDS=5 IN_FLIGHT=4 bench/history-cost.sh server/target/chat-server.jar
#
# Each round runs four shapes, each on a fresh server (pinned to SERVER_CPU, the generator to
# GEN_CPU, limits off as in the other scripts, SERVER_JAVA_OPTS as in run-fanout.sh):
#   join-on        a speaker says KEPT lines in a room, then joiners /join and /part it in a
#                  closed loop; every join replays the room's last 20 messages (the default)
#   join-off       the same with --history-on-join 0: the same cycle without the replay
#   broadcast-on   a room of MEMBERS; one says a line, the others receive it (history on)
#   broadcast-off  the same with --history-size 0 (no history at all), for what keeping a
#                  message costs the loop
# The replay's cost is join-on minus join-off, taken round by round (the two run a minute
# apart, so a slow minute falls on both). Prints one line per run, then per shape the median
# with the lowest and highest round, and the replay against the broadcast.
#
# Knobs (environment): ROUNDS (3), KEPT (20), MEMBERS (20), IN_FLIGHT (1: one operation at a
# time, each met by the loop on its own), WARMUP_OPS (20000), OPS (50000), SERVER_CPU (0),
# GEN_CPU (1), SERVER_JAVA_OPTS. Loopback only; every server gets a temporary data directory,
# removed with it, and is stopped before the next run.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
bench_jar="$here/target/chat-bench.jar"
server_jar="${1:-$root/server/target/chat-server.jar}"
ROUNDS="${ROUNDS:-3}"; KEPT="${KEPT:-20}"; MEMBERS="${MEMBERS:-20}"; IN_FLIGHT="${IN_FLIGHT:-1}"
WARMUP_OPS="${WARMUP_OPS:-20000}"; OPS="${OPS:-50000}"
SERVER_CPU="${SERVER_CPU:-0}"; GEN_CPU="${GEN_CPU:-1}"
source "$here/server-jvm-opts.sh"
[[ -f "$bench_jar" && -f "$server_jar" ]] || { echo "no $bench_jar or $server_jar: run mvn -B -DskipTests package first" >&2; exit 2; }

pid=""
work="$(mktemp -d)"
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; true' EXIT

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
  return 1
}

# name op history-options... ; prints "name loop_us=... server_us=... per_s=... lines=... replayed=... other_cpu_pct=..."
one_run() {
  local name="$1" op="$2" port out
  shift 2
  port="$(free_port)"
  rm -rf "$work/data"
  # shellcheck disable=SC2086
  taskset -c "$SERVER_CPU" java $SERVER_JAVA_OPTS -jar "$server_jar" --bind 127.0.0.1 --port "$port" --log-level WARN \
      --flood-rate 0 --max-per-ip 0 --max-clients 100000 --idle-timeout 0 --max-pending 0 --soft-pending 0 \
      --data-dir "$work/data" "$@" >"$work/server.log" 2>&1 &
  pid=$!
  if ! wait_listening "$port" "$pid"; then
    echo "$name: the server did not start: $(tail -3 "$work/server.log")"
    pid=""
    return
  fi
  out="$(taskset -c "$GEN_CPU" java -jar "$bench_jar" op-cost --port "$port" --server-pid "$pid" --op "$op" \
      --kept "$KEPT" --members "$MEMBERS" --in-flight "$IN_FLIGHT" --warmup-ops "$WARMUP_OPS" --ops "$OPS" \
      --label "$name" 2>&1 || true)"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
  rm -rf "$work/data"
  local result
  result="$(grep '^RESULT' <<<"$out" || true)"
  if [[ -z "$result" ]]; then
    echo "$name: no RESULT line: $(tail -2 <<<"$out" | tr '\n' ' ')"
    return
  fi
  echo "$name $(tr ' ' '\n' <<<"$result" | sed -n 's/^loop_us_each=/loop_us=/p; s/^server_us_each=/server_us=/p;
      s/^per_s=/per_s=/p; s/^lines_each=/lines=/p; s/^replayed_each=/replayed=/p; s/^other_cpu_pct=/other_cpu_pct=/p' \
      | paste -sd' ')"
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg);" \
    "server $(basename "$server_jar") $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?');" \
    "$KEPT kept, $MEMBERS members, $IN_FLIGHT in flight, $OPS operations after $WARMUP_OPS"
lines="$work/lines"
: >"$lines"
for round in $(seq 1 "$ROUNDS"); do
  one_run "join-on" join | tee -a "$lines"
  one_run "join-off" join --history-on-join 0 | tee -a "$lines"
  one_run "broadcast-on" broadcast | tee -a "$lines"
  one_run "broadcast-off" broadcast --history-size 0 | tee -a "$lines"
done

# The values of field $2 in the lines of shape $1, in round order.
values() { awk -v shape="$1" -v key="$2" '$1 == shape { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) print kv[2] } }' "$lines"; }
# median (min-max; each) of the numbers on stdin
spread() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
      printf "%.2f (%.2f-%.2f)", m, v[1], v[NR] }'
}
echo "== loop thread CPU per operation, us: median (lowest-highest) of $ROUNDS rounds"
for shape in join-on join-off broadcast-on broadcast-off; do
  echo "$shape: $(values "$shape" loop_us | spread); whole process $(values "$shape" server_us | spread)"
done
replay="$(paste <(values join-on loop_us) <(values join-off loop_us) | awk 'NF == 2 { print $1 - $2 }')"
broadcast="$(values broadcast-on loop_us)"
echo "replay of $KEPT messages (join-on - join-off, per round): $(paste -sd' ' <<<"$replay"); $(spread <<<"$replay")"
echo "broadcast to $MEMBERS members (history on), per round: $(paste -sd' ' <<<"$broadcast"); $(spread <<<"$broadcast")"
echo "replay / broadcast, per round: $(paste <(echo "$replay") <(echo "$broadcast") \
    | awk 'NF == 2 && $2 > 0 { printf "%s%.2f", sep, $1 / $2; sep = " " }')"
