package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientMainTest {

    @TempDir
    Path dir;

    /** What the command printed on stderr, and its exit status. */
    private record Run(int status, String err) {
    }

    private static Run run(String... args) {
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = ClientMain.run(args);
        } finally {
            System.setErr(before);
        }
        return new Run(status, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBadOptionPrintsItsErrorAndOneLinePointingToHelpNotTheWholeUsage() {
        Run run = run("--port", "not-a-number");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--port").contains("Try 'chat-client --help' for the options.")
                .doesNotContain("Usage:");
        assertThat(run.err().lines().count()).isLessThanOrEqualTo(3);
    }

    @Test
    void loggingInNeedsANick() {
        Run run = run("--login");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--login needs --nick NAME");
        assertThat(run("--password-file", "x").err()).contains("--password-file needs --nick NAME");
    }

    @Test
    void aPasswordFileOthersMayReadIsRefusedBeforeConnecting() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path file = dir.resolve("pw");
        Files.writeString(file, "s3cret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Run run = run("--nick", "alice", "--password-file", file.toString(), "--port", "1");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--password-file: permissions rw-r--r-- for " + file + " are too open")
                .contains("chmod 600").doesNotContain("s3cret").doesNotContain("cannot connect");
    }

    @Test
    void aMissingOrEmptyPasswordFileIsRefused() throws IOException {
        assertThat(run("--nick", "alice", "--password-file", dir.resolve("none").toString()).err())
                .contains("--password-file: no such file");
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rw-------"));
        }
        Run run = run("--nick", "alice", "--password-file", empty.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("is empty");
    }

    @Test
    void theHelpNamesTheLoginOptions() {
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(ClientMain.run("--help")).isZero();
        } finally {
            System.setOut(before);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--login").contains("--password-file=FILE");
    }
}
