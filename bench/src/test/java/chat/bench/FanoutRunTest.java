package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The receive path's accounting, fed with lines as the servers write them; no socket. */
class FanoutRunTest {

    private static final int BODY = 63;

    private static BenchConnection receiver(Protocol protocol, int senders) {
        BenchConnection c = new BenchConnection(BenchConnection.Role.RECEIVER, 0,
                protocol.enterBytes("#lobby", false, "r0"), protocol.readyPrefix("#lobby", "r0"));
        c.nextSequence = new int[senders];
        return c;
    }

    private static void line(FanoutRun run, BenchConnection c, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        run.onLine(c, bytes, 0, bytes.length, System.nanoTime());
    }

    private static String message(String prefix, int sender, long sequence) {
        byte[] body = Protocol.body(BODY);
        Marker.write(body, 0, sender, sequence, System.nanoTime());
        return prefix + new String(body, StandardCharsets.US_ASCII);
    }

    @Test
    void nativeReceiverIsReadyAtItsOwnJoinThenCountsAndFindsGaps() {
        FanoutRun run = new FanoutRun(Protocol.NATIVE, 1, 2, BODY);
        BenchConnection c = receiver(Protocol.NATIVE, 2);
        line(run, c, "-- welcome guest-1; /help lists the commands");
        assertEquals(0, run.readyCount());
        line(run, c, "[#lobby] -- guest-1 joined");
        assertEquals(1, run.readyCount());
        line(run, c, "[#lobby] -- guest-2 joined"); // not a message
        line(run, c, message("[#lobby] guest-7: ", 0, 0));
        line(run, c, message("[#lobby] guest-7: ", 0, 1));
        line(run, c, message("[#lobby] guest-8: ", 1, 0));
        line(run, c, message("[#lobby] guest-7: ", 0, 4)); // 2 and 3 missing
        line(run, c, message("[#lobby] guest-7: ", 0, 2)); // late
        assertEquals(5, run.delivered());
        assertEquals(2, run.gaps());
        assertEquals(1, run.outOfOrder());
        assertEquals(5, c.nextSequence[0]);
        assertEquals(1, c.nextSequence[1]);
    }

    @Test
    void nativeLinesReplayedFromHistoryAtJoinAreNotDeliveries() {
        FanoutRun run = new FanoutRun(Protocol.NATIVE, 1, 1, BODY);
        BenchConnection c = receiver(Protocol.NATIVE, 1);
        line(run, c, "[#lobby] -- guest-1 joined");
        // An earlier run's messages on the same server, replayed oldest first after the join.
        line(run, c, message("[#lobby] 2026-12-01T09:14:03Z guest-7: ", 0, 4998));
        line(run, c, message("[#lobby] 2026-12-01T09:14:03Z guest-7: ", 0, 4999));
        line(run, c, message("[#lobby] guest-7: ", 0, 0));
        line(run, c, message("[#lobby] guest-7: ", 0, 1));
        assertEquals(2, run.replayed());
        assertEquals(2, run.delivered());
        assertEquals(0, run.gaps());
        assertEquals(0, run.outOfOrder());
    }

    @Test
    void onlyATimeAfterTheBracketMarksAReplayedLine() {
        String[] replayed = {"[#lobby] 2026-12-01T09:14:03Z guest-7: hi", "[pm] 2026-12-01T09:14:03Z bob: hi",
                "[#r] 2"};
        for (String l : replayed) {
            byte[] b = l.getBytes(StandardCharsets.US_ASCII);
            assertEquals(true, Protocol.NATIVE.isReplayed(b, 0, b.length), l);
            assertEquals(false, Protocol.RESP.isReplayed(b, 0, b.length), l);
        }
        String[] live = {"[#lobby] guest-7: 2026 was a year", "[#lobby] -- guest-1 joined", "[#lobby] * bob 1s",
                "-- now talking in #r", "[#lobby]", "[#lobby] ", "2026-12-01T09:14:03Z", ""};
        for (String l : live) {
            byte[] b = l.getBytes(StandardCharsets.US_ASCII);
            assertEquals(false, Protocol.NATIVE.isReplayed(b, 0, b.length), l);
        }
    }

    @Test
    void respReceiverIsReadyAtTheSubscribeCountAndSkipsHeaders() {
        FanoutRun run = new FanoutRun(Protocol.RESP, 1, 1, BODY);
        BenchConnection c = receiver(Protocol.RESP, 1);
        for (String l : new String[] {"*3", "$9", "subscribe", "$5", "lobby", ":1"}) {
            line(run, c, l);
        }
        assertEquals(1, run.readyCount());
        for (long seq = 0; seq < 3; seq++) {
            for (String l : new String[] {"*3", "$7", "message", "$5", "lobby", "$63"}) {
                line(run, c, l);
            }
            line(run, c, message("", 0, seq));
        }
        assertEquals(3, run.delivered());
        assertEquals(0, run.gaps());
    }

    @Test
    void respPublishCarriesTheBodyLast() {
        byte[] body = Protocol.body(BODY);
        byte[] publish = Protocol.RESP.messageTemplate("#lobby", body);
        String text = new String(publish, StandardCharsets.US_ASCII);
        assertEquals("*3\r\n$7\r\nPUBLISH\r\n$5\r\nlobby\r\n$63\r\n" + ".".repeat(63) + "\r\n", text);
        assertEquals(text.length() - 2 - BODY, Protocol.RESP.bodyOffset(publish, BODY));
        byte[] nativeLine = Protocol.NATIVE.messageTemplate("#lobby", body);
        assertEquals(64, nativeLine.length);
        assertEquals(0, Protocol.NATIVE.bodyOffset(nativeLine, BODY));
    }

    @Test
    void nativeIdleClientsStartInTheirRoomWithoutTheLobbyAndWithoutTheWindow() {
        assertEquals("/join #idle3\n/ready\n",
                new String(Protocol.NATIVE.enterBytes("#idle3", true, "i0"), StandardCharsets.US_ASCII));
        assertEquals("", new String(Protocol.NATIVE.enterBytes("#lobby", false, "r0"), StandardCharsets.US_ASCII));
        assertEquals("SUBSCRIBE idle\r\n", new String(Protocol.RESP.enterBytes("#idle", true, "i0"), StandardCharsets.US_ASCII));
    }

    @Test
    void ircReceiverJoinsAfterTheWelcomeIsReadyAtItsOwnJoinEchoAndFindsTheBodyLast() {
        BenchConnection c = FanoutCommand.member(Protocol.IRC, "#lobby", BenchConnection.Role.RECEIVER, 12);
        assertEquals("NICK r12\r\nUSER r12 0 * :r12\r\n", new String(c.enterBytes, StandardCharsets.US_ASCII));
        assertEquals("JOIN #lobby\r\n", new String(c.joinBytes, StandardCharsets.US_ASCII));
        c.nextSequence = new int[1];
        FanoutRun run = new FanoutRun(Protocol.IRC, 1, 1, BODY);
        line(run, c, ":irc.example 001 r12 :Welcome to the network r12!~r12@127.0.0.1");
        line(run, c, ":s0!~s0@127.0.0.1 JOIN #lobby"); // another member, not this one
        assertEquals(0, run.readyCount());
        line(run, c, ":r12!~r12@127.0.0.1 JOIN :#lobby");
        assertEquals(1, run.readyCount());
        line(run, c, ":irc.example 353 r12 = #lobby :r12 s0");
        line(run, c, message(":s0!~s0@127.0.0.1 PRIVMSG #lobby :", 0, 0));
        line(run, c, message(":s0!s0@localhost PRIVMSG #lobby :", 0, 1));
        assertEquals(2, run.delivered());
        assertEquals(0, run.gaps());
    }

    @Test
    void ircPrivmsgCarriesTheBodyLastBeforeCrlf() {
        byte[] body = Protocol.body(BODY);
        byte[] privmsg = Protocol.IRC.messageTemplate("lobby", body);
        String text = new String(privmsg, StandardCharsets.US_ASCII);
        assertEquals("PRIVMSG #lobby :" + ".".repeat(63) + "\r\n", text);
        assertEquals("PRIVMSG #lobby :".length(), Protocol.IRC.bodyOffset(privmsg, BODY));
        assertEquals(true, Protocol.IRC.publisherNeedsEntry());
    }

    @Test
    void onlyNumeric001IsAWelcome() {
        for (String welcome : new String[] {":irc.example 001 r1 :Welcome", ":a 001 r1"}) {
            byte[] b = welcome.getBytes(StandardCharsets.US_ASCII);
            assertEquals(true, Protocol.isWelcome(b, 0, b.length), welcome);
        }
        for (String other : new String[] {":irc.example 002 r1 :Your host", ":irc.example 0011 r1", "001 r1",
                ":r1!~r1@h JOIN #lobby", ":irc.example 451 r1 JOIN :You have not registered", ":x 001", ""}) {
            byte[] b = other.getBytes(StandardCharsets.US_ASCII);
            assertEquals(false, Protocol.isWelcome(b, 0, b.length), other);
        }
    }

    @Test
    void nativeAndRespEnterInOneStep() {
        assertEquals(null, Protocol.NATIVE.joinBytes("#lobby"));
        assertEquals(null, Protocol.RESP.joinBytes("#lobby"));
    }

    @Test
    void receiversOnSeveralServersAreCountedAndTimedPerServer() {
        FanoutRun run = new FanoutRun(Protocol.NATIVE, 3, 1, BODY, 3);
        BenchConnection[] on = new BenchConnection[3];
        List<InetSocketAddress> servers = List.of(new InetSocketAddress("127.0.0.1", 7001),
                new InetSocketAddress("127.0.0.1", 7002), new InetSocketAddress("127.0.0.1", 7003));
        for (int i = 0; i < 3; i++) {
            on[i] = receiver(Protocol.NATIVE, 1);
            on[i].goTo(servers, Target.serverOf(i, 3));
            line(run, on[i], "[#lobby] -- guest-1 joined");
        }
        assertEquals(servers.get(2), on[2].server);
        line(run, on[0], message("[#lobby] guest-7: ", 0, 0)); // before any window: counted, not timed
        assertEquals(0, run.measuredOn(0));
        long now = System.nanoTime();
        run.measureBetween(now - 60_000_000_000L, now + 60_000_000_000L); // a window no run can leave
        line(run, on[0], message("[#lobby] guest-7: ", 0, 1));
        line(run, on[2], message("[#lobby] guest-7: ", 0, 0));
        line(run, on[2], message("[#lobby] guest-7: ", 0, 1));
        assertEquals(4, run.delivered());
        assertEquals(1, run.measuredOn(0));
        assertEquals(0, run.measuredOn(1));
        assertEquals(2, run.measuredOn(2));
        assertEquals(1, run.latencyOn(0).count());
        assertEquals(0, run.latencyOn(1).count());
        assertEquals(2, run.latencyOn(2).count());
    }

    @Test
    void theCpuOfEachProcessIsItsOwnAndTheSumSkipsTheUnreadable() {
        long second = 1_000_000_000L;
        double[] pct = FanoutRun.cpuPercents(new long[] {0, 5 * second, -1}, new long[] {2 * second, 6 * second, 3}, 4);
        assertEquals(50.0, pct[0], 1e-9);
        assertEquals(25.0, pct[1], 1e-9);
        assertEquals(-1.0, pct[2]);
        assertEquals(75.0, FanoutRun.sumReadable(pct), 1e-9);
        assertEquals(-1.0, FanoutRun.sumReadable(new double[] {-1}));
        assertEquals(-1.0, FanoutRun.sumReadable(new double[0]));
        assertEquals("50,25,-1", FanoutRun.joined("%.0f", pct));
        assertEquals("", FanoutRun.joined("%.0f"));
    }
}
