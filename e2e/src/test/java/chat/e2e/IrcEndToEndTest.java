package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * IRC clients on the chat port, as raw sockets speak it, in the same rooms as native users.
 */
class IrcEndToEndTest {

    @RegisterExtension
    final RunningServer server = new RunningServer();

    /** An IRC connection: lines without their CR, sent with CR LF. */
    private static final class Irc implements AutoCloseable {
        final LineClient client;

        Irc(int port) throws IOException {
            client = new LineClient(port);
        }

        Irc send(String line) throws IOException {
            client.sendBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        String await(String startOrContains) {
            return client.awaitLine(l -> l.strip().contains(startOrContains)).strip();
        }

        /** Registers with CAP negotiation, as irssi and WeeChat do, and waits for the welcome. */
        static Irc registered(int port, String nick) throws IOException {
            Irc irc = new Irc(port);
            irc.send("CAP LS 302").send("NICK " + nick).send("USER " + nick + " 0 * :" + nick + " the tester");
            irc.await(" CAP * LS ");
            irc.send("CAP END");
            irc.await(" 001 " + nick + " ");
            return irc;
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    @Test
    void registrationGetsTheWelcomeBurstAndNoNativeLine() throws Exception {
        server.start();
        try (Irc irc = Irc.registered(server.port(), "ian")) {
            irc.await(" 005 ian ");
            irc.await(" 422 ian ");
            assertThat(irc.client.lines()).noneMatch(l -> l.startsWith("-- ") || l.startsWith("! "));
            assertThat(server.members("#lobby")).as("IRC clients join what they ask for").isZero();
        }
    }

    @Test
    void ircAndNativeUsersChatInOneRoom() throws Exception {
        server.start();
        try (LineClient nora = LineClient.named(server.port(), "nora");
             Irc ian = Irc.registered(server.port(), "ian")) {
            ian.send("JOIN #lobby");
            ian.await(":ian!~ian@127.0.0.1 JOIN #lobby");
            String names = ian.await(" 353 ian = #lobby :");
            assertThat(names).endsWith(":@nora ian"); // nora made the room: its operator
            nora.awaitExact("[#lobby] -- ian joined");

            ian.send("PRIVMSG #lobby :hello from irc");
            nora.awaitExact("[#lobby] ian: hello from irc");
            ian.send("PRIVMSG #lobby :\u0001ACTION waves\u0001");
            nora.awaitExact("[#lobby] * ian waves");

            nora.send("hi ian");
            ian.await(":nora!~chat@127.0.0.1 PRIVMSG #lobby :hi ian");
            nora.send("/msg ian psst");
            ian.await(":nora!~chat@127.0.0.1 PRIVMSG ian :psst");
            ian.send("PRIVMSG nora :\u0003" + "4red\u0003 and \u001b[31mnot an escape");
            nora.awaitExact("[pm] ian: red and [31mnot an escape"); // colour code with its digits, and ESC, removed

            ian.send("NICK ianx");
            ian.await(":ian!~ian@127.0.0.1 NICK ianx");
            nora.awaitExact("-- ian is now known as ianx");
            ian.send("QUIT :off to lunch");
            ian.await("ERROR :");
            nora.awaitExact("-- ianx quit: off to lunch");
        }
    }

    @Test
    void anIrcClientOnGbkChatsWithUtf8NativeUsersAfterCharset() throws Exception {
        server.start();
        java.nio.charset.Charset gbk = java.nio.charset.Charset.forName("GBK");
        try (LineClient nora = LineClient.named(server.port(), "nora");
             LineClient wei = new LineClient(server.port(), gbk)) {
            // A registration verb first makes the connection IRC; then the charset, then a nick in it.
            wei.sendBytes("CAP LS 302\r\nCHARSET GBK\r\nNICK 张伟\r\nUSER zw 0 * :张伟\r\nCAP END\r\nJOIN #lobby\r\n"
                    .getBytes(gbk));
            wei.awaitLine(l -> l.contains("NOTICE * :Your charset is now GBK"));
            wei.awaitLine(l -> l.contains(" 001 张伟 "));
            nora.awaitExact("[#lobby] -- 张伟 joined");

            wei.sendBytes("PRIVMSG #lobby :你好，各位\r\n".getBytes(gbk));
            nora.awaitExact("[#lobby] 张伟: 你好，各位");
            nora.send("欢迎 👋");
            wei.awaitLine(l -> l.strip().equals(":nora!~chat@127.0.0.1 PRIVMSG #lobby :欢迎 ?"));
        }
    }

    @Test
    void errorsAreTheStandardNumericsAndNothingIsBroadcast() throws Exception {
        server.start();
        try (LineClient nora = LineClient.named(server.port(), "nora");
             Irc ian = Irc.registered(server.port(), "ian")) {
            ian.send("FROBNICATE now");
            ian.await(" 421 ian FROBNICATE ");
            ian.send("JOIN");
            ian.await(" 461 ian JOIN ");
            ian.send("NICK nora");
            ian.await(" 433 ian nora ");
            ian.send("NICK 9lives");
            ian.await(" 432 ian 9lives ");
            ian.send("PRIVMSG #nowhere :hi");
            ian.await(" 403 ian #nowhere ");
            ian.send("PRIVMSG nobody :hi");
            ian.await(" 401 ian nobody ");
            ian.send("PRIVMSG #lobby :" + "x".repeat(600));
            ian.await(" 417 ian ");
            ian.send("PING :are you there");
            ian.await("PONG ");
            nora.send("/who");
            nora.awaitLine(l -> l.startsWith("-- #lobby (1)"));
            assertThat(nora.lines()).noneMatch(l -> l.contains("FROBNICATE") || l.contains("xxxx"));
        }
    }

    @Test
    void commandsBeforeRegistrationAreRefusedAndATakenNickWaitsForAnother() throws Exception {
        server.start();
        try (LineClient nora = LineClient.named(server.port(), "nora");
             Irc late = new Irc(server.port())) {
            late.send("NICK nora");
            late.await(" 433 * nora ");
            late.send("JOIN #lobby");
            late.await(" 451 ");
            late.send("USER late 0 * :Late");
            late.send("NICK late");
            late.await(" 001 late ");
        }
    }

    @Test
    void theIrcOnlyPortTakesIrcWhateverTheFirstLineAndSharesTheRooms() throws Exception {
        server.start(chat.server.ServerConfig.loopbackEphemeral().withIrcPort(0));
        int ircPort = server.onLoop(s -> s.ircPort());
        assertThat(ircPort).isPositive().isNotEqualTo(server.port());
        try (LineClient nora = LineClient.named(server.port(), "nora");
             Irc tagged = new Irc(ircPort)) {
            // A first line with tags: the main port would take it for text; this port is IRC only.
            tagged.send("@label=1 CAP LS 302").send("NICK tia").send("USER tia 0 * :Tia").send("CAP END");
            tagged.await(" 001 tia ");
            tagged.send("JOIN #lobby");
            nora.awaitExact("[#lobby] -- tia joined");
        }
    }
}
