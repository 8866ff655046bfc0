package chat.server.web;

import static chat.server.web.ClientFrames.concat;
import static chat.server.web.ClientFrames.frame;
import static chat.server.web.ClientFrames.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketFrameDecoderTest {

    private final List<String> events = new ArrayList<>();
    private final WebSocketFrameDecoder.Listener listener = new WebSocketFrameDecoder.Listener() {
        @Override
        public void onPing(byte[] payload) {
            events.add("ping " + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public void onClose(int code, String reason) {
            events.add("close " + code + " " + reason);
        }
    };

    /** Decodes {@code input} in pieces of {@code piece} bytes; returns the lines made. */
    private String decode(WebSocketFrameDecoder decoder, byte[] input, int piece) throws WebSocketException {
        ByteBuffer out = ByteBuffer.allocate(input.length + 1);
        for (int at = 0; at < input.length; at += piece) {
            decoder.decode(ByteBuffer.wrap(input, at, Math.min(piece, input.length - at)), out, listener);
        }
        return new String(out.array(), 0, out.position(), StandardCharsets.UTF_8);
    }

    private String decode(byte[] input) throws WebSocketException {
        return decode(new WebSocketFrameDecoder(10_000), input, input.length);
    }

    @Test
    void eachMessageBecomesOneLine() throws Exception {
        byte[] input = concat(text("NICK ana"), text("USER a 0 * :Ana"), frame(true, WebSocketFrameDecoder.OP_BINARY,
                "JOIN #lobby".getBytes(StandardCharsets.UTF_8)));
        assertThat(decode(input)).isEqualTo("NICK ana\nUSER a 0 * :Ana\nJOIN #lobby\n");
    }

    @Test
    void aMessageThatBringsItsOwnLineEndGetsNoSecond() throws Exception {
        assertThat(decode(concat(text("PING x\r\n"), text("PING y\n")))).isEqualTo("PING x\r\nPING y\n");
    }

    @Test
    void splitAtEveryByteGivesTheSameLines() throws Exception {
        byte[] input = concat(text("PRIVMSG #a :你好 👍🏽"), frame(false, WebSocketFrameDecoder.OP_TEXT, "PRIV".getBytes()),
                frame(true, WebSocketFrameDecoder.OP_PING, "p".getBytes()),
                frame(true, WebSocketFrameDecoder.OP_CONTINUATION, "MSG #a :rest".getBytes()),
                text("x".repeat(300)), text("y".repeat(70_000)));
        String whole = decode(new WebSocketFrameDecoder(100_000), input, input.length);
        for (int piece : new int[] {1, 2, 3, 7, 13}) {
            events.clear();
            assertThat(decode(new WebSocketFrameDecoder(100_000), input, piece)).as("pieces of %d", piece).isEqualTo(whole);
            assertThat(events).containsExactly("ping p");
        }
        assertThat(whole).isEqualTo("PRIVMSG #a :你好 👍🏽\nPRIVMSG #a :rest\n" + "x".repeat(300) + "\n" + "y".repeat(70_000) + "\n");
    }

    @Test
    void emptyFramesEndWhereTheyStand() throws Exception {
        byte[] input = concat(frame(false, WebSocketFrameDecoder.OP_TEXT, "a".getBytes()),
                frame(true, WebSocketFrameDecoder.OP_CONTINUATION, new byte[0]), text(""),
                frame(true, WebSocketFrameDecoder.OP_PING, new byte[0]));
        assertThat(decode(input)).as("an empty message makes no line").isEqualTo("a\n");
        assertThat(events).containsExactly("ping ");
    }

    @Test
    void aCloseFrameSaysItsCodeAndNothingAfterItIsRead() throws Exception {
        assertThat(decode(concat(text("a"), ClientFrames.close(1001, "bye"), text("b")))).isEqualTo("a\n");
        assertThat(events).containsExactly("close 1001 bye");
        events.clear();
        decode(frame(true, WebSocketFrameDecoder.OP_CLOSE, new byte[0]));
        assertThat(events).containsExactly("close " + WebSocketFrameDecoder.NO_STATUS + " ");
    }

    @Test
    void theLineFeedOfAMessageIsOwedWhenTheOutputIsFull() throws Exception {
        WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(100);
        ByteBuffer out = ByteBuffer.allocate(3);
        decoder.decode(ByteBuffer.wrap(text("abc")), out, listener);
        assertThat(out.position()).isEqualTo(3);
        ByteBuffer next = ByteBuffer.allocate(10);
        decoder.decode(ByteBuffer.allocate(0), next, listener);
        assertThat(new String(next.array(), 0, next.position())).isEqualTo("\n");
    }

    private void assertRefused(byte[] input, int code, String words) {
        assertThatThrownBy(() -> decode(new WebSocketFrameDecoder(1000), input, 1))
                .isInstanceOfSatisfying(WebSocketException.class, e -> assertThat(e.closeCode()).isEqualTo(code))
                .hasMessageContaining(words);
    }

    @Test
    void refusesWhatAClientMayNotSend() {
        assertRefused(frame(true, WebSocketFrameDecoder.OP_TEXT, "a".getBytes(), false, 0), 1002, "without a mask");
        assertRefused(frame(true, WebSocketFrameDecoder.OP_TEXT, "a".getBytes(), true, 4), 1002, "reserved bits");
        assertRefused(frame(true, 3, "a".getBytes()), 1002, "reserved opcode 3");
        assertRefused(frame(false, WebSocketFrameDecoder.OP_PING, "a".getBytes()), 1002, "fragmented control");
        assertRefused(frame(true, WebSocketFrameDecoder.OP_PING, new byte[126]), 1002, "at most 125");
        assertRefused(frame(true, WebSocketFrameDecoder.OP_CONTINUATION, "a".getBytes()), 1002, "no message begun");
        assertRefused(concat(frame(false, WebSocketFrameDecoder.OP_TEXT, "a".getBytes()), text("b")), 1002,
                "inside a fragmented");
        assertRefused(ClientFrames.close(1005, ""), 1002, "close code 1005");
        assertRefused(frame(true, WebSocketFrameDecoder.OP_CLOSE, new byte[] {3}), 1002, "one byte");
    }

    @Test
    void refusesTextThatIsNotUtf8AsSoonAsItIsSeen() {
        assertRefused(frame(true, WebSocketFrameDecoder.OP_TEXT, new byte[] {'a', (byte) 0xC0, (byte) 0x80}), 1007, "not UTF-8");
        // A character cut by the end of the message, though each fragment was fine so far.
        assertRefused(frame(true, WebSocketFrameDecoder.OP_TEXT, new byte[] {'a', (byte) 0xE4, (byte) 0xBD}), 1007,
                "inside a character");
        assertRefused(concat(new byte[0], ClientFrames.frame(true, WebSocketFrameDecoder.OP_CLOSE,
                new byte[] {0x03, (byte) 0xE8, (byte) 0xFF})), 1007, "close reason");
    }

    @Test
    void aCharacterSplitAcrossFragmentsIsFine() throws Exception {
        byte[] ni = "你".getBytes(StandardCharsets.UTF_8);
        byte[] input = concat(frame(false, WebSocketFrameDecoder.OP_TEXT, new byte[] {ni[0]}),
                frame(true, WebSocketFrameDecoder.OP_CONTINUATION, new byte[] {ni[1], ni[2]}));
        assertThat(decode(input)).isEqualTo("你\n");
    }

    @Test
    void binaryMessagesAreNotCheckedAsText() throws Exception {
        byte[] gbk = "你好".getBytes(java.nio.charset.Charset.forName("GBK"));
        String decoded = new String(decodeBytes(frame(true, WebSocketFrameDecoder.OP_BINARY, gbk)), 0, gbk.length,
                java.nio.charset.Charset.forName("GBK"));
        assertThat(decoded).isEqualTo("你好");
    }

    private byte[] decodeBytes(byte[] input) throws WebSocketException {
        ByteBuffer out = ByteBuffer.allocate(input.length + 1);
        new WebSocketFrameDecoder(1000).decode(ByteBuffer.wrap(input), out, listener);
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    @Test
    void aMessageOverTheLimitIsRefusedFromItsHeaderAcrossFragments() {
        assertRefused(text("x".repeat(1001)), 1009, "at most 1000");
        assertRefused(concat(frame(false, WebSocketFrameDecoder.OP_TEXT, new byte[600]),
                frame(true, WebSocketFrameDecoder.OP_CONTINUATION, new byte[600])), 1009, "1200 bytes");
    }
}
