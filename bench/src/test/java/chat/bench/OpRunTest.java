package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The op-cost runs' accounting, fed with lines as the native server writes them; no socket. */
class OpRunTest {

    private static final int BODY = 63;

    private static void line(OpRun run, BenchConnection c, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        run.onLine(c, bytes, 0, bytes.length, 0);
    }

    private static String said(int sequence) {
        byte[] body = Protocol.body(BODY);
        Marker.write(body, 0, 0, sequence, 0);
        return new String(body, StandardCharsets.US_ASCII);
    }

    @Test
    void membersEnterTheirRoomUnderTheirNickAndAreReadyAtTheirJoinLine() {
        JoinPartRun run = new JoinPartRun("#r", 20, 2, BODY);
        List<BenchConnection> all = run.connections();
        assertThat(all).hasSize(3);
        assertThat(new String(all.get(0).enterBytes, StandardCharsets.US_ASCII)).isEqualTo("/nick s0\n/join #r\n");
        assertThat(new String(all.get(2).enterBytes, StandardCharsets.US_ASCII)).isEqualTo("/nick j1\n/join #home-j1\n");
        line(run, all.get(1), "-- welcome j0; /help lists the commands");
        assertThat(run.readyCount()).isZero();
        line(run, all.get(1), "[#home-j0] -- j0 joined");
        assertThat(run.readyCount()).isEqualTo(1);
    }

    @Test
    void aJoinCycleEndsAtTheJoinersOwnPartLineAndCountsTheReplay() {
        JoinPartRun run = new JoinPartRun("#r", 2, 2, BODY);
        BenchConnection j0 = run.connections().get(1);
        BenchConnection j1 = run.connections().get(2);
        line(run, j0, "[#home-j0] -- j0 joined");
        line(run, j1, "[#home-j1] -- j1 joined");
        run.started = 2;
        line(run, j0, "[#r] -- j0 joined");
        line(run, j0, "-- now talking in #r");
        line(run, j0, "[#r] 2026-12-01T09:14:03Z s0: " + said(0));
        line(run, j0, "[#r] 2026-12-01T09:14:03Z s0: " + said(1));
        line(run, j0, "[#r] -- j1 left"); // another joiner's name: not j0's end
        assertThat(run.done).isZero();
        line(run, j0, "[#r] -- j0 left");
        assertThat(run.done).isEqualTo(1);
        line(run, j0, "-- now talking in #home-j0");
        assertThat(run.lines).isEqualTo(7);
        assertThat(run.replayedLines).isEqualTo(2);
    }

    @Test
    void aBroadcastIsDoneWhenEveryListenerHasIt() {
        BroadcastRun run = new BroadcastRun("#b", 3, 2, BODY);
        List<BenchConnection> all = run.connections();
        assertThat(all).hasSize(3);
        BenchConnection m1 = all.get(1);
        BenchConnection m2 = all.get(2);
        for (BenchConnection c : all) {
            line(run, c, "[#b] -- " + "x joined");
        }
        assertThat(run.readyCount()).isEqualTo(3);
        run.started = 2;
        line(run, m1, "[#b] m0: " + said(0));
        line(run, m1, "[#b] m0: " + said(1));
        assertThat(run.done).isZero();
        line(run, m2, "[#b] -- m9 joined"); // a notice, not a line said
        line(run, m2, "[#b] m0: " + said(0));
        assertThat(run.done).isEqualTo(1);
        line(run, m2, "[#b] m0: " + said(1));
        assertThat(run.done).isEqualTo(2);
        line(run, m1, "[#b] 2026-12-01T09:14:03Z m0: " + said(0)); // a replay: never a receipt
        assertThat(run.done).isEqualTo(2);
        assertThat(run.replayedLines).isEqualTo(1);
    }

    @Test
    void impossibleShapesAreRefused() {
        assertThatThrownBy(() -> new BroadcastRun("#b", 1, 1, BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BroadcastRun("#b", 2, 0, BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JoinPartRun("#r", -1, 1, BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JoinPartRun("#r", 1, 0, BODY)).isInstanceOf(IllegalArgumentException.class);
    }
}
