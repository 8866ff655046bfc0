"""irctest controller for this project's chat server: a fresh server for each test.

irctest's own controllers start the server under test anew for every test, configured as the
test asks (a connection password, TLS, a WebSocket port); the peers' published figures are
measured so. bench/irctest.sh uses this module when PER_TEST=1 (see there); it is not meant to
be run by hand, as it takes its settings from the environment the script sets:

  IRCTEST_CHAT_JAVA        the java command (default: java)
  IRCTEST_CHAT_JAR         the server's jar
  IRCTEST_CHAT_FLAGS_FILE  the options every run gets, one per line (the script's chat_flags)

What it maps, per test: the IRC port (plain, or TLS-only with a certificate irctest makes), a
connection password (--password), and a WebSocket port (the chat port, which detects WebSocket,
with the IRC port then an IRC-only one). Faked time is not offered: the JVM does not run under
libfaketime, so the tests that would use it wait in real time, as in external mode.
"""

import os
from pathlib import Path
from typing import List, Optional, Set, Type

from irctest.basecontrollers import BaseServerController, DirectoryBasedController


def _flags() -> List[str]:
    path = os.environ.get("IRCTEST_CHAT_FLAGS_FILE")
    if not path:
        return []
    return [line for line in Path(path).read_text().splitlines() if line]


class ChatController(BaseServerController, DirectoryBasedController):
    software_name = "chat"
    supported_sasl_mechanisms: Set[str] = set(
        os.environ.get("IRCTEST_SERVER_SASL_MECHS", "").split()
    )
    supports_sts = False

    def run(
        self,
        hostname: str,
        port: int,
        *,
        password: Optional[str],
        ssl: bool,
        run_services: bool,
        faketime: Optional[str],
        websocket_hostname: Optional[str],
        websocket_port: Optional[int],
    ) -> None:
        assert self.proc is None
        self.port = port
        self.hostname = hostname
        self.create_config()
        assert self.directory is not None
        args = [
            os.environ.get("IRCTEST_CHAT_JAVA", "java"),
            # A test's server lives for seconds: start fast, no C2.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            os.environ["IRCTEST_CHAT_JAR"],
            # Loopback only, whatever address irctest picked its ports on.
            "--bind",
            "127.0.0.1",
            "--flood-rate",
            "0",
            "--max-per-ip",
            "0",
            "--data-dir",
            str(self.directory / "data"),
            *_flags(),
        ]
        if ssl:
            self.gen_ssl()
            (_, plain_port) = self.get_hostname_and_port()
            args += [
                "--port",
                str(plain_port),
                "--tls-port",
                str(port),
                "--tls-cert",
                str(self.pem_path),
                "--tls-key",
                str(self.key_path),
            ]
        elif websocket_port is not None:
            # The chat port detects a WebSocket upgrade; the IRC port speaks IRC alone.
            args += ["--port", str(websocket_port), "--irc-port", str(port)]
        else:
            args += ["--port", str(port)]
        if password is not None:
            args += ["--password", password]
        self.proc = self.execute(args)


def get_irctest_controller_class() -> Type[ChatController]:
    return ChatController
