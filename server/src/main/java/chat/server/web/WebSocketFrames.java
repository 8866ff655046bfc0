package chat.server.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes the frames a WebSocket server sends (RFC 6455, section 5.2): always final, never
 * masked (only clients mask), with the shortest length form.
 */
final class WebSocketFrames {

    /** Most bytes a server frame header takes: two, and eight of extended length. */
    static final int MAX_HEADER_BYTES = 10;

    private WebSocketFrames() {
    }

    /** Writes the header of a final frame of {@code opcode} carrying {@code length} bytes. */
    static void putHeader(ByteBuffer out, int opcode, long length) {
        out.put((byte) (0x80 | opcode));
        if (length < 126) {
            out.put((byte) length);
        } else if (length <= 0xFFFF) {
            out.put((byte) 126);
            out.putShort((short) length);
        } else {
            out.put((byte) 127);
            out.putLong(length);
        }
    }

    /** How many header bytes a frame of {@code length} bytes takes. */
    static int headerBytes(long length) {
        return length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    }

    /** A whole frame, for control frames: pong, close. */
    static byte[] frame(int opcode, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(headerBytes(payload.length) + payload.length);
        putHeader(out, opcode, payload.length);
        out.put(payload);
        return out.array();
    }

    /**
     * A close frame with {@code code} and a reason, cut to fit the 125 bytes a control frame may
     * carry (at a character's start, so it stays UTF-8); {@link WebSocketFrameDecoder#NO_STATUS}
     * gives an empty close frame, the echo of one that carried no code.
     */
    static byte[] close(int code, String reason) {
        if (code == WebSocketFrameDecoder.NO_STATUS) {
            return frame(WebSocketFrameDecoder.OP_CLOSE, new byte[0]);
        }
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, WebSocketFrameDecoder.MAX_CONTROL_PAYLOAD - 2);
        while (length < text.length && length > 0 && (text[length] & 0xC0) == 0x80) {
            length--;
        }
        byte[] payload = new byte[2 + length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, length);
        return frame(WebSocketFrameDecoder.OP_CLOSE, payload);
    }
}
