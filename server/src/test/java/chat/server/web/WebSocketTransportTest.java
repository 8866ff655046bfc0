package chat.server.web;

import static chat.server.web.ClientFrames.concat;
import static chat.server.web.ClientFrames.parseServerFrames;
import static chat.server.web.ClientFrames.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.server.net.ScriptedTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketTransportTest {

    private static final byte[] HANDSHAKE = "HTTP/1.1 101 Switching Protocols\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ScriptedTransport socket = new ScriptedTransport();
    private final WebSocketBuffers buffers = new WebSocketBuffers();

    private WebSocketTransport transport(byte[] received, boolean binary) {
        return new WebSocketTransport(socket, buffers, HANDSHAKE, received, binary, 1000);
    }

    private static String read(WebSocketTransport ws) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(64 * 1024);
        int n = ws.read(dst);
        return n <= 0 ? "<" + n + ">" : new String(dst.array(), 0, n, StandardCharsets.UTF_8);
    }

    /** Everything written after the handshake, as frames. */
    private List<ClientFrames.ServerFrame> framesWritten() {
        byte[] all = socket.written.toByteArray();
        assertThat(new String(all, 0, HANDSHAKE.length, StandardCharsets.US_ASCII)).isEqualTo(new String(HANDSHAKE,
                StandardCharsets.US_ASCII));
        return parseServerFrames(java.util.Arrays.copyOfRange(all, HANDSHAKE.length, all.length));
    }

    private static ByteBuffer direct(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
        b.put(bytes).flip();
        return b;
    }

    @Test
    void bytesReceivedBeforeTheUpgradeAreReadFirst() throws Exception {
        socket.chunk(text("USER a 0 * :A"));
        WebSocketTransport ws = transport(text("NICK a"), false);
        assertThat(read(ws)).isEqualTo("NICK a\nUSER a 0 * :A\n");
        assertThat(read(ws)).isEqualTo("<0>");
    }

    @Test
    void theHandshakeGoesFirstThenEachLineIsOneMessageWithoutItsLineEnd() throws Exception {
        WebSocketTransport ws = transport(new byte[0], false);
        ByteBuffer src = direct(":srv 001 a :Welcome\r\n:a JOIN #lobby\r\n\r\nbare\n");
        assertThat(ws.write(src)).isEqualTo(src.limit());
        assertThat(framesWritten()).extracting(ClientFrames.ServerFrame::opcode, ClientFrames.ServerFrame::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, ":srv 001 a :Welcome"),
                        org.assertj.core.groups.Tuple.tuple(1, ":a JOIN #lobby"), org.assertj.core.groups.Tuple.tuple(1, "bare"));
    }

    @Test
    void binaryFramesWhenTheSubprotocolAskedForThem() throws Exception {
        WebSocketTransport ws = transport(new byte[0], true);
        ws.write(direct("PING x\r\n"));
        assertThat(framesWritten()).singleElement().satisfies(f -> {
            assertThat(f.opcode()).isEqualTo(WebSocketFrameDecoder.OP_BINARY);
            assertThat(f.text()).isEqualTo("PING x");
        });
    }

    @Test
    void aLineCutBetweenWritesIsKeptUntilItsEndComes() throws Exception {
        WebSocketTransport ws = transport(new byte[0], false);
        ByteBuffer first = direct("one\r\ntw");
        assertThat(ws.write(first)).as("the start of a line is taken and kept").isEqualTo(7);
        assertThat(ws.hasPendingOutput()).isFalse();
        ws.write(direct("o\r"));
        ws.write(direct("\nthree\r\n"));
        assertThat(framesWritten()).extracting(ClientFrames.ServerFrame::text).containsExactly("one", "two", "three");
    }

    @Test
    void framesTheSocketDoesNotTakeWaitAndGoFirst() throws Exception {
        socket.perWrite = 10;
        WebSocketTransport ws = transport(new byte[0], false);
        assertThat(ws.hasPendingOutput()).as("the handshake waits").isTrue();
        assertThat(ws.write(direct("hello\r\n"))).as("nothing framed while the handshake waits").isZero();
        socket.perWrite = Integer.MAX_VALUE;
        assertThat(ws.flush()).isTrue();
        assertThat(ws.write(direct("hello\r\n"))).isEqualTo(7);
        socket.perWrite = 3;
        assertThat(ws.write(direct("world\r\n"))).as("framed and kept: consumed").isEqualTo(7);
        assertThat(ws.hasPendingOutput()).isTrue();
        socket.perWrite = Integer.MAX_VALUE;
        assertThat(ws.flush()).isTrue();
        assertThat(framesWritten()).extracting(ClientFrames.ServerFrame::text).containsExactly("hello", "world");
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingItsPayload() throws Exception {
        socket.chunk(concat(ClientFrames.frame(true, WebSocketFrameDecoder.OP_PING, "abc".getBytes()), text("x")));
        WebSocketTransport ws = transport(new byte[0], false);
        assertThat(read(ws)).isEqualTo("x\n");
        assertThat(ws.hasPendingOutput()).as("the pong waits behind the handshake").isTrue();
        assertThat(ws.flush()).isTrue();
        assertThat(framesWritten()).singleElement().satisfies(f -> {
            assertThat(f.opcode()).isEqualTo(WebSocketFrameDecoder.OP_PONG);
            assertThat(f.text()).isEqualTo("abc");
        });
    }

    @Test
    void theClientsCloseIsEchoedAndEndsInputAfterWhatCameBeforeIt() throws Exception {
        socket.chunk(concat(text("QUIT :bye"), ClientFrames.close(1001, "going away")));
        WebSocketTransport ws = transport(new byte[0], false);
        assertThat(read(ws)).isEqualTo("QUIT :bye\n");
        assertThat(read(ws)).isEqualTo("<-1>");
        ws.flush();
        assertThat(framesWritten()).singleElement().satisfies(f -> {
            assertThat(f.opcode()).isEqualTo(WebSocketFrameDecoder.OP_CLOSE);
            assertThat(f.closeCode()).isEqualTo(1001);
        });
        assertThatThrownBy(() -> ws.write(direct("late\r\n"))).isInstanceOf(IOException.class);
        ws.close();
        assertThat(framesWritten()).as("no second close").hasSize(1);
        assertThat(socket.closed).isTrue();
    }

    @Test
    void aProtocolErrorSendsTheCloseCodeThatSaysWhy() {
        socket.chunk(ClientFrames.frame(true, WebSocketFrameDecoder.OP_TEXT, "a".getBytes(), false, 0));
        WebSocketTransport ws = transport(new byte[0], false);
        assertThatThrownBy(() -> read(ws)).isInstanceOf(WebSocketException.class).hasMessageContaining("without a mask");
        assertThat(socket.written.size()).as("the handshake went first, then the close").isGreaterThan(HANDSHAKE.length);
        assertThat(framesWritten()).singleElement().satisfies(f -> {
            assertThat(f.opcode()).isEqualTo(WebSocketFrameDecoder.OP_CLOSE);
            assertThat(f.closeCode()).isEqualTo(1002);
        });
    }

    @Test
    void closingFromThisSideSaysNormalClosure() throws Exception {
        WebSocketTransport ws = transport(new byte[0], false);
        ws.flush();
        ws.close();
        assertThat(framesWritten()).singleElement().satisfies(f -> assertThat(f.closeCode()).isEqualTo(1000));
        assertThat(socket.closed).isTrue();
    }

    @Test
    void theEndOfTheStreamInsideAFrameIsAnError() throws Exception {
        byte[] frame = text("NICK a");
        socket.chunk(java.util.Arrays.copyOf(frame, 4)).end();
        WebSocketTransport ws = transport(new byte[0], false);
        assertThat(read(ws)).isEqualTo("<0>");
        assertThatThrownBy(() -> read(ws)).isInstanceOf(IOException.class).hasMessageContaining("inside a frame");
    }

    @Test
    void aCleanEndOfTheStreamIsTheEnd() throws Exception {
        socket.chunk(text("a")).end();
        WebSocketTransport ws = transport(new byte[0], false);
        assertThat(read(ws)).isEqualTo("a\n");
        assertThat(read(ws)).isEqualTo("<-1>");
    }

    @Test
    void readsAreBoundedByTheRoomTheCallerHas() throws Exception {
        socket.chunk(concat(text("abcdef"), text("ghijkl")));
        WebSocketTransport ws = transport(new byte[0], false);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            ByteBuffer small = ByteBuffer.allocate(5);
            int n = ws.read(small);
            if (n > 0) {
                lines.append(new String(small.array(), 0, n, StandardCharsets.UTF_8));
            }
        }
        assertThat(lines).hasToString("abcdef\nghijkl\n");
    }

    @Test
    void encryptionIsThatOfTheTransportBeneath() {
        assertThat(transport(new byte[0], false).isEncrypted()).isFalse();
    }

    @Test
    void anEchoedCloseThatWaitedForTheSocketGoesOutAtTheClose() throws Exception {
        socket.perWrite = 0; // full: the handshake and the echo wait
        socket.chunk(ClientFrames.close(1001, ""));
        WebSocketTransport ws = transport(new byte[0], false);
        assertThat(read(ws)).isEqualTo("<-1>");
        socket.perWrite = Integer.MAX_VALUE;
        ws.close();
        assertThat(framesWritten()).singleElement().satisfies(f -> assertThat(f.closeCode()).isEqualTo(1001));
    }
}
