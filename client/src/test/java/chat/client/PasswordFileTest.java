package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    @TempDir
    Path dir;

    /** A file with these bytes that only its owner may read, as the option asks. */
    private Path privateFile(byte[] content) throws IOException {
        Path file = dir.resolve("password");
        Files.write(file, content);
        if (POSIX) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return file;
    }

    private Path privateFile(String content) throws IOException {
        return privateFile(content.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Password password) {
        return new String(password.after(""));
    }

    @Test
    void theFirstLineIsThePasswordWithoutItsLineEnd() throws IOException {
        assertThat(text(PasswordFile.read(privateFile("s3cret\nsecond line\n"), StandardCharsets.UTF_8)))
                .isEqualTo("s3cret");
        assertThat(text(PasswordFile.read(privateFile("s3cret\r\nsecond\r\n"), StandardCharsets.UTF_8)))
                .isEqualTo("s3cret");
        assertThat(text(PasswordFile.read(privateFile("no line end"), StandardCharsets.UTF_8)))
                .isEqualTo("no line end");
        assertThat(text(PasswordFile.read(privateFile(" spaces kept \n"), StandardCharsets.UTF_8)))
                .isEqualTo(" spaces kept ");
    }

    @Test
    void itIsReadInTheGivenCharset() throws IOException {
        Charset gbk = Charset.forName("GBK");
        assertThat(text(PasswordFile.read(privateFile("密码\n".getBytes(gbk)), gbk))).isEqualTo("密码");
        assertThatThrownBy(() -> PasswordFile.read(privateFile(new byte[] {(byte) 0xff, (byte) 0xfe, '\n'}),
                StandardCharsets.UTF_8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not valid UTF-8");
    }

    @Test
    void anEmptyFileOrFirstLineIsRefused() throws IOException {
        for (String content : new String[] {"", "\n", "\r\n", "\nthe password on line two\n"}) {
            assertThatThrownBy(() -> PasswordFile.read(privateFile(content), StandardCharsets.UTF_8))
                    .as("content %s", content.replace("\n", "\\n").replace("\r", "\\r"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is empty");
        }
    }

    @Test
    void aFirstLineTooLongToBeAPasswordIsRefused() throws IOException {
        String longest = "x".repeat(PasswordFile.MAX_LINE_BYTES);
        assertThat(text(PasswordFile.read(privateFile(longest + "\r\n"), StandardCharsets.UTF_8))).isEqualTo(longest);
        assertThatThrownBy(() -> PasswordFile.read(privateFile(longest + "x\n"), StandardCharsets.UTF_8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 1024 bytes");
        assertThatThrownBy(() -> PasswordFile.read(privateFile("x".repeat(100_000)), StandardCharsets.UTF_8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 1024 bytes");
    }

    @Test
    void aFileThatGroupOrOthersMayReadIsRefusedAsSshDoes() throws IOException {
        assumeTrue(POSIX, "POSIX permissions");
        Path file = privateFile("s3cret\n");
        for (String open : new String[] {"rw-r--r--", "rw-r-----", "rw----r--", "r--r-----"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(open));
            assertThatThrownBy(() -> PasswordFile.read(file, StandardCharsets.UTF_8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("permissions " + open + " for " + file + " are too open")
                    .hasMessageContaining("chmod 600")
                    .hasMessageNotContaining("s3cret");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThat(text(PasswordFile.read(file, StandardCharsets.UTF_8))).isEqualTo("s3cret");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nowhere");
        assertThatThrownBy(() -> PasswordFile.read(missing, StandardCharsets.UTF_8))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no such file: " + missing);
    }

    @Test
    void aPasswordIsNeverShownAndCanBeWiped() {
        Password password = new Password("s3cret".toCharArray());
        assertThat(password.toString()).doesNotContain("s3cret");
        assertThat(new String(password.after("/login alice "))).isEqualTo("/login alice s3cret");
        password.wipe();
        assertThat(password.isWiped()).isTrue();
        assertThat(password.after("/login alice ")).isNull();
        assertThat(password.toString()).doesNotContain("s3cret");
    }
}
