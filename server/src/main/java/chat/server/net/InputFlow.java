package chat.server.net;

import chat.common.FrameHandler;
import chat.common.LineFrameDecoder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way in for one connection: bytes read become frames for its {@link ProtocolHandler}, with
 * backpressure that never drops a line, and an explicit {@link InputState}.
 *
 * <p>Flood control: a frame is delivered only if the flood bucket has a token for it. When it has
 * none, the frame is held (put back at the head of the backlog), reading from the socket stops
 * ({@link InputState#FLOOD_PAUSED}) and a timer resumes it when a token is due; so a sender at
 * or under the rate is never paused at all. Fairness: after {@link #MAX_LINES_PER_ITERATION}
 * frames in one iteration, the rest waits for the next iteration
 * ({@link InputState#FAIRNESS_PAUSED}), after the other connections' reads, and the flush in
 * between lets the output those lines caused drain. TCP flow control slows the sender in the
 * meantime, so nothing is lost or reordered.
 *
 * <p>When the peer is gone ({@link #end}, {@link #beginFinal}), what it sent is delivered
 * without pausing, backlog first: there is no socket left to push back on, and a peer that sent
 * and went away has still said what it said.
 *
 * <p>Loop thread only; owned by its {@link Connection}.
 */
final class InputFlow implements FrameHandler {

    private static final Logger log = LoggerFactory.getLogger(InputFlow.class);

    /** Most lines handled for one connection per loop iteration, so one sender cannot hog it. */
    static final int MAX_LINES_PER_ITERATION = 256;

    private final Connection connection;
    /** Cuts incoming bytes into lines; holds an unfinished line between reads. */
    private final LineFrameDecoder decoder;
    /** When the flood bucket is full again ({@link TokenBucket}); the limits give its rate and burst. */
    private long floodFullAt;
    /** Read bytes not yet decoded because input is paused, from {@link #backlogOffset}; or null. */
    private byte[] backlog;
    /** Where the undecoded part of {@link #backlog} starts. */
    private int backlogOffset;
    /** A frame the flood bucket had no token for, while the decode call that found it unwinds. */
    private byte[] heldFrame;
    private InputState state = InputState.READING;
    /**
     * Lines handled since the last read or resume, for {@link #MAX_LINES_PER_ITERATION}; a short
     * because it fits, and with it this object stays within 48 bytes (one per connection).
     */
    private short linesThisTurn;
    /** True once throttling was logged for this connection (logged once). */
    private boolean floodLogged;
    /** False for a protocol whose lines are not chat: no flood control at all. */
    private final boolean floodControlled;
    /** The timer that ends a flood pause; null while none is pending. */
    private EventLoop.Timer floodResume;

    /** @param floodControlled false for a protocol whose lines are not chat (an HTTP request's headers) */
    InputFlow(Connection connection, int maxLineBytes, boolean floodControlled, long nowNanos) {
        this.connection = connection;
        this.decoder = new LineFrameDecoder(maxLineBytes);
        this.floodControlled = floodControlled;
        this.floodFullAt = TokenBucket.full(nowNanos);
    }

    InputState state() {
        return state;
    }

    /** Bytes read but not yet decoded. */
    int backlogBytes() {
        return backlog == null ? 0 : backlog.length - backlogOffset;
    }

    /**
     * The bytes read and not yet decoded, for a connection that changes framing (an upgrade), with
     * input held after the last line of the old framing; the decoder holds none of its own then,
     * since that line ended with its line feed.
     */
    byte[] takeUndecoded() {
        byte[] rest = backlog == null ? new byte[0] : Arrays.copyOfRange(backlog, backlogOffset, backlog.length);
        backlog = null;
        return rest;
    }

    /** Bytes just read from the socket: a new turn for fairness. */
    void accept(byte[] bytes, int offset, int length) {
        linesThisTurn = 0;
        decodeOrKeep(bytes, offset, length);
    }

    /**
     * The peer is gone: from now on nothing pauses, and the backlog is delivered at once. The
     * caller may then pass the socket's last bytes to {@link #acceptFinal}, and calls
     * {@link #end} after them.
     */
    void beginFinal() {
        if (state == InputState.ENDED || state == InputState.CLOSED) {
            return;
        }
        cancelFloodResume();
        state = InputState.ENDED;
        if (backlog != null) {
            byte[] rest = backlog;
            int from = backlogOffset;
            backlog = null;
            decoder.decode(rest, from, rest.length - from, this);
        }
    }

    /** The last bytes of a peer that is gone, after {@link #beginFinal}: decoded with no pausing. */
    void acceptFinal(byte[] bytes, int offset, int length) {
        beginFinal();
        decoder.decode(bytes, offset, length, this);
    }

    /** Input is over: the backlog and a trailing line without its newline are still delivered. */
    void end() {
        if (state == InputState.CLOSED) {
            return;
        }
        beginFinal();
        decoder.finish(this);
    }

    /** The connection is closing: forget what was not decoded. */
    void discard() {
        state = InputState.CLOSED;
        backlog = null;
        heldFrame = null;
        cancelFloodResume();
    }

    /**
     * Stops handling input after the current line until {@link #release}: the dialect waits for
     * an answer from off the loop. What comes meanwhile waits in the backlog and the socket.
     */
    void hold() {
        if (state == InputState.READING) {
            pause(InputState.HELD);
        }
    }

    /** The answer is in: input goes on, backlog first. */
    void release() {
        if (state == InputState.HELD) {
            state = InputState.FAIRNESS_PAUSED; // resumed as after a fairness pause
            resume();
        }
    }

    /** Goes on after a pause: the backlog first, then the socket. */
    void resume() {
        if (!state.isPaused() || state == InputState.HELD) {
            return; // a hold ends only by release()
        }
        floodResume = null;
        if (floodLimited() && !TokenBucket.hasToken(floodFullAt, connection.nowNanos(), limits().floodRate(),
                limits().floodBurst())) {
            state = InputState.FLOOD_PAUSED; // a fairness pause found the bucket empty meanwhile
            scheduleFloodResume();
            return;
        }
        state = InputState.READING;
        linesThisTurn = 0;
        connection.inputConsumed();
        if (backlog != null) {
            decodeOrKeep(backlog, backlogOffset, backlog.length - backlogOffset);
        }
        if (state == InputState.READING) {
            connection.readInterest(true);
        }
    }

    /** Decodes {@code bytes}; what a pause leaves undecoded becomes the backlog. */
    private void decodeOrKeep(byte[] bytes, int offset, int length) {
        int consumed = decoder.decode(bytes, offset, length, this);
        if (bytes == backlog && (!state.isPaused() || consumed == length)) {
            backlog = null; // all of it went through
        }
        if (!state.isPaused()) {
            return;
        }
        int restFrom = offset + consumed;
        int restLength = length - consumed;
        if (heldFrame != null) {
            // The frame that found no token goes back in front of the rest, LF restored.
            byte[] joined = new byte[heldFrame.length + 1 + restLength];
            System.arraycopy(heldFrame, 0, joined, 0, heldFrame.length);
            joined[heldFrame.length] = '\n';
            System.arraycopy(bytes, restFrom, joined, heldFrame.length + 1, restLength);
            heldFrame = null;
            backlog = joined;
            backlogOffset = 0;
        } else if (restLength > 0) {
            if (bytes == backlog) {
                backlogOffset = restFrom; // still the same array: move on, copy nothing
            } else {
                backlog = Arrays.copyOfRange(bytes, restFrom, offset + length);
                backlogOffset = 0;
            }
        }
    }

    @Override
    public void onFrame(byte[] bytes, int offset, int length) {
        if (state == InputState.CLOSED || !connection.isOpen()) {
            return; // closing: what is still buffered is not delivered
        }
        if (state == InputState.READING && floodLimited()) {
            long now = connection.nowNanos();
            Limits limits = limits();
            if (!TokenBucket.hasToken(floodFullAt, now, limits.floodRate(), limits.floodBurst())) {
                heldFrame = Arrays.copyOfRange(bytes, offset, offset + length);
                floodPause();
                return;
            }
            floodFullAt = TokenBucket.take(floodFullAt, now, limits.floodRate());
        }
        connection.server().counters.linesIn++;
        connection.handler().onFrame(bytes, offset, length);
        if (state != InputState.READING || !connection.isOpen()) {
            return; // at end of input there is nothing to pause: deliver all that came
        }
        if (++linesThisTurn >= MAX_LINES_PER_ITERATION) {
            pause(InputState.FAIRNESS_PAUSED);
            connection.server().loop().execute(this::resume); // the next iteration, after the others
        }
    }

    @Override
    public void onFrameTooLong(long lengthSeen, int maxLength) {
        if (state != InputState.CLOSED && connection.isOpen()) {
            log.info("line too long from {}: {} bytes or more, limit {}; discarded",
                    connection.peer(), lengthSeen, maxLength);
            connection.handler().onFrameTooLong(lengthSeen, maxLength);
        }
    }

    private Limits limits() {
        return connection.server().limits();
    }

    /** True when this connection's lines are under flood control now (a reload may turn it on or off). */
    private boolean floodLimited() {
        return floodControlled && limits().floodRate() > 0;
    }

    private void floodPause() {
        if (!floodLogged) {
            floodLogged = true;
            Limits limits = connection.server().limits();
            log.info("throttling {}: over {} lines/s (burst {}); reading paused, nothing dropped",
                    connection.peer(), limits.floodRate(), limits.floodBurst());
        }
        connection.server().countFloodPause();
        pause(InputState.FLOOD_PAUSED);
        scheduleFloodResume();
    }

    private void pause(InputState why) {
        state = why;
        decoder.pause();
        connection.readInterest(false);
    }

    private void scheduleFloodResume() {
        long waitNanos = floodLimited() ? TokenBucket.nanosUntilNextToken(floodFullAt, connection.nowNanos(),
                limits().floodRate(), limits().floodBurst()) : 0;
        long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
        floodResume = connection.server().loop().schedule(waitMillis, this::resume);
    }

    private void cancelFloodResume() {
        if (floodResume != null) {
            floodResume.cancel();
            floodResume = null;
        }
    }
}
