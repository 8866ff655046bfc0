#!/usr/bin/env bash
# A real IRC client against the real server: irssi in tmux joins #lobby on the chat port, a
# native client (a Python socket, as nc would) talks to it, and each must see the other's line.
# Twice: in plaintext, then over TLS on the same port (irssi's -tls with the certificate checked,
# Python's ssl for the native client), with a certificate made here by openssl.
# Not part of `mvn verify` (it needs a terminal multiplexer and a Debian package); `.ci/run` runs
# it after the build, and by hand:
#
#   mvn -B -q package -DskipTests && e2e/scripts/irssi-session.sh
#
# Installs irssi, tmux, python3 and openssl when missing (Debian). Loopback only; stops what it
# starts.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$root/server/target/chat-server.jar"
[[ -f "$jar" ]] || { echo "no $jar: run mvn -B -q package -DskipTests first" >&2; exit 2; }

missing=()
for tool in irssi tmux python3 openssl; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [[ ${#missing[@]} -gt 0 ]]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

work="$(mktemp -d)"
session="chat-irssi-$$"
server_pid=""
cleanup() {
  tmux kill-session -t "$session" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A certificate for 127.0.0.1 and localhost, self-signed: the clients are told to trust it alone.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1

# Port 0: the system picks a free port, which the server's first log line names.
# History in the session's own folder, removed with it: not ./chat-data, where a server the
# developer starts later would replay this session's lines.
java -jar "$jar" --bind 127.0.0.1 --port 0 --server-name irc.test --data-dir "$work/data" \
    --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" >"$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 100); do
  port="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/server.log" | head -1)"
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || { echo "FAIL: the server did not start; its log:" >&2; cat "$work/server.log" >&2; exit 1; }

# Waits until the irssi window shows a line matching $1 (grep -E), for at most 15 s.
await_screen() {
  for _ in $(seq 1 150); do
    tmux capture-pane -t "$session" -p | grep -Eq -- "$1" && return 0
    sleep 0.1
  done
  echo "FAIL: irssi never showed /$1/; its screen:" >&2
  tmux capture-pane -t "$session" -p >&2
  exit 1
}

# One session: irssi and a native client in #lobby, each seeing the other; $1 is plain or tls.
talk() {
  local mode="$1" nick="irc$1" native_nick="nc$1"
  tmux kill-session -t "$session" 2>/dev/null || true
  rm -rf "$work/irssi"
  tmux new-session -d -s "$session" -x 120 -y 30 "irssi --home=$work/irssi"
  await_screen "Irssi"
  if [[ "$mode" == tls ]]; then
    # irssi matches the certificate's DNS names only: connect as localhost, over IPv4 (-4), where
    # the server listens.
    tmux send-keys -t "$session" "/connect -4 -tls -tls_cafile $work/cert.pem -tls_verify localhost $port '' $nick" Enter
  else
    tmux send-keys -t "$session" "/connect 127.0.0.1 $port '' $nick" Enter
  fi
  await_screen "Welcome to the chat IRC network"
  tmux send-keys -t "$session" "/join #lobby" Enter
  await_screen "$nick.*has joined #lobby"

  python3 - "$port" "$mode" "$work/cert.pem" "$native_nick" "$nick" <<'PY' &
import socket, ssl, sys, time
port, mode, ca, me, them = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
s = socket.create_connection(("127.0.0.1", port))
if mode == "tls":
    context = ssl.create_default_context(cafile=ca)  # verifies the certificate and the name
    s = context.wrap_socket(s, server_hostname="localhost")
s.sendall(("/nick %s\n" % me).encode())
time.sleep(1)
s.sendall(("hello from a %s socket\n" % mode).encode())
s.settimeout(15)
want = ("%s: hello back from irssi" % them).encode()
seen = b""
deadline = time.time() + 15
while want not in seen and time.time() < deadline:
    chunk = s.recv(4096)
    if not chunk:
        break
    seen += chunk
sys.exit(0 if want in seen else 1)
PY
  local native=$!
  await_screen "<.?$native_nick> hello from a $mode socket"
  tmux send-keys -t "$session" "hello back from irssi" Enter
  if ! wait "$native"; then
    echo "FAIL ($mode): the native client never got irssi's line" >&2
    exit 1
  fi
}

talk plain
talk tls
echo "irssi session: both ways OK, in plaintext and over TLS (irssi $(irssi --version | awk '{print $2}'))"
