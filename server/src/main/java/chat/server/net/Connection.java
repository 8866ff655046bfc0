package chat.server.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, as a pipeline: a {@link Transport} that moves its bytes, detection of
 * what it speaks from its first bytes ({@link ProtocolDetector}), then an {@link InputFlow} that
 * frames input for the dialect's {@link ProtocolHandler}, and an {@link OutboundQueue} for what
 * goes back. The handler of its socket in the loop's poller; everything here runs on the event-loop thread.
 *
 * <p>Detection: until the first bytes say what the connection speaks, it has no handler and no
 * session; nothing is sent and no room hears of it. The bytes seen are kept (at most
 * {@link ProtocolDetector#MAX_BYTES} and one read) and handed to the dialect once it is chosen.
 * A client that says nothing within {@link #DETECTION_WINDOW_MILLIS} (nc, telnet: they wait for a
 * welcome) is native; so is one whose input ends first.
 *
 * <p>Input: one read per readiness (fairness: a busy peer cannot keep the loop to itself), and
 * only while {@link InputState#READING}. A peer that goes away still has what it sent
 * delivered, including a last line without a newline, also when a write to it fails first.
 *
 * <p>Output: {@link #send} only queues, and asks the server to flush this connection at the end
 * of the iteration; write interest is on only while bytes are left over after a write. A client
 * whose queue passes the hard limit, or stays over the soft limit past its grace period, is told
 * and disconnected.
 *
 * <p>Closing: {@link #close} only marks the connection; the server reaps it at a safe point of
 * the loop, tells the handler once, sends what is still queued when the reason allows it (within
 * a bounded time), and closes the socket.
 */
public final class Connection implements EventLoop.ReadyHandler {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    /**
     * How long a connection may stay silent before it is taken as native: clients of the other
     * protocols speak first, nc and telnet users wait for the welcome. Short enough not to be
     * noticed, long enough for a client's first packet to arrive.
     */
    public static final long DETECTION_WINDOW_MILLIS = 300;
    /**
     * The same for a connection from an address that made an HTTP request lately: a browser opens
     * spare connections ahead of need and may leave one silent for seconds before it sends a
     * request on it (Chromium keeps an unused one up to 10 s), and one taken for nc would get a
     * welcome the browser reads as a broken response. An nc user there waits this long for the
     * welcome, or presses Enter.
     */
    public static final long BROWSER_DETECTION_WINDOW_MILLIS = 30_000;
    /** Most reads made to rescue a dead peer's last input (see salvageInput), 64 KiB each. */
    private static final int MAX_SALVAGE_READS = 4;

    private final TcpServer server;
    /**
     * What reads and writes the socket when more than the socket itself does it: TLS once a
     * ClientHello came, a WebSocket after an upgrade (each over {@link #socket}); null while the
     * connection speaks plain TCP, straight through its socket.
     */
    private Transport transport;
    /** The socket; null only for a connection made over a given transport (tests). */
    private final SocketTransport socket;
    /** The peer's address, for logs and per-address limits. */
    private final InetSocketAddress peer;
    /** Bytes waiting to be written. */
    private final OutboundQueue outbound = new OutboundQueue();
    /** The way in: framing and backpressure; null until the dialect is known. */
    private InputFlow input;
    /** The dialect this connection speaks; null until it is known. */
    private ProtocolHandler handler;
    /** First bytes that did not yet decide the protocol; null when none are held. */
    private byte[] undecided;
    /**
     * The one timer this connection waits on, if any: while detecting, the end of the detection
     * window; while lingering, the end of the linger. Never both at once, so one field (an idle
     * server holds one connection per client).
     */
    private EventLoop.Timer timer;
    /** True while this connection is on the server's flush list for this iteration. */
    boolean flushScheduled;
    /** True while write interest is on. */
    private boolean writeInterest;
    /** When input was last received or consumed, in loop nanoseconds, for the idle limit. */
    private long lastInputNanos;
    /** Since when the queue has been over the soft limit, loop nanoseconds; 0 while under it. */
    private long overSoftLimitSince;
    /** True while the handler queues the line saying the send queue was exceeded. */
    private boolean tellingQueueExceeded;
    /** Why this connection is closing; null while it is open. */
    private CloseReason closeReason;
    /** Words to go with {@link #closeReason}, for the log and the quit notice. */
    private String closeDetail;
    /** True once the server has reaped this connection and told its handler. */
    boolean reaped;
    /** True once the socket is closed. */
    private boolean closed;
    /** True from a ClientHello until the TLS handshake is done; detection of what is inside waits. */
    private boolean tlsHandshaking;
    /** Where this connection sits in its server's {@link ConnectionSet}; -1 when in none. */
    int setIndex = -1;
    /** Output held back while the dialect fetches what must go before it; null when none is. */
    private HeldOutput held;
    /** True when detection waits {@link #BROWSER_DETECTION_WINDOW_MILLIS} rather than the usual window. */
    private boolean browserWindow;
    /** What it speaks, for the metrics' census, as the ordinal of a {@link ConnectionCensus.Dialect}; a byte, to fit in padding. */
    private byte dialect = (byte) ConnectionCensus.Dialect.OTHER.ordinal();

    private static final ConnectionCensus.Dialect[] DIALECTS = ConnectionCensus.Dialect.values();

    /** A plain TCP connection on an accepted socket, which the caller registers for it. */
    Connection(TcpServer server, SocketTransport socket, InetSocketAddress peer) {
        this(server, null, socket, peer);
    }

    /** A connection over {@code transport}, for tests that script the socket. */
    static Connection overTransport(TcpServer server, Transport transport, InetSocketAddress peer) {
        return new Connection(server, transport, null, peer);
    }

    private Connection(TcpServer server, Transport transport, SocketTransport socket, InetSocketAddress peer) {
        this.server = server;
        this.transport = transport;
        this.socket = socket;
        this.peer = peer;
        this.lastInputNanos = nowNanos();
    }

    /** Starts the detection window; called once the connection is registered. */
    void startDetection() {
        browserWindow = server.isRecentHttpClient(peer.getAddress());
        timer = server.loop().schedule(browserWindow ? BROWSER_DETECTION_WINDOW_MILLIS : DETECTION_WINDOW_MILLIS,
                this::detectionWindowClosed);
    }

    ProtocolHandler handler() {
        return handler;
    }

    TcpServer server() {
        return server;
    }

    long nowNanos() {
        return server.loop().nanoTime();
    }

    public InetSocketAddress peer() {
        return peer;
    }

    /** True when the connection speaks TLS: what it carries (a password) crosses the network encrypted. */
    public boolean isEncrypted() {
        return transport != null && transport.isEncrypted();
    }

    /** True when what this connection sends must be UTF-8, whatever its client asks: {@link Transport#isUtf8Only}. */
    public boolean isUtf8Only() {
        return transport != null && transport.isUtf8Only();
    }

    /** True until {@link #close} was called. */
    public boolean isOpen() {
        return closeReason == null;
    }

    /** What the connection speaks, as the census counts it. */
    ConnectionCensus.Dialect dialect() {
        return DIALECTS[dialect];
    }

    /** True when its dialect has made a chat user of it. */
    boolean hasUser() {
        return handler != null && handler.hasUser();
    }

    public CloseReason closeReason() {
        return closeReason;
    }

    /** Bytes queued for this peer and not yet written. */
    public long pendingBytes() {
        return outbound.pendingBytes();
    }

    /** Where input stands; {@link InputState#READING} while the protocol is still being detected. */
    public InputState inputState() {
        return input == null ? (closeReason == null ? InputState.READING : InputState.CLOSED) : input.state();
    }

    /**
     * Milliseconds left of the detection window, which a dialect may use as its own (the native
     * one waits that long for setup lines before its welcome); 0 once it has closed. Meant for
     * {@link ProtocolHandler#onOpen}, where the window's timer is still there to ask.
     */
    public long detectionWindowLeftMillis() {
        if (input == null || timer == null) {
            return 0;
        }
        // Never negative: in a storm a window's timer may be due and not run yet (timers run a
        // share per iteration).
        long left = Math.max(0, TimeUnit.NANOSECONDS.toMillis(timer.nanosLeft(nowNanos())));
        // A dialect's own wait (setup lines) is the usual window's, however long detection waited.
        return browserWindow ? Math.max(0, left - (BROWSER_DETECTION_WINDOW_MILLIS - DETECTION_WINDOW_MILLIS)) : left;
    }

    /**
     * A browser is at this connection's address (it sent what only browsers send): for a few
     * minutes, connections from there get {@link #BROWSER_DETECTION_WINDOW_MILLIS} to speak.
     */
    public void browserSeenAtPeer() {
        server.noteHttpClient(peer.getAddress());
    }

    /** Runs {@code task} on the loop after {@code delayMillis}; for the dialect's own timers. */
    public EventLoop.Timer schedule(long delayMillis, Runnable task) {
        return server.loop().schedule(delayMillis, task);
    }

    /**
     * True when the client has sent nothing for longer than {@code limitNanos}. Input that waits
     * on us (paused by flood control or fairness) is not silence; detection is not either.
     */
    boolean isIdle(long nowNanos, long limitNanos) {
        return isOpen() && input != null && input.state() == InputState.READING
                && nowNanos - lastInputNanos > limitNanos;
    }

    long lastInputNanos() {
        return lastInputNanos;
    }

    /** Milliseconds since the client last sent something (or since held input was consumed). */
    public long millisSinceInput() {
        return TimeUnit.NANOSECONDS.toMillis(nowNanos() - lastInputNanos);
    }

    /** Input held back was consumed: the client's silence counts from now. */
    void inputConsumed() {
        lastInputNanos = nowNanos();
    }

    /**
     * Queues bytes for the peer; they go out at the end of this loop iteration. The array is
     * not copied and must not change afterwards: it may be shared with other connections.
     * Dropped once the connection is closing. May disconnect a client that does not read.
     */
    public void send(byte[] bytes) {
        if (held != null && closeReason == null) {
            if (held.fits(bytes, server.limits().softPendingBytes())) {
                held.lines.add(bytes);
                held.bytes += bytes.length;
                return;
            }
            log.warn("{}: {} bytes held behind a history read; sending them ahead of it", peer, held.bytes);
            releaseAll();
        }
        sendAhead(bytes);
    }

    /** The same for {@code lines} lines in one array, counted as that many deliveries. */
    public void send(byte[] bytes, int lines) {
        if (closeReason == null) {
            server.counters.linesQueued += lines - 1; // send counts the array once
        }
        send(bytes);
    }

    /**
     * Holds what {@link #send} is given from now on, until the hold is released: for what must
     * reach the client before anything live that follows (a history replay read off the loop),
     * which goes out meanwhile through {@link #sendAhead(Hold, byte[])}, in its place. Holds
     * keep their order: a replay asked for before another comes before it, and each comes after
     * what was sent before it began. Held bytes are bounded by the soft send-queue limit (or 1
     * MiB without one); past it, everything held goes out at once, out of order rather than lost.
     */
    public Hold holdOutput() {
        if (held == null) {
            held = new HeldOutput();
        }
        Hold hold = new Hold(held, held.lines.size());
        held.holds.add(hold);
        return hold;
    }

    /** Queues bytes in {@code hold}'s place: before what was sent after it began, after what came before. */
    public void sendAhead(Hold hold, byte[] bytes) {
        HeldOutput output = held;
        if (output == null || hold.owner != output || closeReason != null) {
            sendAhead(bytes); // the hold was let go of (too much held): in order from here on
            return;
        }
        int at = hold.position;
        output.lines.add(at, bytes);
        output.bytes += bytes.length;
        hold.position++;
        for (int i = output.holds.indexOf(hold) + 1; i < output.holds.size(); i++) {
            Hold later = output.holds.get(i);
            if (later.position >= at) {
                later.position++;
            }
        }
    }

    /** Ends a hold; what no earlier hold still waits before goes out, in order. */
    public void releaseOutput(Hold hold) {
        HeldOutput output = held;
        if (output == null || hold.owner != output) {
            return;
        }
        output.holds.remove(hold);
        hold.owner = null;
        if (output.holds.isEmpty()) {
            releaseAll();
            return;
        }
        int ready = output.holds.get(0).position;
        for (Hold h : output.holds) {
            ready = Math.min(ready, h.position);
        }
        if (ready > 0) {
            List<byte[]> out = new ArrayList<>(output.lines.subList(0, ready));
            output.lines.subList(0, ready).clear();
            for (byte[] bytes : out) {
                output.bytes -= bytes.length;
            }
            for (Hold h : output.holds) {
                h.position -= ready;
            }
            for (byte[] bytes : out) {
                sendAhead(bytes);
            }
        }
    }

    private void releaseAll() {
        HeldOutput released = held;
        held = null;
        for (Hold hold : released.holds) {
            hold.owner = null;
        }
        for (byte[] bytes : released.lines) {
            sendAhead(bytes);
        }
    }

    /** Queues bytes past any hold: the same as {@link #send} when nothing is held. */
    public void sendAhead(byte[] bytes) {
        if (closeReason != null) {
            return;
        }
        outbound.add(bytes);
        server.counters.linesQueued++; // the one metrics cost of a delivery: a plain field, loop thread only
        server.scheduleFlush(this);
        if (tellingQueueExceeded) {
            return; // that line may be longer than a small limit: checking it again would recurse
        }
        long pending = outbound.pendingBytes();
        Limits limits = server.limits();
        if (limits.maxPendingBytes() > 0 && pending > limits.maxPendingBytes()) {
            sendQueueExceeded(pending, limits.maxPendingBytes(), "hard limit");
        } else if (limits.softPendingBytes() > 0) {
            checkSoftLimit(pending, limits);
        }
    }

    private void checkSoftLimit(long pending, Limits limits) {
        if (pending <= limits.softPendingBytes()) {
            overSoftLimitSince = 0;
            return;
        }
        long now = nowNanos();
        if (overSoftLimitSince == 0) {
            overSoftLimitSince = now;
        } else if (now - overSoftLimitSince > TimeUnit.SECONDS.toNanos(limits.softPendingSeconds())) {
            sendQueueExceeded(pending, limits.softPendingBytes(),
                    "soft limit for over " + limits.softPendingSeconds() + " s");
        }
    }

    /**
     * The client does not read: drop what it would never take, queue the line that says why
     * (it may still read that), and disconnect it. Memory for it is freed at once.
     */
    private void sendQueueExceeded(long pending, long limit, String which) {
        log.warn("disconnecting {}: send queue exceeded ({} bytes pending, {} {} bytes)",
                peer, pending, which, limit);
        outbound.clear();
        if (handler != null) {
            tellingQueueExceeded = true;
            try {
                handler.onLimitExceeded(LimitKind.SEND_QUEUE, pending, limit);
            } finally {
                tellingQueueExceeded = false;
            }
        }
        close(CloseReason.LIMIT, "send queue exceeded");
    }

    /** Tells the client about a limit, then closes; for limits the server checks from outside. */
    void limitExceeded(LimitKind limit, long figure, long max, String detail) {
        if (closeReason != null) {
            return;
        }
        if (handler != null) {
            handler.onLimitExceeded(limit, figure, max);
        }
        close(limit == LimitKind.IDLE ? CloseReason.IDLE : CloseReason.LIMIT, detail);
    }

    /**
     * Marks the connection for closing; the first reason given wins. Frames still buffered are
     * not delivered. Safe to call from anywhere on the loop thread, even inside a broadcast.
     */
    public void close(CloseReason reason, String detail) {
        if (closeReason != null) {
            return;
        }
        closeReason = reason;
        closeDetail = detail;
        if (input != null) {
            input.discard();
        }
        cancelTimer(); // the detection window's, if it is still open; lingering comes later
        undecided = null;
        socketReadInterest(false);
        server.scheduleReap(this);
    }

    /** Handles readiness: reads before writes, so a reply can leave in the same iteration. */
    @Override
    public void onReady(int readyOps) {
        try {
            if ((readyOps & Poller.READ) != 0 && closeReason == null
                    && inputState() == InputState.READING) {
                read();
            }
            if ((readyOps & Poller.WRITE) != 0 && !closed) {
                flush();
            }
        } catch (RuntimeException e) {
            fault(e);
        }
    }

    private void fault(RuntimeException e) {
        log.warn("closing {} after an unexpected failure", peer, e);
        close(CloseReason.ERROR, e.toString());
    }

    /**
     * One read into the loop's buffer, copied to the loop's byte array for the decoder.
     *
     * @return bytes read, 0 if none were waiting, -1 at end of stream
     */
    private int readChunk() throws IOException {
        ByteBuffer buffer = server.loop().readBuffer();
        buffer.clear();
        int n = readSocket(buffer);
        if (n > 0) {
            buffer.flip();
            buffer.get(server.loop().readBytes(), 0, n);
        }
        return n;
    }

    private void read() {
        int n;
        try {
            n = readChunk();
        } catch (TransportProtocolException e) {
            log.info("closing {}: {}", peer, e.getMessage()); // the transport told the peer why
            endOfInput(CloseReason.PROTOCOL, e.getMessage());
            return;
        } catch (IOException e) {
            if (tlsHandshaking) {
                server.tlsFailure(peer, "failed: " + e.getMessage());
            } else if (e instanceof javax.net.ssl.SSLException || "TLS ended inside a record".equals(e.getMessage())) {
                server.tlsProblem(peer, e.getMessage()); // a record that does not decrypt, or cut short
            }
            // Data that arrived before a reset was read by earlier calls; a line left
            // unfinished by a peer that reset is still delivered, like one ended by a close.
            endOfInput(CloseReason.RESET, e.getMessage());
            return;
        }
        if (transportHasPendingOutput()) {
            server.scheduleFlush(this); // TLS: a handshake message to send
        }
        if (tlsHandshaking) {
            if (n < 0) {
                server.tlsFailure(peer, "ended: the peer closed the connection");
            } else if (!((TlsTransport) transport).handshakeDone()) {
                return;
            } else {
                tlsHandshaking = false;
                cancelTimer();
                log.debug("{} speaks {}", peer, ((TlsTransport) transport).negotiated());
                startDetection(); // of what it speaks inside TLS
            }
        }
        if (n < 0) {
            endOfInput(CloseReason.END_OF_STREAM, null);
            return;
        }
        if (n == 0) {
            return;
        }
        lastInputNanos = nowNanos();
        server.counters.bytesIn += n;
        byte[] bytes = server.loop().readBytes();
        if (input == null) {
            detect(bytes, n);
        } else {
            input.accept(bytes, 0, n);
        }
    }

    private void endOfInput(CloseReason reason, String detail) {
        if (input == null && undecided != null) {
            byte[] seen = undecided; // "hello" and gone: still said, so still delivered
            undecided = null;
            open(ProtocolDetector.decideNow(seen, 0, seen.length));
            if (closeReason == null) {
                input.acceptFinal(seen, 0, seen.length);
            }
        }
        if (input != null) {
            input.end();
        }
        close(reason, detail);
    }

    /** The first bytes, until they say what the connection speaks. */
    private void detect(byte[] bytes, int n) {
        byte[] seen = bytes;
        int length = n;
        if (undecided != null) {
            seen = Arrays.copyOf(undecided, undecided.length + n);
            System.arraycopy(bytes, 0, seen, undecided.length, n);
            length = seen.length;
        }
        DetectedProtocol detected = ProtocolDetector.detect(seen, 0, Math.min(length, ProtocolDetector.MAX_BYTES));
        if (detected == null) {
            undecided = seen == bytes ? Arrays.copyOf(bytes, n) : seen;
            return;
        }
        undecided = null;
        if (startsTls(detected)) {
            startTls(seen == bytes ? Arrays.copyOf(bytes, n) : seen);
            return;
        }
        open(detected);
        if (closeReason == null) {
            input.accept(seen, 0, length);
        }
    }

    /** Whether a connection that said {@code detected} is served over TLS now. */
    private boolean startsTls(DetectedProtocol detected) {
        return detected == DetectedProtocol.TLS && server.tls() != null && !isEncrypted();
    }

    /**
     * A ClientHello on a server with a certificate: TLS goes under the connection, the hello is
     * answered now, and what the connection speaks is detected once the handshake is done, within
     * the handshake timeout. Past the cap on handshakes in progress, the connection is closed.
     */
    private void startTls(byte[] hello) {
        TlsContext tls = server.tls();
        if (!tls.tryStartHandshake()) {
            server.tlsFailure(peer, "refused: " + tls.handshakesInProgress() + " handshakes in progress already");
            close(CloseReason.LIMIT, "too many TLS handshakes in progress");
            return;
        }
        javax.net.ssl.SSLEngine engine;
        try {
            engine = tls.newEngine(peer);
        } catch (RuntimeException e) { // BoringSSL out of native memory, say
            tls.handshakeEnded();
            server.tlsFailure(peer, "no TLS engine: " + e);
            close(CloseReason.ERROR, "no TLS engine");
            return;
        }
        cancelTimer();
        transport = new TlsTransport(layerBase(), engine, tls, server.loop(), hello, this::resumeTls);
        tlsHandshaking = true;
        timer = server.loop().schedule(tls.handshakeTimeoutMillis(), this::tlsHandshakeTimedOut);
        read();
    }

    /** A TLS delegated task is done: go on reading, from what the transport kept. */
    private void resumeTls() {
        if (closeReason == null && inputState() == InputState.READING) {
            read();
        }
    }

    private void tlsHandshakeTimedOut() {
        timer = null;
        if (tlsHandshaking && closeReason == null) {
            server.tlsFailure(peer, "timed out after " + server.tls().handshakeTimeoutMillis() + " ms");
            close(CloseReason.IDLE, "TLS handshake timed out");
        }
    }

    private void detectionWindowClosed() {
        timer = null;
        if (input != null || closeReason != null) {
            return;
        }
        // Bytes may be waiting in the socket that the selector has not reported yet: on a busy
        // loop the window's timer can come before the readiness of a client that spoke in time
        // (1,000 IRC clients connecting at once were taken for native ones). Look first.
        read();
        if (input != null || closeReason != null || tlsHandshaking) {
            return; // decided by what the read found: a dialect, a close, or a ClientHello
        }
        byte[] seen = undecided;
        undecided = null;
        DetectedProtocol detected = seen == null ? DetectedProtocol.NATIVE : ProtocolDetector.decideNow(seen, 0, seen.length);
        if (startsTls(detected)) {
            startTls(seen); // a ClientHello still arriving: the handshake timeout bounds the wait
            return;
        }
        open(detected);
        if (seen != null && closeReason == null) {
            input.accept(seen, 0, seen.length);
        }
    }

    /** The protocol is known: install its framing and its handler, and open the session. */
    private void open(DetectedProtocol detected) {
        boolean refused = server.tlsRequired() && !isEncrypted() && detected != DetectedProtocol.TLS;
        log.debug("{} speaks {}", peer, detected);
        open(refused ? server.plaintextRefusal() : server.dialects().protocolFor(detected),
                refused ? ConnectionCensus.Dialect.OTHER : ConnectionCensus.Dialect.of(detected));
    }

    private void open(Protocol protocol, ConnectionCensus.Dialect census) {
        dialect = (byte) census.ordinal();
        input = new InputFlow(this, protocol.maxLineBytes(), protocol.floodControlled(), nowNanos());
        handler = protocol.newHandler(this);
        handler.onOpen(); // may ask what is left of the window: its timer goes after
        cancelTimer();
    }

    /**
     * Puts another transport over this connection's and hands the connection to another protocol:
     * an HTTP upgrade to a WebSocket. It takes effect once the line being handled returns: input
     * stops after that line, and the bytes that followed it, already read, go to the new transport,
     * as does output still queued (the upgrade's own answer last), sent ahead of anything the new
     * transport frames. The old handler is dropped without {@link ProtocolHandler#onClose}: it has
     * no chat user, and must have cancelled its timers.
     */
    public void upgrade(TransportUpgrade upgrade, Protocol next, ConnectionCensus.Dialect census) {
        if (closeReason != null || input == null) {
            return;
        }
        input.hold();
        server.loop().execute(() -> completeUpgrade(upgrade, next, census));
    }

    private void completeUpgrade(TransportUpgrade upgrade, Protocol next, ConnectionCensus.Dialect census) {
        if (closeReason != null) {
            return;
        }
        byte[] received = input.takeUndecoded();
        input.discard();
        byte[] queued = outbound.takeAll();
        transport = upgrade.over(layerBase(), queued, received);
        open(next, census);
        transport.readInterest(true); // the hold turned it off
        if (transport.hasPendingOutput()) {
            server.scheduleFlush(this);
        }
        read(); // what came early, if anything did, and whatever the socket has
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /**
     * Keeps the closed connection open for at most {@code millis} so it can take what is
     * queued; the flush closes it as soon as that is written.
     */
    void linger(long millis) {
        timer = server.loop().schedule(millis, () -> {
            timer = null;
            log.debug("{} did not take its last {} bytes in time", peer, pendingBytes());
            closeNow();
        });
    }

    /**
     * Handles no more of the client's lines, after the current one, until {@link #releaseInput}:
     * for a dialect that waits for an answer computed off the loop, so that its replies keep the
     * order of the client's requests. Input keeps arriving into the socket, bounded by TCP.
     */
    public void holdInput() {
        if (input != null) {
            input.hold();
        }
    }

    /** Ends {@link #holdInput}: the lines that waited are handled, then reading goes on. */
    public void releaseInput() {
        if (input != null && closeReason == null) {
            input.release();
        }
    }

    /** Housekeeping, about once a second: lets an idle connection give back its queue's ring. */
    void trimOutbound() {
        outbound.trimIfQuiet();
    }

    /** Resumes reading from the socket, or stops it; for the input flow's backpressure. */
    void readInterest(boolean on) {
        socketReadInterest(on);
    }

    /**
     * A write failed because the peer is gone, but what it sent before going may still wait: in
     * the paused input's backlog, or unread in the socket (a client that sends, closes and never
     * reads gets our welcome answered with a reset). Deliver it rather than lose it.
     */
    private void salvageInput() {
        if (closeReason != null || input == null) {
            return;
        }
        InputState state = input.state();
        if (state == InputState.ENDED || state == InputState.CLOSED) {
            return;
        }
        input.beginFinal();
        for (int i = 0; i < MAX_SALVAGE_READS && closeReason == null; i++) {
            int n;
            try {
                n = readChunk();
            } catch (IOException e) {
                break;
            }
            if (n <= 0) {
                break;
            }
            input.acceptFinal(server.loop().readBytes(), 0, n);
        }
        input.end();
    }

    /** Writes what is queued, within the per-iteration budget; called by the server and on OP_WRITE. */
    void flush() {
        if (closed) {
            return;
        }
        try {
            if ((transport == null || transport.flush()) && !outbound.isEmpty()) {
                long written = outbound.writeTo(layerBase(), server.loop().writeBuffer(),
                        server.maxWriteBytesPerIteration());
                if (written > 0) { // per write, not per line: a flush packs many lines into one
                    server.counters.bytesOut += written;
                    server.counters.writes++;
                }
            }
        } catch (IOException e) {
            outbound.clear();
            salvageInput();
            close(CloseReason.RESET, e.getMessage());
            if (reaped) {
                closeNow();
            }
            return;
        }
        // Caught up below the soft limit: a later backlog starts a new grace period.
        if (outbound.pendingBytes() <= server.limits().softPendingBytes()) {
            overSoftLimitSince = 0;
        }
        boolean drained = outbound.isEmpty() && !transportHasPendingOutput();
        setWriteInterest(!drained);
        if (drained && reaped) {
            closeNow(); // a lingering close has sent its last byte
        }
    }

    /** Called by the server at a safe point after {@link #close}; acts once. */
    void onReaped() {
        if (reaped) {
            return; // closeAllNow() reaps at once; the reap list may still hold it
        }
        reaped = true;
        if (handler != null) {
            try {
                handler.onClose(closeReason, closeDetail);
            } catch (RuntimeException e) {
                log.warn("handler of {} failed while closing", peer, e);
            }
        }
        if (log.isDebugEnabled()) {
            log.debug("closing {}: {}{}", peer, closeReason.description(),
                    closeDetail == null ? "" : " (" + closeDetail + ")");
        }
    }

    /** True when the connection should stay a while to send what is queued. */
    boolean shouldLinger() {
        return closeReason.flushFirst() && !outbound.isEmpty() && !closed;
    }

    /** Closes the socket now, dropping whatever is still queued. */
    void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        cancelTimer();
        if (closeReason == null) {
            closeReason = CloseReason.ERROR;
        }
        server.counters.closed[closeReason.ordinal()]++;
        if (closeReason.flushFirst()) {
            drainInput();
        }
        closeSocket();
        outbound.clear();
        if (input != null) {
            input.discard();
        }
        server.onClosed(this);
    }

    /**
     * Reads and drops what the peer sent and we never read: closing a socket with unread input
     * makes the kernel send a reset, which can destroy our last line before the peer reads it.
     */
    private void drainInput() {
        ByteBuffer buffer = server.loop().readBuffer();
        try {
            for (int i = 0; i < 4; i++) {
                buffer.clear();
                if (readSocket(buffer) <= 0) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // The peer is gone already; nothing left to protect.
        }
    }

    private void setWriteInterest(boolean on) {
        // Answered from this object: every flush asks, and sparing the socket's interest set
        // counts per delivery in a large room.
        if (writeInterest != on) {
            writeInterest = on;
            (transport != null ? transport : socket).writeInterest(on);
        }
    }

    // --- the socket, through the transport if there is one, else straight ---

    /** The transport a new layer goes over: the current one, or the plain socket. */
    private Transport layerBase() {
        return transport != null ? transport : socket;
    }

    private int readSocket(ByteBuffer dst) throws IOException {
        return layerBase().read(dst);
    }

    private boolean transportHasPendingOutput() {
        return transport != null && transport.hasPendingOutput();
    }

    private void socketReadInterest(boolean on) {
        layerBase().readInterest(on);
    }

    private void closeSocket() {
        layerBase().close();
    }

    @Override
    public String toString() {
        return "Connection[" + peer + "]";
    }

    /** Output held back, in order, and the holds that have places in it, oldest first. */
    private static final class HeldOutput {
        /** Past this, held bytes go out anyway when no soft limit says otherwise. */
        static final long DEFAULT_MAX_BYTES = 1 << 20;
        final ArrayList<byte[]> lines = new ArrayList<>();
        final ArrayList<Hold> holds = new ArrayList<>(2);
        long bytes;

        boolean fits(byte[] more, long softLimit) {
            return bytes + more.length <= (softLimit > 0 ? softLimit : DEFAULT_MAX_BYTES);
        }
    }

    /** A place in held output, kept for what must go before the output held after it. */
    public static final class Hold {
        private HeldOutput owner;
        /** Where its next bytes go in the held lines. */
        private int position;

        private Hold(HeldOutput owner, int position) {
            this.owner = owner;
            this.position = position;
        }
    }
}
