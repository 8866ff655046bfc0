#!/usr/bin/env bash
# A real IRC client against the real server: irssi in tmux joins #lobby on the chat port, a
# native client (a Python socket, as nc would) talks to it, and each must see the other's line.
# Not part of `mvn verify` (it needs a terminal multiplexer and a Debian package); `.ci/run` runs
# it after the build, and by hand:
#
#   mvn -B -q package -DskipTests && e2e/scripts/irssi-session.sh
#
# Installs irssi, tmux and python3 when missing (Debian). Loopback only; stops what it starts.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$root/server/target/chat-server.jar"
[[ -f "$jar" ]] || { echo "no $jar: run mvn -B -q package -DskipTests first" >&2; exit 2; }

missing=()
for tool in irssi tmux python3; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
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

# Port 0: the system picks a free port, which the server's first log line names.
java -jar "$jar" --bind 127.0.0.1 --port 0 --server-name irc.test >"$work/server.log" 2>&1 &
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

tmux new-session -d -s "$session" -x 120 -y 30 "irssi --home=$work/irssi -c 127.0.0.1 -p $port -n ircuser"
await_screen "Welcome to the chat IRC network"
tmux send-keys -t "$session" "/join #lobby" Enter
await_screen "ircuser.*has joined #lobby"

python3 - "$port" <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"/nick ncuser\n")
time.sleep(1)
s.sendall(b"hello from a plain socket\n")
s.settimeout(15)
seen = b""
deadline = time.time() + 15
while b"ircuser: hello back from irssi" not in seen and time.time() < deadline:
    chunk = s.recv(4096)
    if not chunk:
        break
    seen += chunk
sys.exit(0 if b"ircuser: hello back from irssi" in seen else 1)
PY
native=$!
await_screen "<.?ncuser> hello from a plain socket"
tmux send-keys -t "$session" "hello back from irssi" Enter
if wait "$native"; then
  echo "irssi session: both ways OK (irssi $(irssi --version | awk '{print $2}'))"
else
  echo "FAIL: the native client never got irssi's line" >&2
  exit 1
fi
