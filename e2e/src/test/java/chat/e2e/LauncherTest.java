package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/chat-server}, the launcher README's quick start uses: the JVM profile it applies,
 * what it takes from the environment, and a real server started through it with a config file
 * that SIGHUP reads again.
 */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("..", "bin", "chat-server").toAbsolutePath().normalize();
    private static final Path JAR = Path.of("..", "server", "target", "chat-server.jar").toAbsolutePath().normalize();

    private final List<String> log = new ArrayList<>();
    private Process process;

    @org.junit.jupiter.api.extension.RegisterExtension
    final org.junit.jupiter.api.extension.TestWatcher printLogOnFailure = new org.junit.jupiter.api.extension.TestWatcher() {
        @Override
        public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
            System.err.println("launcher output:\n" + String.join("\n", ServerProcessTest.snapshot(log)));
        }
    };

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** The command the server's launcher would run, a word per line, under {@code environment}. */
    private static List<String> dryRun(Map<String, String> environment, String... args) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of("CHAT_SERVER_JAR", JAR.toString()));
        env.putAll(environment);
        return dryRun(LAUNCHER, env, args);
    }

    /** The command {@code launcher} would run, a word per line, under {@code environment} (JAVA_OPTS and CHAT_HEAP unset). */
    private static List<String> dryRun(Path launcher, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("CHAT_HEAP");
        builder.environment().put("CHAT_LAUNCHER_DRY_RUN", "1");
        builder.environment().putAll(environment);
        Process run = builder.start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(out).isZero();
        return List.of(out.split("\n"));
    }

    @Test
    void withoutAHeapSizeTheHeapFollowsTheLiveDataAndOptionsPassThroughIntact() throws Exception {
        String javaHome = System.getProperty("java.home");
        List<String> command = dryRun(Map.of("JAVA_HOME", javaHome, "JAVA_OPTS", "-Done=1 -Dtwo=2"),
                "--motd", "/etc/chat/motd of the day.txt", "--port", "7000");
        assertThat(command.get(0)).isEqualTo(Path.of(javaHome, "bin", "java").toString());
        assertThat(command).contains("-XX:+UseSerialGC", "-Xmn8m", "-XX:MaxHeapFreeRatio=10", "-XX:-ShrinkHeapInSteps",
                "-XX:MarkSweepDeadRatio=0", "-XX:+AlwaysPreTouch");
        assertThat(command).noneMatch(word -> word.startsWith("-Xmx"));
        // JAVA_OPTS after the launcher's own, so they win; then the jar; then the options, each one word
        assertThat(command.subList(command.indexOf("-Dtwo=2") + 1, command.size()))
                .containsExactly("-jar", JAR.toString(), "--motd", "/etc/chat/motd of the day.txt", "--port", "7000");
        assertThat(command.indexOf("-Done=1")).isGreaterThan(command.indexOf("-XX:+AlwaysPreTouch"));
    }

    @Test
    void aHeapSizeMakesAFixedPreTouchedHeap() throws Exception {
        List<String> command = dryRun(Map.of("CHAT_HEAP", "256m"));
        assertThat(command).contains("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC")
                .doesNotContain("-Xmn8m", "-XX:MaxHeapFreeRatio=10");
    }

    /**
     * On one CPU the launcher asks, and the server puts its C2 compiler threads and its own
     * background threads (the history writer here) at nice 19 and leaves C1 and the loop at the
     * default priority: read back from the kernel's view of the running server.
     */
    @Test
    void oneCpuPutsTheOptimizingCompilerAndTheHistoryWriterBelowTheLoopAndLeavesTheQuickCompiler(@TempDir Path dir) throws Exception {
        ProcessBuilder dry = new ProcessBuilder("taskset", "-c", "0", LAUNCHER.toString()).redirectErrorStream(true);
        dry.environment().put("CHAT_SERVER_JAR", JAR.toString());
        dry.environment().put("CHAT_LAUNCHER_DRY_RUN", "1");
        Process run = dry.start();
        List<String> command = List.of(new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(command).contains("-XX:-UseDynamicNumberOfCompilerThreads", "-Dchat.jit.c2-nice=19",
                        "-Dchat.background-nice=19")
                .noneMatch(word -> word.startsWith("-XX:CompilerThreadPriority"));

        ProcessBuilder builder = new ProcessBuilder("taskset", "-c", "0", LAUNCHER.toString(), "--bind", "127.0.0.1",
                "--port", "0", "--data-dir", dir.resolve("data").toString())
                .directory(new File(System.getProperty("java.io.tmpdir")));
        builder.environment().put("CHAT_SERVER_JAR", JAR.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process = ServerProcessTest.start(builder, log);
        await().atMost(Duration.ofSeconds(30)).until(() -> ServerProcessTest.port(log) > 0);
        assertThat(String.join("\n", ServerProcessTest.snapshot(log))).contains("JIT: C2 compiler thread(s)")
                .contains("background threads (history, TLS handshakes, password checks, metrics) at nice 19");
        // Each background thread lowers itself as it starts: wait for the writer's first step.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(niceByThreadName(process.pid()))
                .containsEntry("C2", 19).containsEntry("C1", 0)
                .containsEntry("chat-history-wr", 19) // the kernel keeps 15 characters of a name
                .containsEntry("chat-loop", 0));
        process.destroy();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    /** Each thread's nice value by its Linux name; the JIT's compiler threads by "C1" and "C2". */
    private static Map<String, Integer> niceByThreadName(long pid) throws java.io.IOException {
        Map<String, Integer> niceByName = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String name = Files.readString(task.resolve("comm")).strip();
                String stat = Files.readString(task.resolve("stat"));
                int nice = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19 - 3]);
                niceByName.merge(name.startsWith("C") ? name.substring(0, 2) : name, nice, Math::max);
            }
        }
        return niceByName;
    }

    /** A Java home that says it is {@code version} in its release file; its java runs this JVM's. */
    private static Path javaHomeOf(Path dir, String version) throws Exception {
        Path home = dir.resolve("java-" + version);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("bin").resolve("java");
        Files.writeString(java, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        return home;
    }

    @Test
    void javaFrom25OnGetsCompactObjectHeadersAndOlderOnesDoNot(@TempDir Path dir) throws Exception {
        assertThat(dryRun(Map.of("JAVA_HOME", javaHomeOf(dir, "25.0.1").toString())))
                .contains("-XX:+UseCompactObjectHeaders");
        assertThat(dryRun(Map.of("JAVA_HOME", javaHomeOf(dir, "26").toString())))
                .contains("-XX:+UseCompactObjectHeaders");
        assertThat(dryRun(Map.of("JAVA_HOME", javaHomeOf(dir, "21.0.5").toString())))
                .doesNotContain("-XX:+UseCompactObjectHeaders");
        assertThat(dryRun(Map.of("JAVA_HOME", javaHomeOf(dir, "17.0.15").toString())))
                .doesNotContain("-XX:+UseCompactObjectHeaders");
    }

    @Test
    void javaWithTheNativeHeapTrimmerGetsItUnlockedWhereItCameAsABackport(@TempDir Path dir) throws Exception {
        String trim = "-XX:TrimNativeHeapInterval=10000";
        String unlock = "-XX:+UnlockExperimentalVMOptions";
        for (String version : List.of("17.0.9", "17.0.15", "21.0.1", "21.0.5")) {
            List<String> command = dryRun(Map.of("JAVA_HOME", javaHomeOf(dir, version).toString()));
            assertThat(command).as(version).contains(unlock, trim);
            assertThat(command.indexOf(unlock)).as(version).isLessThan(command.indexOf(trim));
        }
        for (String version : List.of("22", "25.0.1", "26-ea")) {
            assertThat(dryRun(Map.of("JAVA_HOME", javaHomeOf(dir, version).toString()))).as(version)
                    .contains(trim).doesNotContain(unlock);
        }
        for (String version : List.of("17", "17.0.8", "21", "21.0.0")) {
            assertThat(dryRun(Map.of("JAVA_HOME", javaHomeOf(dir, version).toString()))).as(version)
                    .doesNotContain(trim, unlock);
        }
    }

    @Test
    void aMissingJarOrJavaIsAClearErrorWithStatusTwo(@TempDir Path dir) throws Exception {
        for (Map<String, String> environment : List.of(
                Map.of("CHAT_SERVER_JAR", dir.resolve("none.jar").toString()),
                Map.of("CHAT_SERVER_JAR", JAR.toString(), "JAVA_HOME", dir.toString()))) {
            ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process run = builder.start();
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(run.exitValue()).isEqualTo(2);
            assertThat(out).startsWith("chat-server: ").contains(environment.containsKey("JAVA_HOME") ? "bin/java" : "jar");
        }
    }

    /**
     * The server through the launcher with a config file: it serves, SIGHUP applies a changed
     * limit and logs it, a broken file is refused and the running configuration stays, and
     * SIGTERM ends it with status 0.
     */
    @Test
    void aServerStartedByTheLauncherReloadsItsConfigFileOnSighup(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("chat-server.conf");
        Files.writeString(config, "bind = 127.0.0.1\nport = 0\nmax-clients = 10\ndata-dir = " + dir.resolve("data") + "\n");
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "--config", config.toString())
                .directory(new File(System.getProperty("java.io.tmpdir")));
        builder.environment().put("CHAT_SERVER_JAR", JAR.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process = ServerProcessTest.start(builder, log);
        await().atMost(Duration.ofSeconds(30)).until(() -> ServerProcessTest.port(log) > 0);
        int port = ServerProcessTest.port(log);

        try (LineClient alice = LineClient.named(port, "alice")) {
            Files.writeString(config, "bind = 127.0.0.1\nport = 0\nmax-clients = 1\ndata-dir = " + dir.resolve("data") + "\n");
            hangUp();
            await().atMost(Duration.ofSeconds(30)).until(() -> String.join("\n", ServerProcessTest.snapshot(log))
                    .contains("configuration reloaded (SIGHUP): limits.maxClients 10 -> 1"));
            try (java.net.Socket second = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                second.setSoTimeout(10_000);
                java.io.InputStream in = second.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).as("refused with a line, then closed")
                        .isNotBlank();
            }

            Files.writeString(config, "max-client = 5\n");
            hangUp();
            await().atMost(Duration.ofSeconds(30)).until(() -> String.join("\n", ServerProcessTest.snapshot(log))
                    .contains("configuration not reloaded (SIGHUP), the running one stays"));
            alice.send("/who");
            alice.awaitExact("-- #lobby (1): @alice");
        }
        process.destroy();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
    }

    private void hangUp() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static final Path CLIENT_LAUNCHER = Path.of("..", "bin", "chat-client").toAbsolutePath().normalize();
    private static final Path CLIENT_JAR = Path.of("..", "client", "target", "chat-client.jar").toAbsolutePath().normalize();

    private static List<String> clientDryRun(Path cdsDir) throws Exception {
        return dryRun(CLIENT_LAUNCHER, Map.of("CHAT_CLIENT_JAR", CLIENT_JAR.toString(), "CHAT_CDS_DIR", cdsDir.toString()),
                "--nick", "alice");
    }

    /** The client's launcher records a class-data archive on the first run and maps it on the next. */
    @Test
    void theClientLauncherRecordsAnArchiveOnceAndUsesItAfterwards(@TempDir Path dir) throws Exception {
        Path cds = dir.resolve("cache");
        List<String> first = clientDryRun(cds);
        String record = first.stream().filter(w -> w.startsWith("-XX:ArchiveClassesAtExit=")).findFirst().orElseThrow();
        assertThat(first).noneMatch(w -> w.startsWith("-XX:SharedArchiveFile="));
        assertThat(first.subList(first.size() - 4, first.size())).containsExactly("-jar", CLIENT_JAR.toString(), "--nick", "alice");
        Path archive = Path.of(record.substring(record.indexOf('=') + 1));
        assertThat(archive.getParent()).isEqualTo(cds);
        Files.writeString(archive, "stands for the archive the first run's JVM writes at its exit");

        assertThat(clientDryRun(cds)).contains("-XX:SharedArchiveFile=" + archive).noneMatch(w -> w.startsWith("-XX:ArchiveClassesAtExit"));
        assertThat(clientDryRun(Path.of("off"))).noneMatch(w -> w.contains("Archive"));
    }
}
