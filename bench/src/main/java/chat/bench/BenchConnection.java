package chat.bench;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One connection of the load generator and everything it carries: its socket, the unfinished
 * line between reads, and, by role, its receive counters or its send buffer. Attached to its
 * selection key. Loop thread only.
 */
final class BenchConnection {

    /** What a connection does in a run. */
    enum Role {
        /** Counts and times the messages it receives. */
        RECEIVER,
        /** Sends marked messages. */
        SENDER,
        /** Joins, then only reads (memory per connection, reach of a broadcast). */
        IDLE,
        /** Sends the one broadcast of an idle run. */
        ANNOUNCER,
        /** Connects, says its probe, and is done at the first answer (handshake runs). */
        PROBE
    }

    /** Longest line kept across reads; longer ones (help text...) are dropped, ours are ~100 bytes. */
    static final int MAX_CARRIED_LINE = 1024;

    final Role role;
    /** The sender id for senders, the position among its role otherwise. */
    final int id;
    /** Bytes to send once connected (entering the room); may be empty. */
    final byte[] enterBytes;
    /** A line starting with these bytes proves membership. */
    final byte[] readyPrefix;
    /** Bytes to send once the server welcomes this client (IRC's JOIN); null when entry is one step. */
    byte[] joinBytes;
    /** True once {@link #joinBytes} went out. */
    boolean joinSent;
    /** The server this connection goes to; null: its loop's. */
    InetSocketAddress server;
    /** Position of {@link #server} in the run's list of servers (0 with one server). */
    int serverIndex;
    SocketChannel channel;
    SelectionKey key;
    /** The connection's TLS; null for plaintext. */
    TlsChannel tls;
    /** True once the connection carries the protocol: TCP established and, with TLS, the handshake done. */
    boolean connected;
    /** When the connect began, on the {@code System.nanoTime()} clock. */
    long connectStartNanos;
    /** When the connection became {@link #connected}, on the same clock. */
    long connectedNanos;
    /** True once closed: its part in the run is over, or it failed. */
    boolean closed;
    /** True once the peer confirmed membership of the room or channel. */
    boolean ready;
    /** Bytes of a line whose end has not arrived yet; allocated on first need. */
    byte[] carry;
    /** How many bytes of {@link #carry} are in use. */
    int carryLength;
    /** True while skipping a line longer than {@link #MAX_CARRIED_LINE} up to its LF. */
    boolean skippingLongLine;

    // ---- receivers and idle connections ----
    /** Next sequence number expected from each sender; receivers only. */
    int[] nextSequence;
    /** Marked messages received, duplicates and reorderings included. */
    long received;

    // ---- senders ----
    /** Encoded messages not yet taken by the socket, in write mode. */
    ByteBuffer out;
    /** One message on the wire, its marker rewritten for each message sent. */
    byte[] template;
    /** Where the marker sits in {@link #template}. */
    int markerOffset;
    /** Sequence number of the next message. */
    long sequence;
    /** True while the socket refused bytes and OP_WRITE is on. */
    boolean writeBlocked;

    BenchConnection(Role role, int id, byte[] enterBytes, byte[] readyPrefix) {
        this.role = role;
        this.id = id;
        this.enterBytes = enterBytes;
        this.readyPrefix = readyPrefix;
    }

    /**
     * A name for this connection, unique within a run and short (IRC nicks are 9 characters on
     * some servers): the role's initial and the id, {@code r0}, {@code s9}, {@code i17999}.
     */
    static String name(Role role, int id) {
        return Character.toLowerCase(role.name().charAt(0)) + Integer.toString(id);
    }

    /** Sends this connection to {@code servers[index]} rather than to its loop's server. */
    void goTo(java.util.List<InetSocketAddress> servers, int index) {
        this.server = servers.get(index);
        this.serverIndex = index;
    }

    /** Makes this a sender of {@code template}s, buffering up to {@code bufferBytes}. */
    void sendWith(byte[] template, int markerOffset, int bufferBytes) {
        this.template = template;
        this.markerOffset = markerOffset;
        this.out = ByteBuffer.allocateDirect(Math.max(bufferBytes, template.length));
    }

    /** True when {@code line[start, end)} starts with {@link #readyPrefix}. */
    boolean isReadyLine(byte[] line, int start, int end) {
        if (end - start < readyPrefix.length) {
            return false;
        }
        for (int i = 0; i < readyPrefix.length; i++) {
            if (line[start + i] != readyPrefix[i]) {
                return false;
            }
        }
        return true;
    }

    void interest(int ops) {
        if (key.isValid() && key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    @Override
    public String toString() {
        return role + "-" + id;
    }
}
