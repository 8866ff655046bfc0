package chat.server.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Frames as a WebSocket client sends them (masked), for tests; the mask is fixed so failures repeat. */
public final class ClientFrames {

    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private ClientFrames() {
    }

    public static byte[] text(String payload) {
        return frame(true, WebSocketFrameDecoder.OP_TEXT, payload.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] frame(boolean fin, int opcode, byte[] payload) {
        return frame(fin, opcode, payload, true, 0);
    }

    /** Any frame, including those a client may not send: unmasked, reserved bits set. */
    public static byte[] frame(boolean fin, int opcode, byte[] payload, boolean masked, int reservedBits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (reservedBits << 4) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xFF);
        } else {
            out.write(maskBit | 127);
            out.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        if (masked) {
            out.writeBytes(MASK);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ MASK[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    public static byte[] close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return frame(true, WebSocketFrameDecoder.OP_CLOSE, payload);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A server frame's opcode and payload, parsed from what the server wrote. */
    public record ServerFrame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    /** Parses unmasked server frames; fails on a masked one or a fragment (the server sends neither). */
    public static java.util.List<ServerFrame> parseServerFrames(byte[] bytes) {
        java.util.List<ServerFrame> frames = new java.util.ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        while (in.hasRemaining()) {
            int first = in.get() & 0xFF;
            int second = in.get() & 0xFF;
            if ((first & 0x80) == 0 || (second & 0x80) != 0) {
                throw new AssertionError("server frames are final and unmasked");
            }
            long length = second & 0x7F;
            if (length == 126) {
                length = in.getShort() & 0xFFFF;
            } else if (length == 127) {
                length = in.getLong();
            }
            byte[] payload = new byte[(int) length];
            in.get(payload);
            frames.add(new ServerFrame(first & 0x0F, payload));
        }
        return frames;
    }
}
