package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A really full disk under a running server: its data directory on a 2 MiB tmpfs, filled up
 * while it runs. Needs root, to mount the tmpfs, and is skipped where it cannot mount one; the
 * server module's HistoryFullDiskTest runs the same case everywhere, through SQLite's
 * max_page_count.
 */
class HistoryFullDiskEndToEndTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String LONG_TEXT = "a line long enough to need room on the disk ".repeat(8).strip();

    @TempDir
    Path dir;

    private Path small;
    private boolean mounted;
    private Process process;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void mountASmallFileSystem() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        small = Files.createDirectory(dir.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        assumeTrue(mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0, "mount -t tmpfs is not allowed here");
        mounted = true;
    }

    @AfterEach
    void stopAndUnmount() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
        if (mounted) {
            new ProcessBuilder("umount", small.toString()).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullDiskIsLoggedAtErrorChatGoesOnAndSavingResumesOnceThereIsRoom() throws Exception {
        Path data = small.resolve("data");
        process = ServerProcessTest.start(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "chat.server.ServerMain", "--bind",
                "127.0.0.1", "--port", "0", "--data-dir", data.toString(), "--history-sync", "50")
                .directory(new File(System.getProperty("java.io.tmpdir"))), log);
        await().atMost(PATIENCE).until(() -> ServerProcessTest.port(log) > 0);
        int port = ServerProcessTest.port(log);

        try (LineClient alice = LineClient.named(port, "alice"); LineClient bob = LineClient.named(port, "bob")) {
            alice.send("before the disk filled");
            bob.awaitExact("[#lobby] alice: before the disk filled");
            await().atMost(PATIENCE).until(() -> stored(data, "before the disk filled") == 1);

            Path filler = fill(small.resolve("filler"));
            for (int i = 0; i < 100; i++) {
                alice.send(i + " " + LONG_TEXT);
            }
            bob.awaitExact("[#lobby] alice: 99 " + LONG_TEXT);
            await().atMost(PATIENCE).until(() -> output().contains("ERROR")
                    && output().contains("could not save") && output().contains("full"));

            Files.delete(filler);
            alice.send("once there is room again");
            bob.awaitExact("[#lobby] alice: once there is room again");
            await().atMost(PATIENCE).until(() -> output().contains("saving works again"));
            await().atMost(PATIENCE).until(() -> stored(data, "once there is room again") == 1);
        }
        assertThat(process.isAlive()).isTrue();
    }

    private String output() {
        return String.join("\n", ServerProcessTest.snapshot(log));
    }

    /** Writes {@code file} until the file system has no room left. */
    private static Path fill(Path file) throws IOException {
        byte[] block = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("space")) {
                throw full;
            }
        }
        return file;
    }

    /** How many kept messages have this text, read from the file as any SQLite tool would. */
    private static int stored(Path data, String text) {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:file:" + data.resolve("history.db") + "?mode=ro");
                PreparedStatement query = db.prepareStatement("SELECT count(*) FROM messages WHERE text = ?")) {
            query.setString(1, text);
            try (ResultSet rows = query.executeQuery()) {
                return rows.getInt(1);
            }
        } catch (SQLException notYet) {
            return 0;
        }
    }
}
