package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The native dialect end to end: real server, raw sockets on 127.0.0.1. */
class ChatEndToEndTest {

    @RegisterExtension
    final RunningServer server = new RunningServer();

    @Test
    void aLineReachesEveryOtherMemberOfTheRoomAndNotTheSender() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob");
             LineClient carol = LineClient.named(server.port(), "carol")) {
            alice.send("hello from alice");
            bob.awaitExact("[#lobby] alice: hello from alice");
            carol.awaitExact("[#lobby] alice: hello from alice");
            carol.send("and carol\tanswers");
            alice.awaitExact("[#lobby] carol: and carol\tanswers");
            bob.awaitExact("[#lobby] carol: and carol\tanswers");
            assertThat(alice.lines()).doesNotContain("[#lobby] alice: hello from alice");
        }
    }

    @Test
    void newcomersGetAWelcomeAGuestNickAndTheLobby() throws Exception {
        server.start();
        try (LineClient watcher = LineClient.named(server.port(), "watcher");
             LineClient guest = new LineClient(server.port())) {
            String welcome = guest.awaitLine(l -> l.startsWith("-- welcome "));
            assertThat(welcome).matches("-- welcome guest-\\d{4,}; /help lists the commands");
            String nick = welcome.substring("-- welcome ".length(), welcome.indexOf(';'));
            guest.awaitExact("[#lobby] -- " + nick + " joined");
            watcher.awaitExact("[#lobby] -- " + nick + " joined");
            guest.send("hi, I used nc");
            watcher.awaitExact("[#lobby] " + nick + ": hi, I used nc");
        }
    }

    @Test
    void joinPartAndQuitAreAnnouncedOnceToTheRoom() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob")) {
            bob.send("/join #dev");
            alice.send("/join dev");
            bob.awaitExact("[#dev] -- alice joined");
            alice.send("/part #dev see you");
            bob.awaitExact("[#dev] -- alice left: see you");
            alice.awaitExact("[#dev] -- alice left: see you");
            alice.awaitExact("-- now talking in #lobby");
            alice.send("/quit gone fishing");
            alice.awaitExact("-- bye");
            alice.awaitEndOfStream();
            bob.awaitExact("-- alice quit: gone fishing");
            // alice shared two rooms with bob before parting one; he hears of her quit once
            bob.send("/who #lobby");
            bob.awaitExact("-- #lobby (1): bob");
            assertThat(bob.lines().stream().filter(l -> l.startsWith("-- alice quit"))).hasSize(1);
        }
    }

    @Test
    void joinersArrivingTogetherAreEachAnnouncedOnceAndBeforeTheyTalk() throws Exception {
        server.start();
        int count = 40;
        try (LineClient alice = LineClient.named(server.port(), "alice")) {
            alice.send("/join #storm");
            alice.awaitExact("[#storm] -- alice joined");
            java.util.List<LineClient> joiners = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    joiners.add(LineClient.named(server.port(), "u" + i));
                }
                // All at once: the server reads many of these in one loop iteration.
                for (int i = 0; i < count; i++) {
                    joiners.get(i).sendBytes(("/join #storm\nhi from u" + i + "\n").getBytes(StandardCharsets.UTF_8));
                }
                for (int i = 0; i < count; i++) {
                    alice.awaitExact("[#storm] u" + i + ": hi from u" + i);
                }
                java.util.List<String> seen = alice.lines();
                for (int i = 0; i < count; i++) {
                    String joined = "[#storm] -- u" + i + " joined";
                    assertThat(seen.stream().filter(joined::equals)).as(joined).hasSize(1);
                    assertThat(seen.indexOf(joined)).as("u" + i + "'s join before its line")
                            .isLessThan(seen.indexOf("[#storm] u" + i + ": hi from u" + i));
                }
                for (int i = 0; i < count; i++) {
                    LineClient joiner = joiners.get(i);
                    joiner.awaitExact("[#storm] -- u" + i + " joined");
                    java.util.List<String> own = joiner.lines();
                    assertThat(own.stream().filter(l -> l.endsWith(" joined") && l.startsWith("[#storm]")))
                            .as("u" + i + " is told of each join at most once").doesNotHaveDuplicates();
                }
            } finally {
                for (LineClient joiner : joiners) {
                    joiner.close();
                }
            }
        }
    }

    @Test
    void quitIsToldOnceEvenToAUserSharingSeveralRooms() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob")) {
            for (String room : new String[] {"a", "b", "c"}) {
                alice.send("/join " + room);
                bob.send("/join " + room);
                alice.awaitExact("[#" + room + "] -- bob joined");
            }
            alice.reset();
            bob.awaitLine(l -> l.startsWith("-- alice quit"));
            bob.send("/rooms");
            bob.awaitLine(l -> l.startsWith("-- rooms (4):"));
            assertThat(bob.lines().stream().filter(l -> l.startsWith("-- alice quit"))).hasSize(1);
        }
    }

    @Test
    void nickChangesAreAnnouncedAndCollideRegardlessOfCase() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "Bob")) {
            alice.awaitExact("-- " + guestNickIn(alice, bob) + " is now known as Bob");
            alice.send("/nick BOB");
            alice.awaitExact("! nickname \"BOB\" is taken");
            alice.send("/nick bad nick");
            alice.awaitExact("! a nickname is one word, without spaces: \"bad nick\" is not one; /nick NAME");
            alice.send("/nick no!pe");
            alice.awaitLine(l -> l.startsWith("! invalid nickname \"no!pe\""));
            alice.send("still alice");
            bob.awaitExact("[#lobby] alice: still alice");
            alice.send("/nick 张伟");
            bob.awaitExact("-- alice is now known as 张伟");
            alice.send("你好");
            bob.awaitExact("[#lobby] 张伟: 你好");
            bob.send("/nick bob");
            alice.awaitExact("-- Bob is now known as bob");
        }
    }

    @Test
    void aPrivateMessageIsSeenByItsAddresseeAlone() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob");
             LineClient carol = LineClient.named(server.port(), "carol")) {
            alice.send("/msg BOB the secret is 42");
            bob.awaitExact("[pm] alice: the secret is 42");
            alice.awaitExact("[pm -> bob] the secret is 42");
            alice.send("/msg nobody hello?");
            alice.awaitExact("! no such nick \"nobody\"");
            // A later broadcast reaches carol: had the private line gone to her, it came first.
            alice.send("public now");
            carol.awaitExact("[#lobby] alice: public now");
            assertThat(carol.lines()).noneMatch(l -> l.contains("secret"));
        }
    }

    @Test
    void roomsKeepTheirTalkToThemselves() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob");
             LineClient carol = LineClient.named(server.port(), "carol")) {
            alice.send("/join dev");
            bob.send("/join dev");
            alice.awaitExact("[#dev] -- bob joined");
            alice.send("dev talk");
            bob.awaitExact("[#dev] alice: dev talk");
            carol.send("lobby talk");
            alice.awaitExact("[#lobby] carol: lobby talk");
            bob.awaitExact("[#lobby] carol: lobby talk");
            assertThat(carol.lines()).noneMatch(l -> l.contains("dev talk"));
            alice.send("/me waves");
            bob.awaitExact("[#dev] * alice waves");
            carol.send("/who #dev");
            carol.awaitExact("-- #dev (2): @alice bob");
        }
    }

    @Test
    void commandsAnswerTheSenderOnlyAndNeverBroadcast() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob")) {
            alice.send("/frobnicate now");
            alice.awaitExact("! unknown command \"/frobnicate\"; /help lists the commands");
            alice.send("/help");
            alice.awaitLine(l -> l.startsWith("-- /msg NICK TEXT"));
            alice.send("//etc/passwd is a path");
            bob.awaitExact("[#lobby] alice: /etc/passwd is a path");
            alice.send("");
            alice.send("   ");
            alice.send("after blanks");
            bob.awaitExact("[#lobby] alice: after blanks");
            assertThat(bob.lines()).noneMatch(l -> l.contains("frobnicate") || l.startsWith("-- /msg")
                    || l.equals("[#lobby] alice: ") || l.equals("[#lobby] alice:    "));
        }
    }

    @Test
    void controlCharactersNeverReachAnotherTerminal() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob")) {
            alice.send("red\u001b[31m alert\u0007\u0008 \u202eevil\u0000!");
            bob.awaitExact("[#lobby] alice: red[31m alert evil!");
        }
    }

    /**
     * CRLF and LF mixed, over several writes. Loopback may merge the writes into one read, so
     * this does not promise a split: InputFlowTest and LineSessionTest split at every byte with a
     * scripted socket, which can.
     */
    @Test
    void crlfAndLfFramesMixFreelyOverSeveralWrites() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob")) {
            alice.sendBytes("one\r".getBytes(StandardCharsets.UTF_8));
            alice.sendBytes("\ntw".getBytes(StandardCharsets.UTF_8));
            alice.sendBytes("o\nthree\r\n".getBytes(StandardCharsets.UTF_8));
            bob.awaitExact("[#lobby] alice: three");
            assertThat(bob.lines()).containsSubsequence(
                    "[#lobby] alice: one", "[#lobby] alice: two", "[#lobby] alice: three");
        }
    }

    @Test
    void aResetMidLineStillDeliversWhatArrivedAndOthersGoOn() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob");
             LineClient carol = LineClient.named(server.port(), "carol")) {
            carol.send("complete line");
            alice.awaitExact("[#lobby] carol: complete line");
            carol.sendBytes("half a li".getBytes(StandardCharsets.UTF_8));
            carol.reset();
            alice.awaitLine(l -> l.startsWith("-- carol quit"));
            alice.send("still here");
            bob.awaitExact("[#lobby] alice: still here");
            bob.send("me too");
            alice.awaitExact("[#lobby] bob: me too");
            assertThat(alice.lines()).contains("[#lobby] carol: half a li");
        }
    }

    @Test
    void textWithoutANewlineIsDeliveredWhenTheSenderClosesWithoutReading() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice")) {
            // The tutorial client: connect, send, close, never read the welcome; its kernel
            // then answers our welcome with a reset. What it sent must still arrive.
            for (int i = 0; i < 5; i++) {
                try (java.net.Socket raw = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
                    raw.getOutputStream().write(("drive-by " + i).getBytes(StandardCharsets.UTF_8));
                }
            }
            for (int i = 0; i < 5; i++) {
                String text = "drive-by " + i;
                alice.awaitLine(l -> l.startsWith("[#lobby] guest-") && l.endsWith(": " + text));
            }
        }
    }

    @Test
    void aHalfClosedClientStillGetsItsRepliesBeforeTheServerCloses() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob")) {
            bob.send("/who");
            bob.send("last words");
            bob.shutdownOutput();
            bob.awaitEndOfStream();
            assertThat(bob.lines()).contains("-- #lobby (2): @alice bob");
            alice.awaitExact("[#lobby] bob: last words");
            alice.awaitLine(l -> l.startsWith("-- bob quit"));
        }
    }

    @Test
    void shutdownTellsEveryClientAndClosesThem() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob")) {
            server.onLoop(s -> {
                s.shutdown();
                return null;
            });
            alice.awaitExact("-- server shutting down");
            bob.awaitExact("-- server shutting down");
            alice.awaitEndOfStream();
            bob.awaitEndOfStream();
        }
    }

    @Test
    void anOverlongLineIsRefusedAndTheConnectionRecovers() throws Exception {
        server.start(chat.server.ServerConfig.loopbackEphemeral().withMaxLineBytes(64));
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob")) {
            for (int round = 0; round < 2; round++) {
                alice.send("x".repeat(500));
                alice.send("fine " + round);
                bob.awaitExact("[#lobby] alice: fine " + round);
            }
            // Alice's refusals come on her own socket: bob's copy of "fine 1" may arrive first.
            org.awaitility.Awaitility.await().until(
                    () -> alice.lines().stream().filter(l -> l.startsWith("! line too long")).count() == 2);
            assertThat(bob.lines()).noneMatch(l -> l.contains("xxxx"));
        }
    }

    private static String guestNickIn(LineClient watcher, LineClient renamed) {
        String welcome = renamed.awaitLine(l -> l.startsWith("-- welcome "));
        return welcome.substring("-- welcome ".length(), welcome.indexOf(';'));
    }
}
