package chat.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * Reads the password for {@code --password-file}: the first line of the file, without its line
 * end ({@code \n} or {@code \r\n}), taken as it is otherwise (spaces are part of it). Like ssh with
 * a private key, it refuses a file that group or others may read, where the file system has POSIX
 * permissions: a password others can read is no longer a secret, and saying so at once is better
 * than a leak nobody notices. An empty first line is refused too: it is a mistake, never a password.
 *
 * <p>The bytes read are wiped once decoded; the file is not read past {@link #MAX_LINE_BYTES} bytes
 * and one more.
 *
 * <p>Stateless and thread-safe.
 */
final class PasswordFile {

    /** The longest first line accepted, in bytes; a password is far shorter, anything longer is the wrong file. */
    static final int MAX_LINE_BYTES = 1024;

    private PasswordFile() {
    }

    /**
     * The password on the first line of {@code file}, decoded in {@code charset} (the console's:
     * the file was most likely written on it).
     *
     * @throws IllegalArgumentException with a message for the user: no such file, readable by
     *     group or others, unreadable, first line empty, too long, or not in {@code charset}
     */
    static Password read(Path file, Charset charset) {
        checkPrivate(file);
        byte[] bytes = new byte[MAX_LINE_BYTES + 2]; // room for the line, its CR and its LF
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(bytes, 0, bytes.length);
            int end = 0;
            while (end < n && bytes[end] != '\n') {
                end++;
            }
            if (end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
            if (end > MAX_LINE_BYTES) {
                throw new IllegalArgumentException("the first line of " + file + " is longer than " + MAX_LINE_BYTES
                        + " bytes; it must hold the password alone");
            }
            if (end == 0) {
                throw new IllegalArgumentException("the first line of " + file + " is empty; it must hold the password");
            }
            return new Password(decode(bytes, end, charset, file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Refuses a file that group or others may read; a file system without POSIX permissions passes. */
    private static void checkPrivate(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // no POSIX permissions here (Windows): nothing to check
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IllegalArgumentException("permissions " + PosixFilePermissions.toString(permissions) + " for " + file
                    + " are too open: a password file must not be readable by group or others (chmod 600 " + file + ")");
        }
    }

    /** The first {@code length} bytes as characters, strictly: a wrong charset must not yield a wrong password. */
    private static char[] decode(byte[] bytes, int length, Charset charset, Path file) {
        CharBuffer chars;
        try {
            chars = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the first line of " + file + " is not valid " + charset.name()
                    + " (the console's charset; --charset names another)");
        }
        char[] password = new char[chars.remaining()];
        chars.get(password);
        if (chars.hasArray()) {
            Arrays.fill(chars.array(), '\0');
        }
        return password;
    }
}
