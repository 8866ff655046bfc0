#!/usr/bin/env bash
# irctest, the IRC servers' shared conformance suite, against our server's IRC dialect or a peer
# server, so that "how much IRC do we speak" is one number that can be compared with the peers'.
#
#   bench/irctest.sh /tmp/irctest                      # our server (server/target/chat-server.jar)
#   SERVER=ngircd   bench/irctest.sh /tmp/irctest      # Debian's ngircd, for a baseline
#   SERVER=inspircd bench/irctest.sh /tmp/irctest      # Debian's InspIRCd 3, for a baseline
#   SERVER=external PORT=6667 bench/irctest.sh /tmp/irctest   # a server already on 127.0.0.1:6667
#   PER_TEST=1 bench/irctest.sh /tmp/irctest          # our server, a fresh one for each test
#
# The argument (or IRCTEST_DIR) is an irctest checkout: git clone https://github.com/progval/irctest
# irctest runs in its external-server mode: it connects to 127.0.0.1:PORT and cannot configure the
# server, so the server is started here with what irctest's own controllers would give it: the name
# My.Little.Server and the description "test server" (PING, TIME, LINKS, WHOIS and WHO tests expect
# them), an oper operuser with password operpassword (OPER, KILL, WALLOPS tests), no DNS or ident
# lookups, and no flood or per-address limits, so that irctest, which sends fast from one address,
# is not throttled. The selection is irctest's generic one: no services, no implementation-specific
# tests, nothing deprecated or stricter than the specifications.
#
# What external mode costs, for every server alike (irctest's own controllers start a fresh,
# configured server per test): the connection-password tests fail (the server has no password);
# LUSERS tests fail on the "Max" counts, which remember earlier tests' clients; SASL tests skip
# unless SASL_MECHS is given; TLS, websocket and faked-time tests skip. So a peer scores a few
# less here than in irctest's published runs.
#
# PER_TEST=1 (our server only) measures ours as irctest's own controllers measure the peers: irctest
# starts a fresh server for each test through bench/irctest-controller/chat_controller.py, with the
# options below plus what the test asks for (a connection password, TLS, a WebSocket port). Each
# test then pays a JVM start, about a second. irctest's WebSocket tests use the sync client of the
# websockets library (11 and later); Debian 12 has 10.4, so they skip unless a newer one is on
# PYTHONPATH (PYTHONPATH=/dir/with/websockets PER_TEST=1 bench/irctest.sh ...).
#
# Knobs (environment):
#   SERVER        chat (default), ngircd, inspircd or external (nothing started; give PORT)
#   JAR           our server's jar (server/target/chat-server.jar; build it with
#                 mvn -B -o package -DskipTests)
#   SERVER_ARGS   more options for our server, e.g. its IRC server name when it has an option for
#                 it other than --server-name (that one is passed when --help lists it)
#   PORT          the loopback port (default: a free one)
#   MARKERS       pytest -m expression (default: the generic selection above)
#   PYTEST_ARGS   more pytest arguments, shell words: PYTEST_ARGS="-k 'Who and not Whox'"
#   TEST_TIMEOUT  seconds per test, if pytest-timeout is installed (default 240: the ELIST time tests
#                 wait 3 real minutes each in external mode): a test that hangs
#                 fails alone instead of eating the whole run
#   RUN_TIMEOUT   seconds for the whole pytest run (default 1800; InspIRCd takes ~10 min, as it
#                 registers a client a second after NICK and USER)
#   SASL_MECHS    SASL mechanisms the server offers, for irctest's SASL tests (default none)
#   KEEP_LEFTOVER_CLIENTS=1  leaves connected the clients of a test whose setup raised, as bare
#                 irctest does (see the plugin below)
#   PER_TEST      1: a fresh server of ours for each test (see above); SERVER must be chat
#   PYTHON        the Python with irctest's dependencies (default /usr/bin/python3, Debian's,
#                 as they come from Debian packages: python3-pytest and the optional ones)
#
# Writes pytest's full output to bench/target/irctest/<server>-<date>.log (its JUnit XML beside
# it, .xml), then prints "irctest: N passed, M failed, K skipped" (a test whose setup or teardown
# errs counts as failed) and, per test file, its passes, failures and skips, most passes first.
# Everything runs on 127.0.0.1; whatever this script starts is stopped when it exits. Exits 0 when
# pytest ran to its end, whatever the tests' outcomes; 2 on a usage error; else pytest's or
# timeout's exit code.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
IRCTEST_DIR="${1:-${IRCTEST_DIR:-}}"
SERVER="${SERVER:-chat}"
JAR="${JAR:-$root/server/target/chat-server.jar}"
SERVER_ARGS="${SERVER_ARGS:-}"
PORT="${PORT:-}"
MARKERS="${MARKERS:-not services and not implementation-specific and not deprecated and not strict}"
PYTEST_ARGS="${PYTEST_ARGS:-}"
TEST_TIMEOUT="${TEST_TIMEOUT:-240}"
RUN_TIMEOUT="${RUN_TIMEOUT:-1800}"
SASL_MECHS="${SASL_MECHS:-}"
PYTHON="${PYTHON:-/usr/bin/python3}"
PER_TEST="${PER_TEST:-0}"
SERVER_NAME=My.Little.Server # what irctest's tests expect in PONG, RPL_TIME, LINKS, WHOIS...

if [[ -z "$IRCTEST_DIR" || ! -f "$IRCTEST_DIR/irctest/controllers/external_server.py" ]]; then
  cat >&2 <<EOF
usage: $0 IRCTEST_DIR   (or IRCTEST_DIR=... $0)
${IRCTEST_DIR:+"$IRCTEST_DIR" is not an irctest checkout. }Get one with
  git clone https://github.com/progval/irctest /tmp/irctest
or, from a local git mirror of it, git clone MIRROR /tmp/irctest
EOF
  exit 2
fi
IRCTEST_DIR="$(cd "$IRCTEST_DIR" && pwd)"
case "$SERVER" in
  chat)
    [[ -f "$JAR" ]] || { echo "no $JAR: build it with (cd $root && mvn -B -o package -DskipTests)" >&2; exit 2; } ;;
  ngircd|inspircd) ;;
  external) [[ -n "$PORT" ]] || { echo "SERVER=external needs PORT" >&2; exit 2; } ;;
  *) echo "SERVER must be chat, ngircd, inspircd or external, not $SERVER" >&2; exit 2 ;;
esac
if [[ "$PER_TEST" == 1 && "$SERVER" != chat ]]; then
  echo "PER_TEST=1 runs our server only (SERVER=chat)" >&2; exit 2
fi

# --- Debian packages: irctest's dependencies (PyPI may be out of reach, Debian's are not) and the
# peer server. pytest-timeout is optional: without it there is no per-test timeout.
sudo=""
[[ $EUID -eq 0 ]] || sudo=sudo
apt_updated=0
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
ensure_packages() { # package...
  local missing=() p
  for p in "$@"; do installed "$p" || missing+=("$p"); done
  [[ ${#missing[@]} -gt 0 ]] || return 0
  if [[ $apt_updated == 0 ]]; then $sudo apt-get update -qq; apt_updated=1; fi
  echo "installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}
ensure_packages python3-pytest python3-ecdsa python3-filelock python3-websockets iproute2
installed python3-pytest-timeout || ensure_packages python3-pytest-timeout || true

# A peer's package would start its system daemon, on the default port of every address. No
# daemon from it is wanted: keep it from starting while installing (policy-rc.d, when the machine
# has none of its own), then stop and disable it, in case it started anyway.
ensure_daemon_package() { # package
  installed "$1" && return 0
  local policy=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
  fi
  ensure_packages "$1" || { [[ -z "$policy" ]] || $sudo rm -f "$policy"; return 1; }
  [[ -z "$policy" ]] || $sudo rm -f "$policy"
  # systemctl disable works without a running systemd too (it removes the unit's links)
  if [[ -d /run/systemd/system ]]; then
    $sudo systemctl stop "$1" >/dev/null 2>&1 || true
  else
    $sudo service "$1" stop >/dev/null 2>&1 || true
  fi
  $sudo systemctl disable "$1" >/dev/null 2>&1 || $sudo update-rc.d "$1" disable >/dev/null 2>&1 || true
}
[[ "$SERVER" == ngircd || "$SERVER" == inspircd ]] && ensure_daemon_package "$SERVER"

# --- the server under test
work="$(mktemp -d /tmp/irctest-run.XXXXXX)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_listening() { # port pid
  for _ in $(seq 1 150); do
    ss -Htln "sport = :$1" | grep -q . && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# The peers' daemons refuse root (InspIRCd) or are meant to drop it (ngircd): run them as the
# irc user Debian has for ircds.
as_daemon_user=()
[[ $EUID -ne 0 ]] || as_daemon_user=(runuser -u irc --)

# Our server's options that would keep irctest from running fairly, set where this build has them
# (a build refuses options it does not know): lines as long as IRCv3 tags allow (8191 bytes of
# tags, 512 of message), no idle timeout, and irctest's server name.
chat_flags() { # fills the array CHAT_FLAGS (a description has spaces)
  local help pair
  CHAT_FLAGS=()
  help="$(java -jar "$JAR" --help 2>&1 || true)"
  for pair in "--max-line 8703" "--idle-timeout 0" "--max-clients 100000" "--server-name $SERVER_NAME"; do
    if grep -q -- "${pair%% *}" <<<"$help"; then CHAT_FLAGS+=($pair); fi
  done
  # One server for the run keeps its data here; a server per test, in the controller's directory.
  if [[ "$PER_TEST" != 1 ]] && grep -q -- "--data-dir" <<<"$help"; then CHAT_FLAGS+=(--data-dir "$work/data"); fi
  if grep -q -- "--server-description" <<<"$help"; then CHAT_FLAGS+=(--server-description "test server"); fi
  # irctest's operator, its password hashed as the server wants it.
  if grep -q -- "--oper" <<<"$help"; then
    CHAT_FLAGS+=(--oper "operuser:$(java -jar "$JAR" --hash-password <<<operpassword)")
  fi
}

write_ngircd_conf() { # dir port
  mkdir -p "$1/conf.d"
  cat >"$1/ngircd.conf" <<EOF
# irctest's own ngircd controller's configuration, on loopback, without penalties.
[Global]
    Name = $SERVER_NAME
    Info = test server
    Listen = 127.0.0.1
    Ports = $2
    AdminInfo1 = irctest
    AdminInfo2 = loopback
    AdminEMail = irctest@example.org
    MotdPhrase = irctest
    IncludeDir = $1/conf.d
[Limits]
    MaxConnectionsIP = 0
    MaxNickLength = 32
    # ngircd delays a client's next command by a penalty after some commands: off
    MaxPenaltyTime = 0
[Options]
    DNS = no
    Ident = no
    PAM = no
    # else WHOWAS always answers ERR_WASNOSUCHNICK
    MorePrivacy = no
[Operator]
    Name = operuser
    Password = operpassword
EOF
}

write_inspircd_conf() { # dir port
  local helpop=/usr/share/doc/inspircd/examples/helpop.conf.example
  cat >"$1/inspircd.conf" <<EOF
# irctest's own InspIRCd 3 controller's configuration, on loopback, without flood limits
# (threshold and commandrate far above what irctest sends, no fake lag), and no services link.
<server name="$SERVER_NAME" description="test server" id="000" network="testnet">
<admin name="irctest" nick="irctest" email="irctest@example.org">
<path datadir="$1" logdir="$1" runtimedir="$1">
<bind address="127.0.0.1" port="$2" type="clients">
<connect allow="*" resolvehostnames="no" recvq="40960" timeout="10" localmax="1000" globalmax="1000"
    threshold="1000000" commandrate="1000000" fakelag="no">
<class name="ServerOperators" commands="WALLOPS GLOBOPS KILL"
    privs="channels/auspex users/auspex servers/auspex">
<type name="NetAdmin" classes="ServerOperators">
<oper name="operuser" password="operpassword" host="*@*" type="NetAdmin" class="ServerOperators">
<options casemapping="ascii">
<security announceinvites="none">
<module name="banexception">
<module name="botmode">
<module name="cap">
<module name="inviteexception">
<module name="ircv3">
<module name="ircv3_accounttag">
<module name="ircv3_batch">
<module name="ircv3_capnotify">
<module name="ircv3_ctctags">
<module name="ircv3_echomessage">
<module name="ircv3_invitenotify">
<module name="ircv3_labeledresponse">
<module name="ircv3_msgid">
<module name="ircv3_servertime">
<module name="monitor">
<module name="muteban">
<module name="noctcp">
<module name="uhnames">
<module name="alias">
<module name="namesx">
<module name="services_account">
<module name="helpop">
$( [[ -f "$helpop" ]] && echo "<include file=\"$helpop\">" )
<log method="file" type="*" level="default" target="$1/inspircd.log">
EOF
}

port="${PORT:-$(free_port)}"
case "$SERVER" in
  chat)
    chat_flags
    version="$(basename "$JAR") $(git -C "$root" describe --always --dirty 2>/dev/null || true)"
    if [[ "$PER_TEST" == 1 ]]; then
      # irctest starts each test's server through the controller, with these options and its own
      # port, --bind, --data-dir and, as the test asks, --password and TLS or WebSocket ports.
      # shellcheck disable=SC2086
      printf '%s\n' "${CHAT_FLAGS[@]}" $SERVER_ARGS >"$work/chat-flags"
      version="$version, a fresh server per test"
      port="(per test)"
    else
      # shellcheck disable=SC2086
      setsid java -jar "$JAR" --bind 127.0.0.1 --port "$port" --flood-rate 0 --max-per-ip 0 \
          "${CHAT_FLAGS[@]}" $SERVER_ARGS >"$work/server.log" 2>&1 &
      server_pid=$!
    fi
    ;;
  ngircd)
    mkdir -m 755 "$work/ngircd"
    write_ngircd_conf "$work/ngircd" "$port"
    chmod -R a+rX "$work"
    "${as_daemon_user[@]}" ngircd --configtest --config "$work/ngircd/ngircd.conf" >"$work/configtest.log" 2>&1 \
        || { cat "$work/configtest.log" >&2; exit 1; }
    setsid "${as_daemon_user[@]}" ngircd --nodaemon --config "$work/ngircd/ngircd.conf" >"$work/server.log" 2>&1 &
    server_pid=$!
    version="$(ngircd --version | head -1)"
    ;;
  inspircd)
    mkdir -m 755 "$work/inspircd"
    write_inspircd_conf "$work/inspircd" "$port"
    chmod -R a+rX "$work"
    [[ $EUID -ne 0 ]] || chown irc "$work/inspircd"
    setsid "${as_daemon_user[@]}" inspircd --nofork --nopid --config "$work/inspircd/inspircd.conf" \
        >"$work/server.log" 2>&1 &
    server_pid=$!
    version="$(inspircd --version | head -1)"
    ;;
  external)
    version="already running on 127.0.0.1:$port"
    ;;
esac
if [[ -n "$server_pid" ]] && ! wait_listening "$port" "$server_pid"; then
  echo "$SERVER did not start listening on 127.0.0.1:$port; its output:" >&2
  cat "$work/server.log" "$work"/*/*.log 2>/dev/null | tail -30 >&2
  exit 1
fi

# --- irctest
# A small pytest plugin, loaded before irctest's conftest.py, for two things about this setting:
# - irctest's conftest.py uses pluggy's new-style hook wrappers (pluggy >= 1.1); Debian 12 has
#   pluggy 1.0. There, the plugin turns them into old-style ones.
# - irctest's own controllers start a new server for each test; here one server serves them all.
#   A test whose setup raises (a skip for a missing ISUPPORT token, say) never gets its teardown,
#   so its clients stayed connected: the next tests of its class then met "nickname already in
#   use" and hung, and LUSERS counted them. The plugin disconnects whatever clients a test left.
#   KEEP_LEFTOVER_CLIENTS=1 leaves them, as bare irctest does.
mkdir -p "$work/py"
cat >"$work/py/irctest_external.py" <<'EOF'
import inspect
import os

import pluggy
import pytest

if "wrapper" not in inspect.signature(pluggy.HookimplMarker.__call__).parameters:
    # pluggy < 1.1: a hookimpl(wrapper=True) (new style: the wrapper gets the result from its
    # yield, or the exception raised at it) becomes a hookimpl(hookwrapper=True) (old style: it
    # gets an outcome object) that drives it.
    _hookimpl = pytest.hookimpl

    def _drive(wrapper):
        next(wrapper)
        outcome = yield
        try:
            result = outcome.get_result()
        except BaseException as exc:
            try:
                wrapper.throw(exc)
            except StopIteration as stop:
                outcome.force_result(stop.value)
            except BaseException as raised:
                outcome._excinfo = (type(raised), raised, raised.__traceback__)
            return
        try:
            wrapper.send(result)
        except StopIteration as stop:
            outcome.force_result(stop.value)

    def _old_style(function):
        # pluggy passes hook arguments by the implementation's parameter names: keep them.
        args = ", ".join(inspect.getfullargspec(function).args)
        namespace = {"_function": function, "_drive": _drive}
        exec(f"def {function.__name__}({args}):\n"
             f"    return (yield from _drive(_function({args})))\n", namespace)
        return namespace[function.__name__]

    def _compat_hookimpl(function=None, *, wrapper=False, **kwargs):
        if not wrapper:
            return _hookimpl(function, **kwargs)
        kwargs["hookwrapper"] = True
        if function is None:
            return lambda f: _hookimpl(_old_style(f), **kwargs)
        return _hookimpl(_old_style(function), **kwargs)

    pytest.hookimpl = _compat_hookimpl


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item):
    if os.environ.get("KEEP_LEFTOVER_CLIENTS") == "1":
        return
    testcase = getattr(item, "instance", None)  # the test class's instance for this test
    for name in list(getattr(testcase, "clients", None) or {}):
        try:
            testcase.removeClient(name)
        except Exception:
            pass
EOF
plugins=(-p irctest_external)
timeout_args=()
if "$PYTHON" -c 'import pytest_timeout' 2>/dev/null; then
  timeout_args=(--timeout "$TEST_TIMEOUT")
fi

mkdir -p "$here/target/irctest"
log="$here/target/irctest/$SERVER-$(date +%Y%m%d-%H%M%S).log"
xml="${log%.log}.xml"
irctest_commit="$(git -C "$IRCTEST_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
eval "extra=($PYTEST_ARGS)" # shell words: PYTEST_ARGS="-k 'Who and not Whox'" works
controller=irctest.controllers.external_server
pythonpath="$work/py"
if [[ "$PER_TEST" == 1 ]]; then
  controller=chat_controller
  pythonpath="$pythonpath:$here/irctest-controller"
fi
cmd=("$PYTHON" -m pytest -p no:cacheprovider "${plugins[@]}" --controller "$controller"
     -m "$MARKERS" -v --junitxml "$xml" "${timeout_args[@]}" "${extra[@]}")
{
  echo "# server: $SERVER ($version) on 127.0.0.1:$port"
  echo "# irctest: $IRCTEST_DIR at $irctest_commit"
  echo "# command: IRCTEST_SERVER_HOSTNAME=127.0.0.1 IRCTEST_SERVER_PORT=$port IRCTEST_SERVER_SASL_MECHS='$SASL_MECHS' timeout $RUN_TIMEOUT $(printf '%q ' "${cmd[@]}")"
} >"$log"
echo "irctest: $SERVER ($version) on 127.0.0.1:$port, log in $log" >&2
rc=0
(cd "$IRCTEST_DIR" && IRCTEST_SERVER_HOSTNAME=127.0.0.1 IRCTEST_SERVER_PORT="$port" \
    IRCTEST_SERVER_SASL_MECHS="$SASL_MECHS" PYTHONDONTWRITEBYTECODE=1 \
    IRCTEST_CHAT_JAR="$JAR" IRCTEST_CHAT_FLAGS_FILE="$work/chat-flags" \
    PYTHONPATH="$pythonpath${PYTHONPATH:+:$PYTHONPATH}" \
    timeout -k 10 "$RUN_TIMEOUT" "${cmd[@]}") >>"$log" 2>&1 || rc=$?
if [[ -n "$server_pid" ]] && ! kill -0 "$server_pid" 2>/dev/null; then
  echo "warning: $SERVER exited during the run; its output:" >&2
  tail -20 "$work/server.log" >&2
fi

# --- summary, from pytest's JUnit XML: a <testcase classname="irctest.server_tests.x.Class"> per
# test, with a <failure>, <error> or <skipped> child unless it passed.
if [[ -s "$xml" ]]; then
  "$PYTHON" - "$xml" <<'PY'
import collections, sys, xml.etree.ElementTree as ET

counts = collections.defaultdict(collections.Counter)
for case in ET.parse(sys.argv[1]).iter("testcase"):
    module = case.get("classname", "?").rsplit(".", 1)[0].replace(".", "/") + ".py"
    kinds = {child.tag for child in case}
    outcome = "failed" if kinds & {"failure", "error"} else "skipped" if "skipped" in kinds else "passed"
    counts[module][outcome] += 1
total = sum(counts.values(), collections.Counter())
print(f"irctest: {total['passed']} passed, {total['failed']} failed, {total['skipped']} skipped")
for module, c in sorted(counts.items(), key=lambda mc: (-mc[1]["passed"], -mc[1]["failed"], mc[0])):
    print(f"{c['passed']:6} passed {c['failed']:6} failed {c['skipped']:6} skipped  {module}")
PY
else
  echo "irctest: no results (no $xml)"
fi
echo "pytest: $(tail -1 "$log")"
case "$rc" in
  0|1) exit 0 ;;
  124) echo "pytest did not finish within RUN_TIMEOUT=$RUN_TIMEOUT s" >&2; exit 124 ;;
  *) echo "pytest exited $rc; see $log" >&2; exit "$rc" ;;
esac
