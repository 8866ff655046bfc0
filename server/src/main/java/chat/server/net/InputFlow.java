package chat.server.net;

import chat.common.FrameHandler;
import chat.common.LineFrameDecoder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way in for one connection: bytes read become frames for its {@link ProtocolHandler}, with
 * backpressure that never drops a line.
 *
 * <p>After each frame it takes a token from the flood bucket and counts the connection's share
 * of the loop iteration. When either runs out, the decoder pauses right after that frame, the
 * bytes not yet decoded become the backlog, and reading from the socket stops; a timer (flood) or
 * the next iteration (fairness) resumes it, backlog first. TCP flow control slows the sender in
 * the meantime, so nothing is lost or reordered.
 *
 * <p>Loop thread only; owned by its {@link Connection}.
 */
final class InputFlow implements FrameHandler {

    private static final Logger log = LoggerFactory.getLogger(InputFlow.class);

    /** Most lines handled for one connection per loop iteration, so one sender cannot hog it. */
    static final int MAX_LINES_PER_ITERATION = 256;

    private final Connection connection;
    private final Limits limits;
    /** Cuts incoming bytes into lines; holds an unfinished line between reads. */
    private final LineFrameDecoder decoder;
    /** Flood control; null when the flood limit is off. */
    private final TokenBucket floodBucket;
    /** Read bytes not yet decoded because input is paused; null when there are none. */
    private byte[] backlog;
    /** True while input is paused; a timer or a task resumes it. */
    private boolean paused;
    /** Lines handled since the last read or resume, for {@link #MAX_LINES_PER_ITERATION}. */
    private int linesThisTurn;
    /** True once throttling was logged for this connection (logged once). */
    private boolean floodLogged;
    /** True once input has ended (end of stream, reset, or a dead peer's last bytes). */
    private boolean ended;

    InputFlow(Connection connection, Limits limits, long nowNanos) {
        this.connection = connection;
        this.limits = limits;
        this.decoder = new LineFrameDecoder(limits.maxLineBytes());
        this.floodBucket = limits.floodRate() > 0
                ? new TokenBucket(limits.floodRate(), limits.floodBurst(), nowNanos) : null;
    }

    boolean isPaused() {
        return paused;
    }

    boolean hasEnded() {
        return ended;
    }

    /** Bytes just read from the socket: a new turn for fairness. */
    void accept(byte[] bytes, int offset, int length) {
        linesThisTurn = 0;
        decodeOrKeep(bytes, offset, length);
    }

    /**
     * The last bytes of a peer that is gone: decoded with no pausing, since there is no socket
     * left to push back on. Call {@link #end} after the last of them.
     */
    void acceptFinal(byte[] bytes, int offset, int length) {
        ended = true;
        decoder.decode(bytes, offset, length, this);
    }

    /** Input is over: a trailing line without its newline is still delivered. */
    void end() {
        ended = true;
        decoder.finish(this);
    }

    /** The connection is closing: forget what was not decoded. */
    void discard() {
        backlog = null;
    }

    /** Goes on after a pause: the backlog first, then the socket. */
    void resume() {
        if (!connection.isOpen() || !paused) {
            return;
        }
        if (floodBucket != null && !floodBucket.hasToken(System.nanoTime())) {
            scheduleFloodResume();
            return;
        }
        paused = false;
        linesThisTurn = 0;
        if (backlog != null) {
            byte[] rest = backlog;
            backlog = null;
            decodeOrKeep(rest, 0, rest.length);
        }
        if (!paused && connection.isOpen() && !ended) {
            connection.readInterest(true);
        }
    }

    private void decodeOrKeep(byte[] bytes, int offset, int length) {
        int consumed = decoder.decode(bytes, offset, length, this);
        if (consumed < length && connection.isOpen()) {
            backlog = Arrays.copyOfRange(bytes, offset + consumed, offset + length);
        }
    }

    @Override
    public void onFrame(byte[] bytes, int offset, int length) {
        if (!connection.isOpen()) {
            return; // closing: what is still buffered is not delivered
        }
        connection.handler().onFrame(bytes, offset, length);
        if (!connection.isOpen() || ended) {
            return; // at end of input there is nothing to pause: deliver all that came
        }
        if (floodBucket != null && !floodBucket.take(System.nanoTime())) {
            if (!floodLogged) {
                floodLogged = true;
                log.info("throttling {}: over {} lines/s (burst {}); reading paused, nothing dropped",
                        connection.peer(), limits.floodRate(), limits.floodBurst());
            }
            connection.server().countFloodPause();
            pause();
            scheduleFloodResume();
        } else if (++linesThisTurn >= MAX_LINES_PER_ITERATION) {
            pause();
            connection.server().loop().execute(this::resume); // next iteration
        }
    }

    @Override
    public void onFrameTooLong(long lengthSeen, int maxLength) {
        if (connection.isOpen()) {
            log.info("line too long from {}: {} bytes or more, limit {}; discarded",
                    connection.peer(), lengthSeen, maxLength);
            connection.handler().onFrameTooLong(lengthSeen, maxLength);
        }
    }

    private void pause() {
        paused = true;
        decoder.pause();
        connection.readInterest(false);
    }

    private void scheduleFloodResume() {
        long waitNanos = floodBucket.nanosUntilNextToken(System.nanoTime());
        connection.server().loop().schedule(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos) + 1), this::resume);
    }
}
