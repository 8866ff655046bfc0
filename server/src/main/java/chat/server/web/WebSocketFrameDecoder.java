package chat.server.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the frames a WebSocket client sends (RFC 6455, section 5) and turns its data messages
 * into lines: the unmasked payload goes to the output as it arrives (nothing is buffered, however
 * large the frame), and the end of each message becomes a line feed, unless the payload already
 * ended with one, so that the line decoder behind sees one line per message, as the IRCv3
 * WebSocket specification has it. Control frames go to a {@link Listener}.
 *
 * <p>Everything the RFC makes the server refuse is refused, with the close code it names:
 * unmasked frames, reserved bits or opcodes, fragmented or long control frames, a continuation
 * with no message begun or a new message inside one (1002); text that is not UTF-8 (1007), checked
 * as it arrives; a message over the maximum size (1009). No extension is negotiated, so reserved
 * bits are always an error.
 *
 * <p>Output is never larger than the input consumed in the same call plus one byte (a message
 * end whose frame header came earlier), which lets a caller bound its reads by the room it has.
 *
 * <p>Knows no socket; one per connection; not thread-safe.
 */
final class WebSocketFrameDecoder {

    static final int OP_CONTINUATION = 0x0;
    static final int OP_TEXT = 0x1;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;
    /** Longest payload of a control frame. */
    static final int MAX_CONTROL_PAYLOAD = 125;
    /** Close code for a close frame that carried none. */
    static final int NO_STATUS = 1005;

    /** What control frames say. */
    interface Listener {
        void onPing(byte[] payload);

        /** A close frame: {@code code} is {@link #NO_STATUS} when it carried none. */
        void onClose(int code, String reason);
    }

    private final long maxMessageBytes;
    private final Utf8Validator utf8 = new Utf8Validator();
    /** The frame header so far: 2 to 14 bytes. */
    private final byte[] header = new byte[14];
    private int headerLength;
    /** True while a frame's payload is being read; the header fields below describe it. */
    private boolean inPayload;
    private int opcode;
    private boolean fin;
    private long payloadLeft;
    private final byte[] mask = new byte[4];
    /** Payload bytes of this frame read so far, for the mask's position. */
    private long payloadRead;
    /** A control frame's payload, collected whole; null outside one. */
    private byte[] control;
    /** The data message under way: its opcode, 0 between messages. */
    private int messageOpcode;
    private long messageBytes;
    /** The last payload byte of the message so far, to tell whether it ended its own line. */
    private int lastByte = '\n';
    /** A message ended while the output had no room for its line feed: written first next time. */
    private boolean lineFeedOwed;
    /** True once a close frame was read: nothing after it is looked at. */
    private boolean closed;

    WebSocketFrameDecoder(long maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** True when a frame was begun and not finished: input that ends here ends inside a frame. */
    boolean insideFrame() {
        return headerLength > 0 || inPayload;
    }

    /**
     * Decodes all of {@code in}: data payload into {@code out}, control frames to {@code listener}.
     *
     * @throws WebSocketException the client broke the protocol; nothing more should be decoded
     */
    void decode(ByteBuffer in, ByteBuffer out, Listener listener) throws WebSocketException {
        if (lineFeedOwed && out.hasRemaining()) {
            out.put((byte) '\n');
            lineFeedOwed = false;
        }
        while (in.hasRemaining() && !closed) {
            if (!inPayload) {
                readHeader(in);
                if (inPayload && payloadLeft == 0) {
                    endFrame(out, listener); // an empty frame has nothing more to wait for
                }
                continue;
            }
            int n = (int) Math.min(in.remaining(), payloadLeft);
            if (control != null) {
                for (int i = 0; i < n; i++) {
                    control[(int) payloadRead] = unmask(in.get());
                }
            } else {
                int room = Math.min(n, out.remaining());
                if (room < n) {
                    n = room; // the caller bounds its reads, so this only stops a careless one
                }
                for (int i = 0; i < n; i++) {
                    byte b = unmask(in.get());
                    if (messageOpcode == OP_TEXT && !utf8.accept(b)) {
                        throw new WebSocketException(WebSocketException.INVALID_DATA, "a text message that is not UTF-8");
                    }
                    out.put(b);
                    lastByte = b;
                }
                if (n == 0) {
                    return;
                }
            }
            payloadLeft -= n;
            if (payloadLeft == 0) {
                endFrame(out, listener);
            }
        }
    }

    private byte unmask(byte b) {
        return (byte) (b ^ mask[(int) (payloadRead++ & 3)]);
    }

    /** Takes header bytes; once the header is whole, checks it and starts its payload. */
    private void readHeader(ByteBuffer in) throws WebSocketException {
        header[headerLength++] = in.get();
        if (headerLength == 2) {
            // Refused as soon as seen: an unmasked frame's header is shorter than the one awaited.
            if ((header[0] & 0x70) != 0) {
                throw protocolError("reserved bits set, and no extension was agreed");
            }
            if ((header[1] & 0x80) == 0) {
                throw protocolError("a client frame without a mask");
            }
        }
        if (headerLength < 2 || headerLength < headerSize()) {
            return;
        }
        int first = header[0] & 0xFF;
        int second = header[1] & 0xFF;
        fin = (first & 0x80) != 0;
        opcode = first & 0x0F;
        int length7 = second & 0x7F;
        long length;
        int at = 2;
        if (length7 == 126) {
            length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            at = 4;
        } else if (length7 == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xFF);
            }
            if (length < 0) {
                throw protocolError("a frame length over 2^63");
            }
            at = 10;
        } else {
            length = length7;
        }
        System.arraycopy(header, at, mask, 0, 4);
        headerLength = 0;
        startFrame(length);
    }

    /** How long this header is, known from its first two bytes. */
    private int headerSize() {
        int length7 = header[1] & 0x7F;
        return 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + 4;
    }

    private void startFrame(long length) throws WebSocketException {
        switch (opcode) {
            case OP_CLOSE, OP_PING, OP_PONG -> {
                if (!fin) {
                    throw protocolError("a fragmented control frame");
                }
                if (length > MAX_CONTROL_PAYLOAD) {
                    throw protocolError("a control frame of " + length + " bytes (at most 125)");
                }
                control = new byte[(int) length];
            }
            case OP_TEXT, OP_BINARY -> {
                if (messageOpcode != 0) {
                    throw protocolError("a new message inside a fragmented one");
                }
                messageOpcode = opcode;
                messageBytes = 0;
                utf8.reset();
            }
            case OP_CONTINUATION -> {
                if (messageOpcode == 0) {
                    throw protocolError("a continuation frame with no message begun");
                }
            }
            default -> throw protocolError("reserved opcode " + opcode);
        }
        if (control == null) {
            messageBytes += length;
            if (messageBytes > maxMessageBytes) {
                throw new WebSocketException(WebSocketException.TOO_BIG,
                        "a message of " + messageBytes + " bytes or more (at most " + maxMessageBytes + ")");
            }
        }
        inPayload = true;
        payloadLeft = length;
        payloadRead = 0;
    }

    private void endFrame(ByteBuffer out, Listener listener) throws WebSocketException {
        inPayload = false;
        if (control != null) {
            byte[] payload = control;
            control = null;
            endControlFrame(payload, listener);
            return;
        }
        if (!fin) {
            return;
        }
        if (messageOpcode == OP_TEXT && !utf8.atBoundary()) {
            throw new WebSocketException(WebSocketException.INVALID_DATA, "a text message that ends inside a character");
        }
        messageOpcode = 0;
        if (messageBytes > 0 && lastByte != '\n') {
            if (out.hasRemaining()) {
                out.put((byte) '\n');
            } else {
                lineFeedOwed = true;
            }
        }
        lastByte = '\n';
    }

    private void endControlFrame(byte[] payload, Listener listener) throws WebSocketException {
        switch (opcode) {
            case OP_PING -> listener.onPing(payload);
            case OP_PONG -> { } // an answer to nothing we asked, or a heartbeat: either way, fine
            default -> {
                closed = true;
                listener.onClose(closeCode(payload), closeReason(payload));
            }
        }
    }

    private static int closeCode(byte[] payload) throws WebSocketException {
        if (payload.length == 0) {
            return NO_STATUS;
        }
        if (payload.length == 1) {
            throw protocolError("a close frame of one byte");
        }
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        boolean valid = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
        if (!valid) {
            throw protocolError("close code " + code + ", which may not be sent");
        }
        return code;
    }

    private static String closeReason(byte[] payload) throws WebSocketException {
        if (payload.length <= 2) {
            return "";
        }
        Utf8Validator check = new Utf8Validator();
        for (int i = 2; i < payload.length; i++) {
            if (!check.accept(payload[i])) {
                throw new WebSocketException(WebSocketException.INVALID_DATA, "a close reason that is not UTF-8");
            }
        }
        if (!check.atBoundary()) {
            throw new WebSocketException(WebSocketException.INVALID_DATA, "a close reason that is not UTF-8");
        }
        return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }

    private static WebSocketException protocolError(String what) {
        return new WebSocketException(WebSocketException.PROTOCOL_ERROR, what);
    }
}
