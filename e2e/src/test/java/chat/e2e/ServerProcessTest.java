package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server as operators run it: a process with options, stopped by a signal. */
class ServerProcessTest {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    private Process process;

    /** The server's output, printed when a test fails so the reason is in the report. */
    private final List<String> log = new ArrayList<>();

    @org.junit.jupiter.api.extension.RegisterExtension
    final org.junit.jupiter.api.extension.TestWatcher printLogOnFailure = new org.junit.jupiter.api.extension.TestWatcher() {
        @Override
        public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
            System.err.println("server output:\n" + String.join("\n", snapshot(log)));
        }
    };

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void sigtermTellsClientsAndExitsZero() throws Exception {
        process = startServer(log, "--bind", "127.0.0.1", "--port", "0");
        await().atMost(Duration.ofSeconds(30)).until(() -> port(log) > 0);

        try (LineClient alice = LineClient.named(port(log), "alice")) {
            process.destroy(); // SIGTERM
            alice.awaitExact("-- server shutting down");
            alice.awaitEndOfStream();
        }
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void sighupReloadsTheCertificateAndABrokenOneIsRefusedWithALogLine(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        chat.server.tls.TestCertificates.Issued ca = chat.server.tls.TestCertificates.ca("CN=Test CA");
        chat.server.tls.TestCertificates.Issued first = chat.server.tls.TestCertificates.server(ca, "EC");
        Path chain = chat.server.tls.TestCertificates.writeChain(dir.resolve("fullchain.pem"), first.certificate());
        Path key = chat.server.tls.TestCertificates.writePkcs8Key(dir.resolve("privkey.pem"), first.keys().getPrivate());
        process = startServer(log, "--bind", "127.0.0.1", "--port", "0", "--tls-cert", chain.toString(),
                "--tls-key", key.toString(), "--tls-reload-check", "0");
        await().atMost(Duration.ofSeconds(30)).until(() -> port(log) > 0);

        chat.server.tls.TestCertificates.Issued renewed = chat.server.tls.TestCertificates.server(ca, "EC");
        chat.server.tls.TestCertificates.writeChain(chain, renewed.certificate());
        chat.server.tls.TestCertificates.writePkcs8Key(key, renewed.keys().getPrivate());
        hangUp();
        await().atMost(Duration.ofSeconds(30)).until(() -> String.join("\n", snapshot(log)).contains("TLS certificate reloaded (SIGHUP)"));

        java.nio.file.Files.writeString(key, "not a key");
        hangUp();
        await().atMost(Duration.ofSeconds(30)).until(() -> String.join("\n", snapshot(log))
                .contains("TLS certificate not reloaded (SIGHUP), the one in use stays"));
        try (LineClient secure = LineClient.tls(port(log), chat.server.tls.TestCertificates.trusting(ca.certificate()))) {
            secure.awaitLine(l -> l.startsWith("-- welcome "));
        }
        assertThat(process.isAlive()).isTrue();
    }

    /**
     * What was said before a SIGTERM is there after the restart: a joiner gets it replayed with
     * its times, it can be asked for after an id seen before, and new ids keep growing.
     */
    @Test
    void historySurvivesARestartBySigterm(@org.junit.jupiter.api.io.TempDir Path data) throws Exception {
        // A sync time of an hour: nothing is committed while the server runs, so all three lines
        // are still waiting when SIGTERM comes, and only the shutdown's commit can keep them.
        process = startServer(log, "--bind", "127.0.0.1", "--port", "0", "--data-dir", data.toString(),
                "--history-sync", "3600000");
        await().atMost(Duration.ofSeconds(30)).until(() -> port(log) > 0);
        List<String> ids = new ArrayList<>();
        try (LineClient alice = LineClient.named(port(log), "alice")) {
            alice.send("/ids on");
            alice.awaitExact("-- ids on");
            for (String text : List.of("one", "two", "three")) {
                alice.send(text);
                String echo = alice.awaitLine(l -> l.endsWith("] alice: " + text));
                ids.add(echo.substring(1, echo.indexOf(' ')));
            }
        }
        assertThat(java.nio.file.Files.exists(data.resolve("history.db"))).isTrue();
        assertThat(storedCount(data)).as("nothing committed before SIGTERM").isZero();
        process.destroy();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(storedCount(data)).as("the shutdown committed what waited").isEqualTo(3);

        List<String> second = new ArrayList<>();
        process = startServer(second, "--bind", "127.0.0.1", "--port", "0", "--data-dir", data.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> port(second) > 0);
        try (LineClient bob = LineClient.named(port(second), "bob")) {
            bob.awaitLine(l -> l.matches("\\[#lobby\\] \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ alice: three"));
            assertThat(bob.lines()).filteredOn(l -> l.contains(" alice: ")).hasSize(3);
            bob.send("/ids on");
            bob.send("/history #lobby after " + ids.get(0));
            bob.awaitExact("-- history of #lobby: 2 messages after " + ids.get(0));
            assertThat(bob.lines()).anyMatch(l -> l.startsWith("@" + ids.get(1) + " [#lobby] ") && l.endsWith(" alice: two"))
                    .anyMatch(l -> l.startsWith("@" + ids.get(2) + " [#lobby] ") && l.endsWith(" alice: three"));
            bob.send("after the restart");
            String echo = bob.awaitLine(l -> l.endsWith("] bob: after the restart"));
            long newId = Long.parseLong(echo.substring(1, echo.indexOf(' ')), 36);
            assertThat(newId).isGreaterThan(Long.parseLong(ids.get(2), 36));
        }
    }

    /**
     * A kill -9 loses at most what waited for the next commit: once the store holds the lines
     * (looked at in the database file itself), they outlive the process.
     */
    @Test
    void committedHistorySurvivesKillMinusNine(@org.junit.jupiter.api.io.TempDir Path data) throws Exception {
        process = startServer(log, "--bind", "127.0.0.1", "--port", "0", "--data-dir", data.toString(),
                "--history-sync", "200");
        await().atMost(Duration.ofSeconds(30)).until(() -> port(log) > 0);
        try (LineClient alice = LineClient.named(port(log), "alice")) {
            alice.send("/join #kept");
            alice.awaitLine(l -> l.equals("[#kept] -- alice joined"));
            alice.send("before the crash");
            alice.send("/who");
            alice.awaitLine(l -> l.startsWith("-- #kept (1)"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> storedCount(data) == 1);
        process.destroyForcibly(); // SIGKILL
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();

        List<String> second = new ArrayList<>();
        process = startServer(second, "--bind", "127.0.0.1", "--port", "0", "--data-dir", data.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> port(second) > 0);
        try (LineClient bob = LineClient.named(port(second), "bob")) {
            bob.send("/join #kept");
            bob.awaitLine(l -> l.matches("\\[#kept\\] \\S+Z alice: before the crash"));
        }
    }

    /** Rows in the history database, read as any SQLite tool would; 0 while it cannot be read. */
    private static int storedCount(Path data) {
        Path file = data.resolve("history.db");
        if (!java.nio.file.Files.exists(file)) {
            return 0;
        }
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
                java.sql.Statement query = db.createStatement();
                java.sql.ResultSet rows = query.executeQuery("SELECT count(*) FROM messages")) {
            return rows.next() ? rows.getInt(1) : 0;
        } catch (java.sql.SQLException notYet) {
            return 0;
        }
    }

    private void hangUp() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    @Test
    void aBadOptionGivesAMessageAndExitCodeTwo() throws Exception {
        process = startServer(log, "--port", "not-a-number");
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> String.join("\n", snapshot(log)).contains("--port"));
    }

    @Test
    void helpPrintsUsageAndExitsZero() throws Exception {
        process = startServer(log, "--help");
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> String.join("\n", snapshot(log)).contains("Usage: chat-server"));
    }

    @Test
    void runningOutOfFileDescriptorsPausesAcceptingAndServiceResumes() throws Exception {
        // A JVM needs a few dozen descriptors of its own; leave room for about 30 clients.
        process = startServer(log, 96, "--bind", "127.0.0.1", "--port", "0", "--max-per-ip", "0");
        await().atMost(Duration.ofSeconds(30)).until(() -> port(log) > 0);
        int port = port(log);

        List<java.net.Socket> storm = new ArrayList<>();
        try {
            for (int i = 0; i < 150; i++) {
                storm.add(new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port));
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> String.join("\n", snapshot(log)).contains("pausing accepts for 100 ms"));
        } finally {
            for (java.net.Socket socket : storm) {
                socket.close();
            }
        }
        try (LineClient alice = LineClient.named(port, "alice");
             LineClient bob = LineClient.named(port, "bob")) {
            alice.send("served again");
            bob.awaitExact("[#lobby] alice: served again");
        }
    }

    /** Starts chat.server.ServerMain in a JVM of its own, on this test's class path. */
    static Process startServer(List<String> output, String... args) throws Exception {
        return startServer(output, 0, args);
    }

    /**
     * Starts chat.server.ServerMain in a JVM of its own, on this test's class path; with
     * {@code maxOpenFiles > 0}, under that file-descriptor limit (through the shell's ulimit).
     */
    private static Process startServer(List<String> output, int maxOpenFiles, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (maxOpenFiles > 0) {
            command.addAll(List.of("bash", "-c", "ulimit -n " + maxOpenFiles + " && exec \"$0\" \"$@\""));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("chat.server.ServerMain");
        command.addAll(List.of(args));
        if (!List.of(args).contains("--data-dir")) { // each server its own history, not the shared temp dir's
            command.addAll(List.of("--data-dir", java.nio.file.Files.createTempDirectory("chat-data").toString()));
        }
        return start(new ProcessBuilder(command).directory(new File(System.getProperty("java.io.tmpdir"))), output);
    }

    /** Starts {@code builder}'s process with its output, stderr included, copied line by line into {@code output}. */
    static Process start(ProcessBuilder builder, List<String> output) throws java.io.IOException {
        Process started = builder.redirectErrorStream(true).start();
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        }, "server-output");
        pump.setDaemon(true);
        pump.start();
        return started;
    }

    static List<String> snapshot(List<String> log) {
        synchronized (log) {
            return new ArrayList<>(log);
        }
    }

    /** The port of the server's "listening on" line in {@code log}, or -1 before it. */
    static int port(List<String> log) {
        for (String line : snapshot(log)) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return -1;
    }

}
