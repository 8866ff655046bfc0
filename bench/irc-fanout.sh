#!/usr/bin/env bash
# Our server's IRC dialect against ngircd and InspIRCd (Debian's packages), on the same fan-out
# and latency workloads, in one run on this machine, and a summary table per server.
#
#   bench/irc-fanout.sh                  # all three servers, about 3 minutes on 2 cores
#   ONLY=ngircd DURATION=3 bench/irc-fanout.sh
#
# Workloads, each with chat-bench fanout --protocol irc, one channel (#lobby), 64-byte messages:
#   max    1,000 receivers, 10 senders, as fast as the server takes them (--rate 0, WINDOW in flight)
#   r100   100 receivers x 1,000 msg/s  = 100k deliveries/s (--receivers 100 --rate 1000)
#   r1000  1,000 receivers x 100 msg/s  = 100k deliveries/s (--receivers 1000 --rate 100)
# Every client registers (NICK r12, USER), joins after 001, and senders are members (+n).
#
# Knobs (environment): DURATION, WARMUP (seconds per run; default 10 and 2), WINDOW (in-flight
# messages, max run; default 1000), SERVER_CPU, GEN_CPU (cores to pin to; default 0 and 1),
# SERVER_JAVA_OPTS (our server's JVM flags, as in run-fanout.sh; none: no flags), GEN_JAVA_OPTS,
# ONLY=ours|ngircd|inspircd.
#
# The peers' limits, raised so that neither throttles nor refuses the generator (all its clients
# come from 127.0.0.1):
# - ngircd 26: MaxConnectionsIP = 0 and MaxConnections = 0 (no limit per address or in all),
#   MaxPenaltyTime = 0 (no penalty delays, which otherwise hold a client's next command back by a
#   second or more after a burst), DNS and Ident lookups off, PingTimeout = PongTimeout = 3600.
#   Its write buffer per client is fixed at build time; a client that falls too far behind is
#   disconnected, which the run reports as lost connections.
# - InspIRCd 3: a <connect> class with localmax and globalmax of 100000 (clients per address),
#   limit="100000" (clients in the class), threshold and commandrate of 10^9 and fakelag="no"
#   (no flood penalty, no fake lag), recvq of 1 MiB, softsendq and hardsendq of 16 MiB (no
#   "SendQ exceeded" under a burst), pingfreq 3600, resolvehostnames="no"; no modules.
# - Ours: --flood-rate 0 --max-per-ip 0 --max-clients 100000 --max-pending 0 --soft-pending 0
#   --idle-timeout 0 --ping-interval 0. The clients connect to its main port, where detection
#   tells IRC from native text, as users' clients do; OURS_PORT=irc uses --irc-port instead.
#   (Before detection looked in the socket when its window closed, hundreds of 1,000 clients
#   connecting at once were taken for native ones there; docs/benchmarks.md.)
# The configurations are this script's own, shaped like irctest.sh's (which keeps its peers'
# limits as irctest wants them).
#
# Everything runs on 127.0.0.1, as root: the peers run as Debian's irc user (InspIRCd refuses
# root). Each server is pinned to SERVER_CPU, the generator to GEN_CPU; the servers take turns.
# Each generator run is bounded by timeout(1); whatever this script starts is stopped on exit.
# Logs, configurations and RESULT lines go to bench/target/irc-runs/<time>/.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
server_jar="$root/server/target/chat-server.jar"
bench_jar="$root/bench/target/chat-bench.jar"

DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-2}"
WINDOW="${WINDOW:-1000}"
SERVER_CPU="${SERVER_CPU:-0}"
GEN_CPU="${GEN_CPU:-1}"
source "$here/server-jvm-opts.sh"
GEN_JAVA_OPTS="${GEN_JAVA_OPTS:--Xms512m -Xmx2g}"
ONLY="${ONLY:-}"
SETUP_TIMEOUT=60
# Setup, warm-up, measuring, drain (at most 15 s) and the JVM's start, with room to spare.
RUN_TIMEOUT=$((SETUP_TIMEOUT + ${WARMUP%.*} + ${DURATION%.*} + 15 + 30))

log() { printf '%s\n' "$*" >&2; }

for tool in ngircd inspircd taskset ss runuser; do
  command -v "$tool" >/dev/null || { log "$tool is missing (apt-get install ngircd inspircd)"; exit 2; }
done
if [[ ! -f "$server_jar" || ! -f "$bench_jar" ]]; then
  log "building (jars missing)..."
  (cd "$root" && mvn -B -q -o -DskipTests package)
fi
ulimit -n "$(ulimit -Hn)"

run_dir="$root/bench/target/irc-runs/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run_dir"
chmod 755 "$run_dir"

# ---- what we start, we stop: each server is the leader of its own process group ----
group=""
stop_server() {
  [[ -n "$group" ]] || return 0
  kill -TERM -- "-$group" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- "-$group" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$group" 2>/dev/null || true
  wait "$group" 2>/dev/null || true
  group=""
}
# Our server keeps history under --data-dir: a temporary one per start, not ./chat-data.
data_root="$(mktemp -d)"
trap 'stop_server; rm -rf "$data_root"' EXIT
trap 'exit 130' INT TERM

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000)) # below the ephemeral range the clients' ports come from
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}

# Waits for the listener, then sets pid to the process that owns it (for ngircd and InspIRCd a
# child of runuser, not $!).
wait_listening() { # port
  local i
  for i in $(seq 1 150); do
    pid="$(ss -Htlnp "sport = :$1" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)"
    [[ -n "$pid" ]] && return 0
    kill -0 "$group" 2>/dev/null || { log "the server exited; see $run_dir"; return 1; }
    sleep 0.1
  done
  log "nothing listens on port $1 after 15 s"
  return 1
}

write_ngircd_conf() { # dir port
  cat >"$1/ngircd.conf" <<EOF
# chat-bench's ngircd: loopback only, no limits per address, no penalties, no lookups.
[Global]
    Name = bench.local
    Info = chat-bench peer
    Listen = 127.0.0.1
    Ports = $2
    AdminInfo1 = chat-bench
    AdminInfo2 = loopback
    AdminEMail = bench@example.org
    MotdPhrase = bench
[Limits]
    MaxConnections = 0
    MaxConnectionsIP = 0
    MaxPenaltyTime = 0
    PingTimeout = 3600
    PongTimeout = 3600
[Options]
    DNS = no
    Ident = no
    PAM = no
EOF
}

write_inspircd_conf() { # dir port
  cat >"$1/inspircd.conf" <<EOF
# chat-bench's InspIRCd: loopback only, no limits per address, no flood penalty nor fake lag.
<server name="bench.local" description="chat-bench peer" id="000" network="benchnet">
<admin name="chat-bench" nick="bench" email="bench@example.org">
<path datadir="$1" logdir="$1" runtimedir="$1">
<bind address="127.0.0.1" port="$2" type="clients">
<connect allow="*" resolvehostnames="no" timeout="60" pingfreq="3600" limit="100000"
    localmax="100000" globalmax="100000" threshold="1000000000" commandrate="1000000000" fakelag="no"
    recvq="1048576" softsendq="16777216" hardsendq="16777216">
<log method="file" type="*" level="default" target="$1/inspircd.log">
EOF
}

# A fresh data directory for our server's history, for a build that has it.
data_dir_flags() {
  rm -rf "$data_root/ours"
  if java -jar "$server_jar" --help 2>&1 | grep -q -- --data-dir; then echo "--data-dir $data_root/ours"; fi
}

# Sets port, pid (the server process), group (to stop it) and version.
start_server() { # name
  port="$(free_port)"
  local dir="$run_dir/$1"
  mkdir -m 755 "$dir"
  case "$1" in
    ours)
      local port_flags=(--port "$port")
      if [[ "${OURS_PORT:-main}" == irc ]]; then
        port_flags=(--port "$(free_port)" --irc-port "$port")
      fi
      # shellcheck disable=SC2086
      setsid taskset -c "$SERVER_CPU" java $SERVER_JAVA_OPTS -jar "$server_jar" --bind 127.0.0.1 \
          "${port_flags[@]}" \
          --log-level WARN --flood-rate 0 --max-per-ip 0 --max-clients 100000 --max-pending 0 --soft-pending 0 \
          --idle-timeout 0 --ping-interval 0 $(data_dir_flags) >"$dir/server.log" 2>&1 &
      version="chat-server $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')"
      ;;
    ngircd)
      write_ngircd_conf "$dir" "$port"
      runuser -u irc -- ngircd --configtest --config "$dir/ngircd.conf" >"$dir/configtest.log" 2>&1 \
          || { cat "$dir/configtest.log" >&2; return 1; }
      setsid taskset -c "$SERVER_CPU" runuser -u irc -- ngircd --nodaemon --config "$dir/ngircd.conf" \
          >"$dir/server.log" 2>&1 &
      version="$(ngircd --version | head -1 | cut -d- -f1)"
      ;;
    inspircd)
      write_inspircd_conf "$dir" "$port"
      chown irc "$dir"
      setsid taskset -c "$SERVER_CPU" runuser -u irc -- inspircd --nofork --nopid --config "$dir/inspircd.conf" \
          >"$dir/server.log" 2>&1 &
      version="$(inspircd --version | head -1)"
      ;;
  esac
  group=$!
  wait_listening "$port"
  log "== $1 ($version) on 127.0.0.1:$port, pid $pid"
  echo "$1: $version" >>"$run_dir/machine.txt"
}

bench() { # label chat-bench-fanout-args...
  local label="$1"; shift
  log ""
  log "== $label: chat-bench fanout $*"
  # shellcheck disable=SC2086
  timeout -k 5 "$RUN_TIMEOUT" taskset -c "$GEN_CPU" java $GEN_JAVA_OPTS -jar "$bench_jar" fanout --protocol irc \
      --port "$port" --server-pid "$pid" --label "$label" --warmup "$WARMUP" --duration "$DURATION" \
      --setup-timeout "$SETUP_TIMEOUT" "$@" 2>&1 | tee "$run_dir/$label.out" >&2 || true
  grep '^RESULT' "$run_dir/$label.out" >>"$run_dir/results.txt" \
      || log "($label produced no RESULT line: $(grep -m1 -i 'fail\|exception' "$run_dir/$label.out" || echo 'see its log'))"
  # The generator's clients are gone once it exits; give the server a moment to forget their nicks.
  sleep 1
}

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "commit: $(git -C "$root" rev-parse --short HEAD)"
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$run_dir/machine.txt" >&2

servers=(ours ngircd inspircd)
[[ -z "$ONLY" ]] || servers=("$ONLY")
for server in "${servers[@]}"; do
  start_server "$server"
  bench "$server-max" --receivers 1000 --senders 10 --rate 0 --window "$WINDOW"
  bench "$server-r100" --receivers 100 --senders 10 --rate 1000
  bench "$server-r1000" --receivers 1000 --senders 10 --rate 100
  stop_server
done

# ---- summary: one row per server and workload ----
value() { # label key
  { grep -h "label=$1 " "$run_dir/results.txt" 2>/dev/null || true; } | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1
}
{
  echo ""
  echo "== summary ($(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" rev-parse --short HEAD), $(nproc) cores;" \
       "raw lines in $run_dir/results.txt)"
  printf '%-9s %-28s %13s %8s %9s %9s %9s %7s %7s %6s\n' server workload deliveries/s lost \
      p50_us p99_us p99.9_us srv_cpu gen_cpu noise
  for server in "${servers[@]}"; do
    for shape in max r100 r1000; do
      case "$shape" in
        max) title="1000 rcv x 10 snd, max" ;;
        r100) title="100k/s: 100 rcv x 1000/s" ;;
        r1000) title="100k/s: 1000 rcv x 100/s" ;;
      esac
      l="$server-$shape"
      if [[ -z "$(value "$l" deliveries_per_s)" ]]; then
        printf '%-9s %-28s %13s\n' "$server" "$title" "(no result; see $run_dir/$l.out)"
        continue
      fi
      printf '%-9s %-28s %13s %8s %9s %9s %9s %7s %7s %6s\n' "$server" "$title" \
          "$(value "$l" deliveries_per_s)" "$(value "$l" lost)" "$(value "$l" lat_p50_us)" "$(value "$l" lat_p99_us)" \
          "$(value "$l" lat_p999_us)" "$(value "$l" server_cpu_pct)" "$(value "$l" gen_cpu_pct)" \
          "$(value "$l" other_cpu_pct)"
      lost_conn="$(value "$l" connections_lost)"
      [[ "${lost_conn:-0}" == 0 ]] || echo "          ^ $lost_conn connection(s) lost: $(grep -m1 '^connections lost' "$run_dir/$l.out" || true)"
    done
  done
  echo "(srv_cpu, gen_cpu: % of one core; noise: % of a core used by neither, i.e. other processes)"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$run_dir/summary.txt"
