#!/usr/bin/env bash
# TLS: our server against redis-server --tls-port, on the same workloads, in one run on this
# machine, and a summary table: ours, Redis, ours/Redis.
#
#   bench/tls-bench.sh            # everything, about 11 minutes on 2 cores (ROUNDS=5: 15)
#   QUICK=1 bench/tls-bench.sh    # short windows, few connections, one round: a smoke test
#
# Every client speaks TLS 1.3 (chat-bench --tls: x25519, any certificate; see ClientTls), on
# BoringSSL by default (GEN_TLS_PROVIDER): native lines to our server on its main port, where TLS
# and plaintext share the port; RESP pub/sub to Redis on its TLS-only port (--port 0 --tls-port
# P). Both servers get the same throwaway certificate, made here with openssl for localhost and
# 127.0.0.1 and signed by a throwaway CA.
# Workloads:
#   max        fan-out: 1,000 receivers, 10 senders, as fast as the server takes them (WINDOW in
#              flight): deliveries/s
#   r100       100k deliveries/s as 100 receivers x 1,000 msg/s: latency, p99 the figure
#   handshake  HANDSHAKES new connections after HANDSHAKE_WARMUP, HANDSHAKE_CONCURRENCY in flight,
#              each closed at the server's first answer: handshakes/s, and CPU per handshake
#   idle       IDLE_CONNECTIONS idle TLS clients on a fresh server, in IDLE_STEPS steps: RSS per
#              connection after a GC (and a trim of the C heap) for our JVM, as run-fanout.sh does
# r100, then max, then handshake, each alternating between the servers ROUNDS times (ours, Redis,
# ours, ...); the summary gives medians, as this machine's speed drifts by 20-45 % from minute to
# minute. With RSA_HANDSHAKES=1 (the default) both servers are then restarted with an RSA 2048
# key, for ROUNDS more handshake rounds: which key signs decides what a handshake costs.
# PLAIN_REFERENCE=1 (default) also runs the max workload once in plaintext on our TLS-enabled
# server, for what TLS costs it (Redis has no plaintext port here).
#
# Knobs (environment): QUICK, ROUNDS (default 3), DURATION, WARMUP (seconds per fan-out run;
# default 10 and 2), WINDOW (1000), CONNECT_CONCURRENCY (connects and handshakes in flight while
# a run sets up, default 20: each cost the generator ~3 ms on the JDK's client, and one loop round
# must stay well under our server's 0.3 s detection window), HANDSHAKES (2000), HANDSHAKE_WARMUP
# (1000: with 300, the JDK client's JIT had not finished its x25519 code and it did 270
# handshakes/s, not 425), HANDSHAKE_CONCURRENCY (20), IDLE_CONNECTIONS (10000), IDLE_STEPS (2),
# CERT_KEY (ec: P-256, as certbot makes by default; or rsa), RSA_HANDSHAKES, PLAIN_REFERENCE,
# OURS_PORT (main, or tls for our --tls-port listener, TLS only like Redis's), SERVER_JAR
# (default server/target/chat-server.jar),
# GEN_TLS_PROVIDER (the generator's TLS client, chat-bench --tls-provider: openssl, the default, or
# jdk; the JDK's client cost the generator ~3 ms of CPU per handshake, so with it the handshake
# rate was bounded by the generator rather than by the server measured), OURS_TLS_PROVIDER (our
# server's --tls-provider: openssl, jdk or auto; empty, the default, passes none: the server's
# own default, auto; set it to measure our server on the JDK's provider against BoringSSL),
# SERVER_CPU, GEN_CPU (cores to pin to; default 0 and 1), SERVER_JAVA_OPTS (as in run-fanout.sh;
# none: no flags), IDLE_LEAN_HEAP_OPTS (a second idle run of ours with these appended, as in
# run-fanout.sh; none: skip it), GEN_JAVA_OPTS, ONLY=ours|redis, WORKLOADS (which of r100 max
# handshake idle to run, default all; e.g. WORKLOADS=r100 ROUNDS=6 for the latency alone).
#
# Everything runs on 127.0.0.1. Each server is pinned to SERVER_CPU and the generator to GEN_CPU;
# both servers stay up during the alternating rounds but only the one measured is loaded. Every
# generator run is bounded by timeout(1); whatever this script starts, it stops on exit (trap).
# Logs, certificates and RESULT lines go to bench/target/tls-runs/<time>/.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
SERVER_JAR="${SERVER_JAR:-$root/server/target/chat-server.jar}"
bench_jar="$root/bench/target/chat-bench.jar"

QUICK="${QUICK:-0}"
if [[ "$QUICK" == 1 ]]; then
  DURATION="${DURATION:-3}"; WARMUP="${WARMUP:-1}"; ROUNDS="${ROUNDS:-1}"
  HANDSHAKES="${HANDSHAKES:-300}"; HANDSHAKE_WARMUP="${HANDSHAKE_WARMUP:-100}"
  IDLE_CONNECTIONS="${IDLE_CONNECTIONS:-1000}"; RSA_HANDSHAKES="${RSA_HANDSHAKES:-0}"
  IDLE_LEAN_HEAP_OPTS="${IDLE_LEAN_HEAP_OPTS:-none}"
else
  DURATION="${DURATION:-10}"; WARMUP="${WARMUP:-2}"; ROUNDS="${ROUNDS:-3}"
  HANDSHAKES="${HANDSHAKES:-2000}"; HANDSHAKE_WARMUP="${HANDSHAKE_WARMUP:-1000}"
  IDLE_CONNECTIONS="${IDLE_CONNECTIONS:-10000}"; RSA_HANDSHAKES="${RSA_HANDSHAKES:-1}"
fi
WINDOW="${WINDOW:-1000}"
CONNECT_CONCURRENCY="${CONNECT_CONCURRENCY:-20}"
HANDSHAKE_CONCURRENCY="${HANDSHAKE_CONCURRENCY:-20}"
IDLE_STEPS="${IDLE_STEPS:-2}"
CERT_KEY="${CERT_KEY:-ec}"
PLAIN_REFERENCE="${PLAIN_REFERENCE:-1}"
OURS_PORT="${OURS_PORT:-main}"
GEN_TLS_PROVIDER="${GEN_TLS_PROVIDER:-openssl}"
OURS_TLS_PROVIDER="${OURS_TLS_PROVIDER:-}"
SERVER_CPU="${SERVER_CPU:-0}"
GEN_CPU="${GEN_CPU:-1}"
source "$here/server-jvm-opts.sh"
GEN_JAVA_OPTS="${GEN_JAVA_OPTS:--Xms512m -Xmx2g}"
ONLY="${ONLY:-}"
WORKLOADS="${WORKLOADS:-r100 max handshake idle}"

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
[[ -f "$SERVER_JAR" ]] || { log "no server jar at $SERVER_JAR (mvn -B -o package -DskipTests, or SERVER_JAR=...)"; exit 2; }
if [[ ! -f "$bench_jar" ]]; then
  log "building chat-bench.jar..."
  (cd "$root" && mvn -B -q -o -pl bench package -DskipTests)
fi
for tool in openssl taskset ss timeout; do
  command -v "$tool" >/dev/null || { log "$tool is missing"; exit 2; }
done
if ! command -v redis-server >/dev/null; then
  log "installing redis-server from the OS packages..."
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
ulimit -n "$(ulimit -Hn)"

run_dir="$root/bench/target/tls-runs/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run_dir/certs"

# ---- a throwaway CA, and server pairs it signs for localhost and 127.0.0.1 ----
certs="$run_dir/certs"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=chat-bench throwaway CA" -keyout "$certs/ca.key" -out "$certs/ca.crt" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' \
    >"$certs/server.ext"
make_pair() { # ec|rsa -> $certs/<kind>.crt and .key
  local key_options=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1)
  [[ "$1" == rsa ]] && key_options=(-newkey rsa:2048)
  openssl req "${key_options[@]}" -nodes -subj "/CN=localhost" -keyout "$certs/$1.key" -out "$certs/$1.csr" 2>/dev/null
  openssl x509 -req -in "$certs/$1.csr" -CA "$certs/ca.crt" -CAkey "$certs/ca.key" -CAcreateserial -days 2 \
      -extfile "$certs/server.ext" -out "$certs/$1.crt" 2>/dev/null
}
make_pair "$CERT_KEY"
[[ "$RSA_HANDSHAKES" == 1 && "$CERT_KEY" != rsa ]] && make_pair rsa

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000)) # below the ephemeral range the clients' ports come from
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}

wait_listening() { # port pid
  local i
  for i in $(seq 1 100); do
    ss -Htln "sport = :$1" | grep -q . && return 0
    kill -0 "$2" 2>/dev/null || { log "server $2 died; see $run_dir"; return 1; }
    sleep 0.1
  done
  log "nothing listens on port $1 after 10 s"
  return 1
}

# Our server's options that would throttle or disconnect a benchmark client, off (run-fanout.sh's).
limit_flags=(--flood-rate 0 --max-per-ip 0 --max-clients 100000 --idle-timeout 0 --max-pending 0
    --soft-pending 0 --backlog 1024)
# History goes to a temporary directory per server start, not to ./chat-data (builds before it: nothing).
data_dir_flags() { # name
  if java -jar "$SERVER_JAR" --help 2>&1 | grep -q -- --data-dir; then echo "--data-dir $data_root/$1"; fi
}

start_ours() { # name key-kind [extra JVM flags] -> sets port (the one clients use), pid
  local listen tls_flags=()
  listen="$(free_port)"
  port="$listen"
  if [[ "$OURS_PORT" == tls ]]; then
    port="$(free_port)"
    tls_flags=(--tls-port "$port")
  fi
  if [[ -n "$OURS_TLS_PROVIDER" ]]; then
    tls_flags+=(--tls-provider "$OURS_TLS_PROVIDER")
  fi
  # shellcheck disable=SC2086
  taskset -c "$SERVER_CPU" java $SERVER_JAVA_OPTS ${3:-} -jar "$SERVER_JAR" --bind 127.0.0.1 --port "$listen" \
      --tls-cert "$certs/$2.crt" --tls-key "$certs/$2.key" "${tls_flags[@]}" \
      --log-level WARN "${limit_flags[@]}" $(data_dir_flags "$1") >"$run_dir/$1.log" 2>&1 &
  pid=$!
  started+=("$pid")
  wait_listening "$port" "$pid"
}

start_redis() { # name key-kind -> sets port, pid
  port="$(free_port)"
  # Bound to 127.0.0.1 only; protected mode off because it refuses clients from 127.0.0.2 and
  # up, which the generator uses past 5,000 connections (chat.bench.SourceAddresses).
  taskset -c "$SERVER_CPU" redis-server --bind 127.0.0.1 --port 0 --tls-port "$port" \
      --tls-cert-file "$certs/$2.crt" --tls-key-file "$certs/$2.key" --tls-ca-cert-file "$certs/ca.crt" \
      --tls-auth-clients no --save '' --appendonly no --daemonize no --protected-mode no \
      --loglevel warning --maxclients 100000 >"$run_dir/$1.log" 2>&1 &
  pid=$!
  started+=("$pid")
  wait_listening "$port" "$pid"
}

stop() { # pid
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Runs the generator (bounded by timeout); its output goes to the terminal and the run log, its
# RESULT line to results.txt.
bench() { # name seconds-at-most args...
  local name="$1" limit="$2"; shift 2
  log ""
  log "== $name: chat-bench $*"
  # shellcheck disable=SC2086
  timeout "$limit" taskset -c "$GEN_CPU" java $GEN_JAVA_OPTS -jar "$bench_jar" "$@" --label "$name" 2>&1 \
      | tee "$run_dir/$name.out" >&2 || true
  grep '^RESULT' "$run_dir/$name.out" >>"$run_dir/results.txt" || log "($name produced no RESULT line)"
}

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "java: $(java -version 2>&1 | head -1); $(redis-server --version | cut -d' ' -f1-3); $(openssl version)"
  echo "bench commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown); server jar: $SERVER_JAR ($(date -u -r "$SERVER_JAR" '+%Y-%m-%d %H:%M UTC'))"
  echo "certificate: $CERT_KEY key, CN=localhost, SAN localhost and 127.0.0.1; ours on its $OURS_PORT port"
  echo "TLS providers: generator $GEN_TLS_PROVIDER; ours ${OURS_TLS_PROVIDER:-auto, the server default}"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "our server flags: ${limit_flags[*]} ${SERVER_JAVA_OPTS}"
} | tee "$run_dir/machine.txt" >&2

want_ours() { [[ "$ONLY" != redis ]]; }
want_redis() { [[ "$ONLY" != ours ]]; }
gen_tls=(--tls --tls-provider "$GEN_TLS_PROVIDER")
fanout_common=("${gen_tls[@]}" --max-connecting "$CONNECT_CONCURRENCY" --warmup "$WARMUP" --duration "$DURATION")
handshake_common=("${gen_tls[@]}" --connections "$HANDSHAKES" --warmup-connections "$HANDSHAKE_WARMUP"
    --max-connecting "$HANDSHAKE_CONCURRENCY")
on_both() { # label-suffix seconds-at-most chat-bench-args... (protocol, port and pid added per server)
  local suffix="$1" limit="$2"; shift 2
  if want_ours; then bench "ours-$suffix" "$limit" "$1" --protocol native --port "$ours_port" --server-pid "$ours_pid" "${@:2}"; fi
  if want_redis; then bench "redis-$suffix" "$limit" "$1" --protocol resp --port "$redis_port" --server-pid "$redis_pid" "${@:2}"; fi
}
start_both() { # key-kind
  if want_ours; then start_ours "ours-$1" "$1"; ours_port="$port"; ours_pid="$pid"; fi
  if want_redis; then start_redis "redis-$1" "$1"; redis_port="$port"; redis_pid="$pid"; fi
}
wants() { # workload: whether WORKLOADS names it
  [[ " $WORKLOADS " == *" $1 "* ]]
}
stop_both() {
  if want_ours; then stop "$ours_pid"; fi
  if want_redis; then stop "$redis_pid"; fi
}

# ---- latency, fan-out and handshakes, each alternating between the servers ----
# Latency first, on servers that have not yet queued the million deliveries of a fan-out run. (It
# made no difference that showed: Redis's p99 at 100k/s jumped to 0.1-1.8 s in most rounds either
# way; see docs/benchmarks.md.)
start_both "$CERT_KEY"
if wants r100; then
  for round in $(seq 1 "$ROUNDS"); do
    on_both "r100-$round" 300 fanout --receivers 100 --senders 10 --rate 1000 "${fanout_common[@]}"
  done
fi
if wants max; then
  for round in $(seq 1 "$ROUNDS"); do
    on_both "max-$round" 300 fanout --receivers 1000 --senders 10 --rate 0 --window "$WINDOW" "${fanout_common[@]}"
  done
fi
if wants handshake; then
  for round in $(seq 1 "$ROUNDS"); do
    on_both "hs-$round" 300 handshake "${handshake_common[@]}"
  done
fi
if want_ours && wants max && [[ "$PLAIN_REFERENCE" == 1 ]]; then
  bench ours-plain-max 300 fanout --protocol native --port "$ours_port" --server-pid "$ours_pid" \
      --receivers 1000 --senders 10 --rate 0 --window "$WINDOW" --warmup "$WARMUP" --duration "$DURATION"
fi
stop_both
if wants handshake && [[ "$RSA_HANDSHAKES" == 1 ]]; then
  start_both rsa
  for round in $(seq 1 "$ROUNDS"); do
    on_both "hsrsa-$round" 300 handshake "${handshake_common[@]}"
  done
  stop_both
fi

# ---- idle memory, each on a fresh server ----
idle_common=("${gen_tls[@]}" --max-connecting "$CONNECT_CONCURRENCY" --connections "$IDLE_CONNECTIONS" --steps "$IDLE_STEPS")
if want_ours && wants idle; then
  start_ours ours-idle "$CERT_KEY"
  bench ours-idle 900 idle --protocol native --port "$port" --server-pid "$pid" "${idle_common[@]}"
  stop "$pid"
  if [[ "$IDLE_LEAN_HEAP_OPTS" != none ]]; then
    start_ours ours-idle-lean "$CERT_KEY" "$IDLE_LEAN_HEAP_OPTS"
    bench ours-idle-lean 900 idle --protocol native --port "$port" --server-pid "$pid" "${idle_common[@]}"
    stop "$pid"
  fi
fi
if want_redis && wants idle; then
  start_redis redis-idle "$CERT_KEY"
  bench redis-idle 900 idle --protocol resp --port "$port" --server-pid "$pid" "${idle_common[@]}"
  stop "$pid"
fi

# ---- summary: ours, Redis, ours/Redis ----
value() { # label key
  # A missing label (ONLY=..., or a failed run) is an empty value, not an error under set -e.
  { grep -h "label=$1 " "$run_dir/results.txt" 2>/dev/null || true; } | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1
}
values() { # label-prefix key: every round's value, in round order
  { grep -hE "label=$1-[0-9]+ " "$run_dir/results.txt" 2>/dev/null || true; } | tr ' ' '\n' | sed -n "s/^$2=//p" | paste -sd' '
}
median() { # label-prefix key
  values "$1" "$2" | tr ' ' '\n' | { grep . || true; } | sort -g | awk '
    { v[NR] = $1 }
    END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
print_row() { # title ours redis note
  local ratio
  ratio="$(awk -v o="${2:-}" -v r="${3:-}" 'BEGIN { if (o == "" || r == "" || r + 0 == 0) print "-"; else printf "%.2f", o / r }')"
  printf '%-50s %12s %12s %8s   (%s)\n' "$1" "${2:--}" "${3:--}" "$ratio" "$4"
}
mrow() { # title label-suffix key note: medians over the rounds
  print_row "$1" "$(median "ours-$2" "$3")" "$(median "redis-$2" "$3")" "$4"
}
row() { # title label-suffix key note
  print_row "$1" "$(value "ours-$2" "$3")" "$(value "redis-$2" "$3")" "$4"
}
per_round() { # title label-suffix key
  echo "  $1 per round: ours $(values "ours-$2" "$3"); redis $(values "redis-$2" "$3")"
}
{
  echo ""
  echo "== summary ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $ROUNDS round(s); raw lines in $run_dir/results.txt)"
  printf '%-50s %12s %12s %8s\n' "" "ours" "redis" "ours/redis"
  mrow "fan-out 1000x10 over TLS, deliveries/s, median" max deliveries_per_s "higher is better"
  per_round "fan-out deliveries/s" max deliveries_per_s
  mrow "fan-out, server CPU %, median" max server_cpu_pct ""
  mrow "fan-out, generator CPU %, median" max gen_cpu_pct "100 = generator-bound"
  mrow "fan-out, lost deliveries, median" max lost "0 expected"
  mrow "100k/s as 100 rcv x 1000 msg/s, p99 us, median" r100 lat_p99_us "lower is better"
  per_round "p99 us" r100 lat_p99_us
  mrow "100k/s, p50 us, median" r100 lat_p50_us "lower is better"
  mrow "100k/s, p99.9 us, median" r100 lat_p999_us "lower is better"
  mrow "100k/s, server CPU %, median" r100 server_cpu_pct ""
  mrow "100k/s, lost deliveries, median" r100 lost "0 expected"
  per_round "noise % (CPU used by neither)" r100 other_cpu_pct
  mrow "handshakes/s ($CERT_KEY key), median" hs per_s "higher is better"
  per_round "handshakes/s ($CERT_KEY)" hs per_s
  mrow "handshake: server CPU us each, median" hs server_cpu_us_each "lower is better"
  mrow "handshake: generator CPU us each, median" hs gen_cpu_us_each ""
  mrow "handshake: server CPU %, median" hs server_cpu_pct "100 = server-bound"
  mrow "handshake: generator CPU %, median" hs gen_cpu_pct "100 = generator-bound"
  mrow "connect to first answer p50 us, median" hs answer_p50_us "at $HANDSHAKE_CONCURRENCY in flight"
  mrow "handshakes lost, median" hs connections_lost "0 expected"
  if [[ "$RSA_HANDSHAKES" == 1 ]]; then
    mrow "handshakes/s (rsa 2048 key), median" hsrsa per_s "higher is better"
    per_round "handshakes/s (rsa)" hsrsa per_s
    mrow "handshake (rsa): server CPU us each, median" hsrsa server_cpu_us_each "lower is better"
    mrow "handshake (rsa): generator CPU %, median" hsrsa gen_cpu_pct "100 = generator-bound"
  fi
  row "idle $IDLE_CONNECTIONS TLS: RSS/conn after GC, bytes" idle rss_per_conn_bytes "lower is better; all N"
  row "idle $IDLE_CONNECTIONS TLS: RSS/conn, last step, bytes" idle rss_per_conn_last_bytes "a warmed server"
  row "idle $IDLE_CONNECTIONS TLS: live bytes/conn" idle live_per_conn_bytes "ours: live heap; redis: used_memory"
  row "idle $IDLE_CONNECTIONS TLS: broadcast reached" idle broadcast_reached "all expected"
  row "idle $IDLE_CONNECTIONS TLS: seconds for all to enter" idle setup_s ""
  if want_ours && [[ "$IDLE_LEAN_HEAP_OPTS" != none ]]; then
    echo "ours, idle TLS, lean heap: RSS per connection all N / last step $(value ours-idle-lean rss_per_conn_bytes)" \
        "/ $(value ours-idle-lean rss_per_conn_last_bytes) bytes; live heap $(value ours-idle-lean live_per_conn_bytes) bytes"
  fi
  if want_ours && [[ "$PLAIN_REFERENCE" == 1 ]]; then
    echo "ours, same server, plaintext fan-out 1000x10: $(value ours-plain-max deliveries_per_s) deliveries/s," \
        "server CPU $(value ours-plain-max server_cpu_pct) %, generator CPU $(value ours-plain-max gen_cpu_pct) %"
  fi
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$run_dir/summary.txt"
