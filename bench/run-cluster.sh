#!/usr/bin/env bash
# The cluster (--cluster redis://...) against one node, in one run on this machine: the same
# workloads on a single server and on NODES servers sharing one chat through one redis-server,
# with the receivers spread over the nodes round-robin and the senders on the first node.
#
#   bench/run-cluster.sh            # everything, about 8 minutes on 2 cores
#   QUICK=1 bench/run-cluster.sh    # shorter windows, fewer idle connections: a smoke test
#
# Workloads, each on one node (no --cluster) and on the cluster:
# - latency: LAT_RECEIVERS receivers x LAT_RATE msg/s from SENDERS senders (100 x 1,000: 100,000
#   deliveries/s, the latency shape of run-fanout.sh), LATENCY_ROUNDS alternating rounds; p50/p99
#   for all receivers and for those on each node (node 1 holds the senders: its receivers are
#   local, the others' messages cross Redis), and Redis's CPU per message.
# - throughput: MAX_RECEIVERS_PER_NODE receivers per node (1,000: 1,000 on one node, 3,000 on
#   three), SENDERS senders as fast as they are taken (WINDOW messages in flight); and the
#   cluster once more with MAX_RECEIVERS_PER_NODE receivers in all (the single node's fan-out,
#   split over the nodes: the cost of the cluster alone, without more deliveries).
# - idle: IDLE_PER_NODE connections per node (on one node: IDLE_PER_NODE), in one room
#   (IDLE_ROOM_SIZE=0) or rooms of IDLE_ROOM_SIZE, from IDLE_PROCS generator processes at once
#   (0: one per IDLE_PER_PROC connections; this sandbox allows 20,000 open files per process),
#   each spreading its connections over the nodes. Time until every process's connections are in
#   and reached by a broadcast; how many connections of all processes each process's broadcast
#   reached (each_broadcast_reached: one equal to the connections means one broadcast reached
#   everyone); each node's RSS and live heap after a full collection, empty and with everyone in,
#   and Redis's RSS and used_memory with everyone in (read by this script: the processes enter
#   together).
#
# CPU: every server process (the single node, the cluster's nodes, Redis) is pinned to
# SERVER_CPU and the generator to GEN_CPU with taskset, as in run-fanout.sh: the cluster gets the
# same one core as the single node. Set NODE_CPUS (one core list per node, e.g. "0 1 1") and
# REDIS_CPU to place them otherwise. CPU % of each process comes from /proc/PID/stat over the
# generator's measuring window (RESULT field server_cpu_pcts: node 1..N, then Redis).
#
# Knobs (environment): NODES (3), DURATION, WARMUP, LATENCY_ROUNDS, LAT_RECEIVERS, LAT_RATE,
# SENDERS, MAX_RECEIVERS_PER_NODE, WINDOW, IDLE_PER_NODE (0 skips the idle runs), IDLE_ROOM_SIZE,
# IDLE_PROCS, IDLE_PER_PROC, SERVER_CPU, GEN_CPU, NODE_CPUS, REDIS_CPU, NODE_TIMEOUT (seconds,
# the nodes' --node-timeout), CLUSTER_WARMUP (see below), ONLY=idle|fanout, SERVER_JAVA_OPTS (as
# in run-fanout.sh), GEN_JAVA_OPTS.
#
# Everything runs on 127.0.0.1 only. Whatever this script starts, it stops on exit (trap). Logs
# and raw RESULT lines go to bench/target/cluster-runs/<time>/.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
server_jar="$root/server/target/chat-server.jar"
bench_jar="$root/bench/target/chat-bench.jar"

QUICK="${QUICK:-0}"
if [[ "$QUICK" == 1 ]]; then
  DURATION="${DURATION:-3}"; WARMUP="${WARMUP:-1}"; IDLE_PER_NODE="${IDLE_PER_NODE:-500}"
else
  DURATION="${DURATION:-10}"; WARMUP="${WARMUP:-2}"; IDLE_PER_NODE="${IDLE_PER_NODE:-4000}"
fi
# The nodes replay every join of the others (and announce it to their own members) from the Redis
# channel after the generator saw its own receivers in: 3,000 joins took them seconds to work
# through on one shared core, and a 1 s warm-up measured that backlog (nodes 2 and 3 delivered
# nothing inside the window). The cluster runs warm up this long instead of WARMUP.
CLUSTER_WARMUP="${CLUSTER_WARMUP:-$((WARMUP + 4))}"
LATENCY_ROUNDS="${LATENCY_ROUNDS:-$([[ "$QUICK" == 1 ]] && echo 1 || echo 3)}"
NODES="${NODES:-3}"
LAT_RECEIVERS="${LAT_RECEIVERS:-100}"
LAT_RATE="${LAT_RATE:-1000}"
SENDERS="${SENDERS:-10}"
MAX_RECEIVERS_PER_NODE="${MAX_RECEIVERS_PER_NODE:-1000}"
WINDOW="${WINDOW:-1000}"
IDLE_ROOM_SIZE="${IDLE_ROOM_SIZE:-0}"
IDLE_PROCS="${IDLE_PROCS:-0}"
IDLE_PER_PROC="${IDLE_PER_PROC:-16000}"
SERVER_CPU="${SERVER_CPU:-0}"
GEN_CPU="${GEN_CPU:-1}"
REDIS_CPU="${REDIS_CPU:-$SERVER_CPU}"
NODE_TIMEOUT="${NODE_TIMEOUT:-10}"
read -r -a node_cpus <<<"${NODE_CPUS:-}"
source "$here/server-jvm-opts.sh"
GEN_JAVA_OPTS="${GEN_JAVA_OPTS:--Xms512m -Xmx2g}"

log() { printf '%s\n' "$*" >&2; }

# ---- what we start, we stop ----
started=()
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
command -v redis-server >/dev/null || { log "needs redis-server (Debian package redis-server)"; exit 2; }
command -v redis-cli >/dev/null || { log "needs redis-cli (Debian package redis-tools)"; exit 2; }
ulimit -n "$(ulimit -Hn)"
log "open files limit: $(ulimit -n)"

free_port() {
  local port
  while :; do
    # Below the ephemeral range (32768-60999 here), as in run-fanout.sh.
    port=$((20000 + RANDOM % 12000))
    if ! ss -Htln "sport = :$port" | grep -q .; then
      echo "$port"
      return
    fi
  done
}

wait_listening() { # port pid
  local i
  for i in $(seq 1 150); do
    if ss -Htln "sport = :$1" | grep -q .; then return 0; fi
    kill -0 "$2" 2>/dev/null || { log "process $2 died; see its log in $run_dir"; return 1; }
    sleep 0.1
  done
  log "nothing listens on port $1 after 15 s"
  return 1
}

# The limits-off flags of the fan-out runs (run-fanout.sh), where this build has them.
limit_flags=()
help_text="$(java -jar "$server_jar" --help 2>&1 || true)"
has_option() { grep -q -- "$1" <<<"$help_text"; }
has_option --cluster || { log "this server build has no --cluster"; exit 2; }
for pair in "--flood-rate 0" "--max-per-ip 0" "--max-clients 100000" "--idle-timeout 0" \
    "--max-pending 0" "--soft-pending 0" "--backlog 1024"; do
  # shellcheck disable=SC2206
  has_option "${pair%% *}" && limit_flags+=($pair)
done

run_dir="$root/bench/target/cluster-runs/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run_dir"

start_redis() { # name -> sets port, pid
  port="$(free_port)"
  taskset -c "$REDIS_CPU" redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
      --daemonize no --protected-mode yes --loglevel warning --maxclients 1000 \
      >"$run_dir/$1.log" 2>&1 &
  pid=$!
  started+=("$pid")
  wait_listening "$port" "$pid"
}

start_node() { # name cpu [redis-port node-name] [extra JVM flags] -> sets port, pid
  local cluster=()
  if [[ -n "${3:-}" ]]; then
    cluster=(--cluster "redis://127.0.0.1:$3" --node-name "$4" --node-timeout "$NODE_TIMEOUT")
  fi
  port="$(free_port)"
  # shellcheck disable=SC2086
  taskset -c "$2" java $SERVER_JAVA_OPTS ${5:-} -jar "$server_jar" --bind 127.0.0.1 --port "$port" \
      --log-level WARN "${limit_flags[@]}" --data-dir "$data_root/$1" "${cluster[@]}" >"$run_dir/$1.log" 2>&1 &
  pid=$!
  started+=("$pid")
  wait_listening "$port" "$pid"
}

stop() { # pid...
  local p
  for p in "$@"; do kill "$p" 2>/dev/null || true; done
  for p in "$@"; do wait "$p" 2>/dev/null || true; done
}

# Starts Redis and NODES nodes on it; sets cluster_ports (comma-separated), cluster_pids (node 1..N
# then Redis, comma-separated), redis_port, redis_pid, node_pids (array). Waits until every node
# has subscribed to the cluster's channel.
start_cluster() { # name-prefix
  local n cpu ports=() pids=()
  start_redis "$1-redis"; redis_port="$port"; redis_pid="$pid"
  node_pids=()
  for n in $(seq 1 "$NODES"); do
    cpu="${node_cpus[$((n - 1))]:-$SERVER_CPU}"
    start_node "$1-node$n" "$cpu" "$redis_port" "chat-$n"
    ports+=("$port"); pids+=("$pid"); node_pids+=("$pid")
  done
  cluster_ports="$(IFS=,; echo "${ports[*]}")"
  cluster_pids="$(IFS=,; echo "${pids[*]},$redis_pid")"
  local i subscribed=0
  for i in $(seq 1 150); do
    subscribed="$(redis-cli -p "$redis_port" PUBSUB NUMSUB chat:events | sed -n 2p)"
    [[ "$subscribed" -ge "$NODES" ]] && break
    sleep 0.1
  done
  log "$1: $NODES nodes on ports $cluster_ports, Redis on $redis_port; $subscribed subscribed to chat:events"
  [[ "$subscribed" -ge "$NODES" ]] || { log "the nodes did not all link to Redis; see $run_dir/$1-node*.log"; return 1; }
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime, 1/100 s
publish_calls() { # redis-port
  redis-cli -p "$1" INFO commandstats | tr -d '\r' | sed -n 's/^cmdstat_publish:calls=\([0-9]*\).*/\1/p' | grep . || echo 0
}

# Runs the generator; output to the terminal and the run log, its RESULT line to results.txt.
# With REDIS_PID set: Redis's CPU time and PUBLISH count over the whole generator run as well.
bench() { # name args...
  local name="$1"; shift
  local t0 p0
  log ""
  log "== $name: chat-bench $*"
  if [[ -n "${REDIS_PID:-}" ]]; then t0="$(cpu_ticks "$REDIS_PID")"; p0="$(publish_calls "$REDIS_PORT")"; fi
  # shellcheck disable=SC2086
  taskset -c "$GEN_CPU" java $GEN_JAVA_OPTS -jar "$bench_jar" "$@" --label "$name" 2>&1 | tee "$run_dir/$name.out" >&2 || true
  local extra=""
  if [[ -n "${REDIS_PID:-}" ]]; then
    local t1 p1
    t1="$(cpu_ticks "$REDIS_PID")"; p1="$(publish_calls "$REDIS_PORT")"
    extra=" redis_run_cpu_ms=$(( (t1 - t0) * 10 )) redis_run_publishes=$(( p1 - p0 ))"
    echo "Redis over the whole run (setup included): $(( (t1 - t0) * 10 )) ms CPU, $(( p1 - p0 )) PUBLISH calls" \
        | tee -a "$run_dir/$name.out" >&2
  fi
  { grep '^RESULT' "$run_dir/$name.out" || log "($name produced no RESULT line)"; } | sed "s/\$/$extra/" >>"$run_dir/results.txt"
}

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "commit: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- server bench/src || echo ' (with local changes)')"
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "java: $(java -version 2>&1 | head -1); $(redis-server --version | cut -d' ' -f1-3)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "nodes: $NODES; server processes on cores: single $SERVER_CPU, nodes ${NODE_CPUS:-all $SERVER_CPU}, Redis $REDIS_CPU; generator $GEN_CPU"
  echo "server flags: ${limit_flags[*]} ${SERVER_JAVA_OPTS}"
} | tee "$run_dir/machine.txt" >&2

common=(--protocol native --duration "$DURATION") # the warm-up is added per setup

ONLY="${ONLY:-}"
# ---- fan-out and latency: a single node and the cluster up together, only one loaded at a time ----
if [[ "$ONLY" != idle ]]; then
start_node single "$SERVER_CPU"; single_port="$port"; single_pid="$pid"
start_cluster cluster
lat=(fanout --receivers "$LAT_RECEIVERS" --senders "$SENDERS" --rate "$LAT_RATE" "${common[@]}")
on_single() { REDIS_PID="" bench "single-$1" "${@:2}" --warmup "$WARMUP" --port "$single_port" --server-pid "$single_pid"; }
on_cluster() { # name args... (a longer warm-up: see CLUSTER_WARMUP)
  REDIS_PID="$redis_pid" REDIS_PORT="$redis_port" bench "cluster-$1" "${@:2}" --warmup "$CLUSTER_WARMUP" \
      --port "$cluster_ports" --server-pid "$cluster_pids"
}

# The as-fast-as-possible runs first: they also warm every JVM up before the latency rounds.
max=(fanout --senders "$SENDERS" --rate 0 --window "$WINDOW" "${common[@]}")
on_single max "${max[@]}" --receivers "$MAX_RECEIVERS_PER_NODE"
on_cluster max "${max[@]}" --receivers $((MAX_RECEIVERS_PER_NODE * NODES))
on_cluster max-split "${max[@]}" --receivers "$MAX_RECEIVERS_PER_NODE"
for round in $(seq 1 "$LATENCY_ROUNDS"); do
  on_single "lat-$round" "${lat[@]}"
  on_cluster "lat-$round" "${lat[@]}"
done
stop "$single_pid" "${node_pids[@]}"
stop "$redis_pid" # after the nodes: a node that loses Redis while stopping says so in its log
fi

# ---- idle: fresh servers, IDLE_PER_NODE connections per node, every generator process at once ----
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# Live heap bytes after a full collection (the class histogram collects first), then a collection
# and a trim of the C heap, then RSS after a second's rest: what ProcessProbe does for one server.
memory_of() { # pid -> "rss_kib live_bytes"
  local live
  live="$(jcmd "$1" GC.class_histogram 2>/dev/null | awk '/^Total/ { print $3 }')"
  jcmd "$1" GC.run >/dev/null 2>&1 || true
  jcmd "$1" System.trim_native_heap >/dev/null 2>&1 || true
  sleep 1
  echo "$(rss_kib "$1") ${live:--1}"
}
idle_run() { # name ports pids(node pids, space-separated) connections [redis-pid redis-port]
  local name="$1" ports="$2" connections="$4" procs room_size k n p before=() after=() gens=()
  read -r -a pids <<<"$3"
  procs="$IDLE_PROCS"
  [[ "$procs" -gt 0 ]] || procs=$(( (connections + IDLE_PER_PROC - 1) / IDLE_PER_PROC ))
  room_size="$IDLE_ROOM_SIZE"
  [[ "$room_size" -gt 0 ]] || room_size="$connections"
  for p in "${pids[@]}"; do before+=("$(memory_of "$p")"); done
  log ""
  log "== $name: $connections connections over port(s) $ports from $procs process(es), rooms of $room_size"
  local t0 hold
  t0="$(date +%s.%N)"
  # Each process holds its connections long enough for every other to finish and for this
  # script to measure; a process's announcer reaches all of its room on every node.
  hold=$(( 30 + connections / 1000 ))
  for k in $(seq 1 "$procs"); do
    n=$(( connections * k / procs - connections * (k - 1) / procs ))
    # shellcheck disable=SC2086
    taskset -c "$GEN_CPU" java $GEN_JAVA_OPTS -jar "$bench_jar" idle --protocol native --port "$ports" \
        --connections "$n" --room-size "$room_size" --source-ips 4 --settle 0 --hold "$hold" --label "$name-$k" \
        >"$run_dir/$name-$k.out" 2>&1 &
    gens+=("$!"); started+=("$!")
  done
  # Everyone is in when every process has seen its broadcast arrive.
  local deadline=$(( $(date +%s) + 600 ))
  while :; do
    local done=0
    for k in $(seq 1 "$procs"); do grep -q '^broadcast: all' "$run_dir/$name-$k.out" && done=$((done + 1)); done
    [[ "$done" -eq "$procs" ]] && break
    for k in $(seq 1 "$procs"); do
      kill -0 "${gens[$((k - 1))]}" 2>/dev/null || grep -q '^broadcast: all' "$run_dir/$name-$k.out" \
          || { log "$name-$k ended early; see $run_dir/$name-$k.out"; break 2; }
    done
    [[ "$(date +%s)" -lt "$deadline" ]] || { log "$name: not everyone in after 600 s"; break; }
    sleep 0.2
  done
  local took
  took="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
  for p in "${pids[@]}"; do after+=("$(memory_of "$p")"); done
  # Redis with everyone in: read before the generators stop, for once they go, the nodes publish
  # every departure and Redis drops their nicks while it is being read.
  idle_redis=""
  if [[ -n "${5:-}" ]]; then
    idle_redis="rss_kib=$(rss_kib "$5") used_memory=$(redis-cli -p "$6" INFO memory | tr -d '\r' | sed -n 's/^used_memory://p')"
  fi
  # Each process says, every second while holding if it changed, how many of its connections
  # each announcer's broadcast reached (by its sending time); its last line counts.
  for k in $(seq 1 "$procs"); do
    for _ in $(seq 1 50); do
      grep -q '^broadcasts seen:' "$run_dir/$name-$k.out" && break
      kill -0 "${gens[$((k - 1))]}" 2>/dev/null || break
      sleep 0.2
    done
  done
  stop "${gens[@]}"
  local line="RESULT mode=cluster-idle label=$name connections=$connections nodes=${#pids[@]} procs=$procs room_size=$room_size"
  # From each process's progress lines: it is stopped while holding, before its RESULT line.
  line+=" all_in_s=$took setup_s=$(cat "$run_dir/$name"-*.out | sed -n 's/^setup: .* after \([0-9.]*\) s$/\1/p' | paste -sd,)"
  line+=" reached=$(cat "$run_dir/$name"-*.out | sed -n 's/^broadcast: all \([0-9]*\) reached.*/\1/p' | paste -sd,)"
  # Connections of all the processes reached by each broadcast, in sending order: one equal to
  # $connections means a single broadcast reached everyone, not only each connection some broadcast.
  line+=" each_broadcast_reached=$(for f in "$run_dir/$name"-*.out; do sed -n 's/^broadcasts seen: //p' "$f" | tail -1; done | tr ',' '\n' \
      | awk -F= 'NF == 2 { n[$1] += $2 } END { for (t in n) print t, n[t] }' | LC_ALL=C sort | awk '{ print $2 }' | paste -sd, | grep . || echo -)"
  local i rss_before=() rss_after=() live_before=() live_after=()
  for i in "${!pids[@]}"; do
    read -r rb lb <<<"${before[$i]}"; read -r ra la <<<"${after[$i]}"
    rss_before+=("$rb"); rss_after+=("$ra"); live_before+=("$lb"); live_after+=("$la")
  done
  line+=" rss_before_kib=$(IFS=,; echo "${rss_before[*]}") rss_after_kib=$(IFS=,; echo "${rss_after[*]}")"
  line+=" live_before=$(IFS=,; echo "${live_before[*]}") live_after=$(IFS=,; echo "${live_after[*]}")"
  echo "$line" | tee -a "$run_dir/$name.out" >&2
  echo "$line" >>"$run_dir/results.txt"
}
if [[ "$IDLE_PER_NODE" -gt 0 && "$ONLY" != fanout ]]; then
  start_node idle-single "$SERVER_CPU"
  idle_run idle-single "$port" "$pid" "$IDLE_PER_NODE"
  stop "$pid"
  start_cluster idle-cluster
  idle_run idle-cluster "$cluster_ports" "${node_pids[*]}" $((IDLE_PER_NODE * NODES)) "$redis_pid" "$redis_port"
  echo "RESULT mode=cluster-idle-redis label=idle-cluster-redis $idle_redis" >>"$run_dir/results.txt"
  stop "${node_pids[@]}"
  stop "$redis_pid"
fi

# ---- summary ----
field() { # label key
  { grep -h "label=$1 " "$run_dir/results.txt" 2>/dev/null || true; } | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1
}
values() { # label-prefix key: every round's value, in order
  { grep -hE "label=$1-[0-9]+ " "$run_dir/results.txt" 2>/dev/null || true; } | tr ' ' '\n' | sed -n "s/^$2=//p" | paste -sd' '
}
median() { tr ' ' '\n' | { grep . || true; } | sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
# The i-th (1-based) of a comma-separated field, over the rounds.
nth_values() { # label-prefix key i
  { grep -hE "label=$1-[0-9]+ " "$run_dir/results.txt" 2>/dev/null || true; } | tr ' ' '\n' | sed -n "s/^$2=//p" | cut -d, -f"$3" | paste -sd' '
}
# Redis microseconds of CPU per message sent in the window: its CPU % / messages per second.
redis_us_per_msg() { # label
  local pcts rate
  pcts="$(field "$1" server_cpu_pcts)"; rate="$(field "$1" sent_per_s)"
  awk -v p="${pcts##*,}" -v r="$rate" 'BEGIN { if (r > 0 && p >= 0) printf "%.1f", p / 100 / r * 1e6; else print "-" }'
}
redis_run_us_per_publish() { # label
  awk -v c="$(field "$1" redis_run_cpu_ms)" -v n="$(field "$1" redis_run_publishes)" \
      'BEGIN { if (n > 0) printf "%.1f", c * 1000 / n; else print "-" }'
}
{
  echo ""
  echo "== summary ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $NODES nodes; raw lines in $run_dir/results.txt)"
  if [[ "$ONLY" != idle ]]; then
  echo "latency, $LAT_RECEIVERS receivers x $LAT_RATE msg/s ($SENDERS senders on node 1), $LATENCY_ROUNDS alternating rounds:"
  echo "  single: p50 us per round $(values single-lat lat_p50_us) (median $(values single-lat lat_p50_us | median));" \
      "p99 $(values single-lat lat_p99_us) (median $(values single-lat lat_p99_us | median)); lost $(values single-lat lost)"
  echo "  cluster: p50 us per round $(values cluster-lat lat_p50_us) (median $(values cluster-lat lat_p50_us | median));" \
      "p99 $(values cluster-lat lat_p99_us) (median $(values cluster-lat lat_p99_us | median)); lost $(values cluster-lat lost)"
  for n in $(seq 1 "$NODES"); do
    echo "    receivers on node $n: p50 $(nth_values cluster-lat by_server_lat_p50_us "$n") (median $(nth_values cluster-lat by_server_lat_p50_us "$n" | median))," \
        "p99 $(nth_values cluster-lat by_server_lat_p99_us "$n") (median $(nth_values cluster-lat by_server_lat_p99_us "$n" | median))"
  done
  echo "  CPU % per round: single server $(values single-lat server_cpu_pct), generator $(values single-lat gen_cpu_pct);" \
      "cluster nodes+Redis $(values cluster-lat server_cpu_pcts), generator $(values cluster-lat gen_cpu_pct)"
  for round in $(seq 1 "$LATENCY_ROUNDS"); do
    echo "  round $round: Redis CPU per message sent, window: $(redis_us_per_msg "cluster-lat-$round") us;" \
        "whole run per PUBLISH (setup included): $(redis_run_us_per_publish "cluster-lat-$round") us;" \
        "noise % single $(field "single-lat-$round" other_cpu_pct), cluster $(field "cluster-lat-$round" other_cpu_pct)"
  done
  echo "throughput, $SENDERS senders as fast as possible (window $WINDOW):"
  for label in single-max cluster-max cluster-max-split; do
    echo "  $label: $(field $label receivers) receivers, $(field $label deliveries_per_s) deliveries/s" \
        "(per node $(field $label by_server_deliveries_per_s)), $(field $label sent_per_s) msg/s, lost $(field $label lost);" \
        "CPU % servers $(field $label server_cpu_pcts), generator $(field $label gen_cpu_pct), noise $(field $label other_cpu_pct)"
  done
  echo "  Redis CPU per message sent, window: cluster-max $(redis_us_per_msg cluster-max) us, cluster-max-split $(redis_us_per_msg cluster-max-split) us"
  fi
  if [[ "$IDLE_PER_NODE" -gt 0 && "$ONLY" != fanout ]]; then
    for label in idle-single idle-cluster; do
      echo "  $label: $(field $label connections) connections from $(field $label procs) process(es), all in and reached in" \
          "$(field $label all_in_s) s (each process's setup s: $(field $label setup_s); reached $(field $label reached);" \
          "each broadcast reached $(field $label each_broadcast_reached));" \
          "RSS KiB per node $(field $label rss_before_kib) -> $(field $label rss_after_kib); live heap bytes" \
          "$(field $label live_before) -> $(field $label live_after)"
    done
    echo "  Redis with everyone in: RSS $(field idle-cluster-redis rss_kib) KiB, used_memory $(field idle-cluster-redis used_memory) bytes"
  fi
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$run_dir/summary.txt"
