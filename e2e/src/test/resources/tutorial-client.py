#!/usr/bin/env python3
"""A chat client the way beginners' socket tutorials write one: blocking, GBK, no framing.

It connects, sends one message (by default without a newline, as those tutorials do), may read
whatever comes back for a while, then closes. The server must make sense of it with no setup.

    tutorial-client.py HOST PORT MESSAGE [--encoding gbk] [--newline] [--read SECONDS [--until TEXT]]

With --until it stops reading as soon as TEXT has arrived (still within SECONDS). Prints what it received (decoded with the same encoding) and exits 0 once the message was sent.
Talks to loopback addresses only: it is a test client.
"""
import argparse
import socket
import sys
import time


def receive_for(sock, seconds, until=None):
    sock.settimeout(0.1)
    deadline = time.monotonic() + seconds
    received = bytearray()
    while time.monotonic() < deadline and not (until and until in received):
        try:
            chunk = sock.recv(4096)
        except socket.timeout:
            continue
        if not chunk:
            break
        received += chunk
    return bytes(received)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("message")
    parser.add_argument("--encoding", default="gbk")
    parser.add_argument("--newline", action="store_true")
    parser.add_argument("--read", type=float, default=0.0)
    parser.add_argument("--until")
    args = parser.parse_args()
    if args.host not in ("localhost", "::1") and not args.host.startswith("127."):
        print("refusing a non-loopback host: this is a test client", file=sys.stderr)
        return 2
    with socket.create_connection((args.host, args.port)) as sock:
        text = args.message + ("\n" if args.newline else "")
        sock.sendall(text.encode(args.encoding))
        if args.read > 0:
            until = args.until.encode(args.encoding) if args.until else None
            reply = receive_for(sock, args.read, until)
            sys.stdout.write(reply.decode(args.encoding, errors="replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
