package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Users with different charsets in one room, over real sockets. */
class CharsetEndToEndTest {

    private static final Charset GBK = Charset.forName("GBK");
    private static final Charset GB18030 = Charset.forName("GB18030");

    @RegisterExtension
    final RunningServer server = new RunningServer();

    /** Connects with {@code charset}, tells the server so, and takes a nick. */
    private LineClient user(String nick, Charset charset) throws IOException {
        LineClient client = new LineClient(server.port(), charset);
        client.awaitLine(l -> l.startsWith("-- welcome "));
        if (!charset.equals(StandardCharsets.UTF_8)) {
            client.send("/charset " + charset.name());
            client.awaitExact("-- charset is now " + charset.name());
        }
        client.send("/nick " + nick);
        client.awaitLine(l -> l.endsWith(" is now known as " + nick));
        return client;
    }

    @Test
    void gbkGb18030AndUtf8UsersReadEachOther() throws Exception {
        server.start();
        try (LineClient wang = user("王", GBK);
             LineClient li = user("李", GB18030);
             LineClient amy = user("amy", StandardCharsets.UTF_8)) {
            wang.send("你好，我用 GBK");
            li.awaitExact("[#lobby] 王: 你好，我用 GBK");
            amy.awaitExact("[#lobby] 王: 你好，我用 GBK");
            li.send("我用 GB18030：𠀀 也行");
            amy.awaitExact("[#lobby] 李: 我用 GB18030：𠀀 也行");
            wang.awaitExact("[#lobby] 李: 我用 GB18030：? 也行"); // U+20000 is not in GBK
            amy.send("hello 世界 ☃");
            wang.awaitExact("[#lobby] amy: hello 世界 ?");
            li.awaitExact("[#lobby] amy: hello 世界 ☃");
        }
    }

    @Test
    void aBroadcastIsEncodedOncePerCharsetNotOncePerRecipient() throws Exception {
        server.start();
        try (LineClient sender = user("sender", StandardCharsets.UTF_8);
             LineClient u1 = user("u1", StandardCharsets.UTF_8);
             LineClient u2 = user("u2", StandardCharsets.UTF_8);
             LineClient u3 = user("u3", StandardCharsets.UTF_8);
             LineClient g1 = user("g1", GBK);
             LineClient g2 = user("g2", GBK)) {
            long before = server.onLoop(s -> s.dialect().encodings());
            sender.send("一次");
            for (LineClient receiver : new LineClient[] {u1, u2, u3, g1, g2}) {
                receiver.awaitExact("[#lobby] sender: 一次");
            }
            long after = server.onLoop(s -> s.dialect().encodings());
            assertThat(after - before).isEqualTo(2); // one UTF-8 encoding, one GBK encoding
        }
    }

    /** Each byte is read by the server on its own before the next is sent. */
    private void sendByteByByte(LineClient client, byte[] bytes) throws Exception {
        long read = server.bytesRead();
        for (byte b : bytes) {
            client.sendBytes(new byte[] {b});
            server.awaitBytesRead(++read);
        }
    }

    @Test
    void multibyteCharactersSentOneByteAtATimeArriveWhole() throws Exception {
        server.start();
        try (LineClient gbk = user("gbk", GBK);
             LineClient utf = user("utf", StandardCharsets.UTF_8)) {
            sendByteByByte(gbk, "一字一字地\n".getBytes(GBK));
            utf.awaitExact("[#lobby] gbk: 一字一字地");
            sendByteByByte(utf, "逐字节 🎉\r\n".getBytes(StandardCharsets.UTF_8));
            gbk.awaitExact("[#lobby] utf: 逐字节 ?");
            long unmappable = server.onLoop(s -> s.dialect().unmappableCharacters());
            assertThat(unmappable).isEqualTo(1);
        }
    }

    @Test
    void invalidBytesBecomeReplacementCharactersAndTheConnectionStays() throws Exception {
        server.start();
        try (LineClient alice = user("alice", StandardCharsets.UTF_8);
             LineClient bob = user("bob", StandardCharsets.UTF_8)) {
            alice.sendBytes(new byte[] {'a', (byte) 0xFF, (byte) 0xC0, 'b', '\n'});
            bob.awaitExact("[#lobby] alice: a\uFFFD\uFFFDb");
            alice.send("still fine");
            bob.awaitExact("[#lobby] alice: still fine");
        }
    }

    @Test
    void aGbkLineFromAnUndeclaredClientSwitchesItToGb18030BothWays() throws Exception {
        server.start();
        try (LineClient amy = user("amy", StandardCharsets.UTF_8);
             LineClient tutorial = new LineClient(server.port(), GBK)) {
            tutorial.awaitLine(l -> l.startsWith("-- welcome "));
            tutorial.sendBytes("你好\n".getBytes(GBK));
            amy.awaitLine(l -> l.startsWith("[#lobby] guest-") && l.endsWith(": 你好"));
            tutorial.awaitExact("-- charset is now GB18030 (detected); /charset NAME to change it");
            amy.send("欢迎");
            tutorial.awaitExact("[#lobby] amy: 欢迎"); // sent to it in GB18030, read as GBK
        }
    }

    @Test
    void gbkWithoutNewlineFromAClientThatClosesAtOnceReachesUtf8Users() throws Exception {
        server.start();
        try (LineClient amy = user("amy", StandardCharsets.UTF_8)) {
            try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                raw.getOutputStream().write("你好".getBytes(GBK));
            }
            amy.awaitLine(l -> l.startsWith("[#lobby] guest-") && l.endsWith(": 你好"));
        }
    }

    @Test
    void theTutorialPythonClientReachesUtf8Users(@TempDir Path dir) throws Exception {
        Path script = tutorialClient(dir);
        server.start();
        try (LineClient amy = user("amy", StandardCharsets.UTF_8)) {
            Process python = new ProcessBuilder("python3", script.toString(), "127.0.0.1",
                    String.valueOf(server.port()), "你好").redirectErrorStream(true).start();
            assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue()).isZero();
            amy.awaitLine(l -> l.startsWith("[#lobby] guest-") && l.endsWith(": 你好"));
        }
    }

    @Test
    void theTutorialPythonClientThatReadsGetsItsWelcomeAndItsRoomInGbk(@TempDir Path dir) throws Exception {
        Path script = tutorialClient(dir);
        server.start();
        try (LineClient amy = user("amy", StandardCharsets.UTF_8)) {
            Process python = new ProcessBuilder("python3", script.toString(), "127.0.0.1",
                    String.valueOf(server.port()), "大家好", "--newline", "--read", "30", "--until", "欢迎")
                    .redirectErrorStream(true).start();
            amy.awaitLine(l -> l.endsWith(": 大家好"));
            amy.send("欢迎");
            assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String printed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.exitValue()).as(printed).isZero();
            assertThat(printed).contains("-- welcome guest-").contains("[#lobby] amy: 欢迎");
        }
    }

    @Test
    void charsetsThatCannotCarryLinesAreRefused() throws Exception {
        server.start();
        try (LineClient alice = user("alice", StandardCharsets.UTF_8)) {
            alice.send("/charset UTF-16");
            alice.awaitLine(l -> l.startsWith("! charset UTF-16 is not ASCII-compatible"));
            alice.send("/charset klingon");
            alice.awaitExact("! unknown charset \"klingon\"");
            alice.send("/charset");
            alice.awaitExact("-- charset is UTF-8");
        }
    }

    /** The project's tutorial-style client (a test resource), written out where python3 can run it. */
    private static Path tutorialClient(Path dir) throws IOException {
        Path script = dir.resolve("tutorial-client.py");
        try (var in = CharsetEndToEndTest.class.getResourceAsStream("/tutorial-client.py")) {
            assertThat(in).as("tutorial-client.py on the test classpath").isNotNull();
            Files.copy(in, script);
        }
        return script;
    }
}
