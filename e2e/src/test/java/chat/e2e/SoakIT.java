package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.ServerConfig;
import chat.server.net.Limits;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The soak run: minutes of mixed traffic and faults against one server, outside CI's default
 * run. {@code mvn -B verify -Psoak [-Dsoak.minutes=30]}.
 *
 * <p>Well-behaved users chat in rounds; between rounds, misbehaving connections come and go
 * (resets mid-line, half-closes, garbage, over-long lines, floods, clients that never read,
 * HTTP requests). After every round each well-behaved user must have received every line the
 * others said: zero lost deliveries. Heap after GC is sampled each minute and must not grow.
 */
class SoakIT {

    @RegisterExtension
    final RunningServer server = new RunningServer();

    private final Random random = new Random(2026);

    @Test
    void mixedTrafficAndFaultsLoseNothingAndKeepTheHeapFlat() throws Exception {
        double minutes = Double.parseDouble(System.getProperty("soak.minutes", "30"));
        // Rounds are paced, as real traffic is, so a soak can run beside other work.
        long roundNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(System.getProperty("soak.roundMillis", "50")));
        long end = System.nanoTime() + (long) (minutes * 60e9);
        server.start(ServerConfig.loopbackEphemeral().withLimits(
                Limits.defaults().withConnections(0, 0).withFlood(0, 0).withPending(256 * 1024, 64 * 1024, 2)));

        List<LineClient> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add(LineClient.named(server.port(), "user" + i));
        }
        List<Long> heapSamples = new ArrayList<>();
        long nextSample = System.nanoTime();
        long rounds = 0;
        long deliveries = 0;
        List<Socket> sleepers = new ArrayList<>();
        try {
            long nextRound = System.nanoTime();
            while (System.nanoTime() < end) {
                nextRound += roundNanos;
                long wait = nextRound - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // pacing the load, not waiting for a result
                }
                rounds++;
                String tag = "r" + rounds;
                for (int i = 0; i < users.size(); i++) {
                    users.get(i).send(tag + " from user" + i);
                }
                misbehave(sleepers);
                for (int i = 0; i < users.size(); i++) {
                    LineClient reader = users.get(i);
                    for (int j = 0; j < users.size(); j++) {
                        if (i != j) {
                            reader.awaitExact("[#lobby] user" + j + ": " + tag + " from user" + j);
                            deliveries++;
                        }
                    }
                }
                if (rounds % 50 == 0) {
                    for (LineClient user : users) {
                        user.forget(); // keep the test's own memory flat
                    }
                }
                if (System.nanoTime() >= nextSample) {
                    heapSamples.add(usedHeapAfterGc());
                    nextSample += TimeUnit.MINUTES.toNanos(1);
                    System.out.printf("soak: %d rounds, %d deliveries, heap after GC %d KiB, %d connections%n",
                            rounds, deliveries, heapSamples.get(heapSamples.size() - 1) / 1024,
                            server.onLoop(s -> s.connectionCount()));
                }
            }
        } finally {
            for (Socket sleeper : sleepers) {
                sleeper.close();
            }
            for (LineClient user : users) {
                user.close();
            }
        }
        heapSamples.add(usedHeapAfterGc());
        System.out.printf("soak done: %.1f min, %d rounds, %d deliveries checked, 0 lost; heap after GC (KiB): %s%n",
                minutes, rounds, deliveries, heapSamples.stream().map(b -> b / 1024).toList());
        if (heapSamples.size() >= 4) {
            long early = heapSamples.get(1);
            long late = heapSamples.get(heapSamples.size() - 1);
            assertThat(late).as("heap after GC at the end vs after the first minute").isLessThan(early * 2 + 16 * 1024 * 1024);
        }
    }

    /** One random fault per round. */
    private void misbehave(List<Socket> sleepers) throws IOException {
        int port = server.port();
        switch (random.nextInt(8)) {
            case 0 -> {
                try (LineClient c = new LineClient(port)) {
                    c.sendBytes("half a line".getBytes(StandardCharsets.UTF_8));
                    c.reset();
                }
            }
            case 1 -> {
                LineClient c = new LineClient(port);
                c.send("bye");
                c.shutdownOutput();
                c.awaitEndOfStream();
                c.close();
            }
            case 2 -> {
                try (LineClient c = new LineClient(port)) {
                    byte[] junk = new byte[4096];
                    random.nextBytes(junk);
                    c.sendBytes(junk);
                }
            }
            case 3 -> {
                try (LineClient c = new LineClient(port)) {
                    c.sendBytes(("y".repeat(10_000) + "\n").getBytes(StandardCharsets.UTF_8));
                    c.awaitLine(l -> l.startsWith("! line too long"));
                }
            }
            case 4 -> {
                Socket sleeper = new Socket(InetAddress.getLoopbackAddress(), port);
                sleeper.setReceiveBufferSize(4096);
                sleepers.add(sleeper);
                if (sleepers.size() > 5) {
                    sleepers.remove(0).close();
                }
            }
            case 5 -> {
                try (LineClient c = new LineClient(port)) {
                    c.sendBytes("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    c.awaitEndOfStream();
                }
            }
            case 6 -> {
                try (LineClient c = new LineClient(port)) {
                    c.send("/join flood");
                    StringBuilder flood = new StringBuilder();
                    for (int i = 0; i < 300; i++) {
                        flood.append("flood ").append(i).append('\n');
                    }
                    c.sendBytes(flood.toString().getBytes(StandardCharsets.UTF_8));
                    c.send("/quit");
                    c.awaitEndOfStream();
                }
            }
            default -> {
                try (LineClient c = LineClient.connected(port)) {
                    c.send("/nick drifter" + random.nextInt(1000));
                    c.send("/join r" + random.nextInt(5));
                    c.send("/who");
                    c.awaitLine(l -> l.startsWith("-- #r"));
                }
            }
        }
    }

    /** Used heap right after a full collection (System.gc() is a synchronous full GC here). */
    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
