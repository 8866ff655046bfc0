package chat.server.net;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A dialect that records what its handlers are told: the frames as text, limits, closes. Echoes
 * nothing unless a test sends through the connection itself.
 */
public final class RecordingProtocol implements Protocol {

    /** What one connection's handler saw. */
    public final class Handler implements ProtocolHandler {
        public final Connection connection;
        public final List<String> frames = new ArrayList<>();
        public final List<String> events = new ArrayList<>();
        public boolean opened;
        public CloseReason closedFor;

        Handler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void onOpen() {
            RecordingProtocol.this.onOpen.accept(connection);
            opened = true;
        }

        @Override
        public void onFrame(byte[] bytes, int offset, int length) {
            String frame = new String(bytes, offset, length, StandardCharsets.UTF_8);
            frames.add(frame);
            reaction.accept(this, frame);
        }

        @Override
        public void onFrameTooLong(long lengthSeen, int maxLength) {
            events.add("too long " + lengthSeen + "/" + maxLength);
        }

        @Override
        public void onLimitExceeded(LimitKind limit, long figure, long max) {
            events.add("limit " + limit + " " + figure + "/" + max);
            connection.send(("limit " + limit + "\n").getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void onClose(CloseReason reason, String detail) {
            closedFor = reason;
            events.add("closed " + reason);
        }
    }

    public final List<Handler> handlers = new ArrayList<>();
    /** What a handler does after recording a frame, for tests of replies; nothing by default. */
    public BiConsumer<Handler, String> reaction = (handler, frame) -> { };
    /** Runs in each handler's onOpen, with its connection: for what a dialect asks there. */
    public java.util.function.Consumer<Connection> onOpen = connection -> { };
    private final int maxLineBytes;

    public RecordingProtocol(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public ProtocolHandler newHandler(Connection connection) {
        Handler handler = new Handler(connection);
        handlers.add(handler);
        return handler;
    }

    @Override
    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** The handler of the connection opened last. */
    public Handler last() {
        return handlers.get(handlers.size() - 1);
    }
}
