package chat.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes. New ones are Argon2id, memory-hard so that guessing costs memory as well as
 * time, written as the standard PHC string {@code $argon2id$v=19$m=KIB,t=PASSES,p=LANES$SALT$HASH}
 * (unpadded standard Base64) that other Argon2 libraries read too. Hashes of earlier versions,
 * {@code pbkdf2-sha256$ITERATIONS$SALT$HASH}, are still checked, so operators' configurations
 * keep working; nothing new is written in that form.
 *
 * <p>A check runs at the cost written in the stored string, so a string whose cost passes a
 * ceiling (memory, passes, lanes, iterations) is refused as malformed: a crafted or mistyped hash
 * cannot make one check take a gigabyte or minutes. Slow on purpose: verify off the event loop.
 *
 * <p>Depends on Bouncy Castle's Argon2 and the JDK's PBKDF2. Stateless and thread-safe.
 */
public final class PasswordHash {

    /** Argon2id's cost: memory in KiB, passes over it, lanes; within the ceilings below. */
    record Cost(int memoryKiB, int iterations, int parallelism) {
        Cost {
            if (!acceptable(memoryKiB, iterations, parallelism)) {
                throw new IllegalArgumentException("Argon2id cost out of range: m=" + memoryKiB + ",t="
                        + iterations + ",p=" + parallelism);
            }
        }
    }

    /** New hashes: OWASP's minimum for Argon2id, 19 MiB and two passes in one lane. */
    static final Cost DEFAULT_COST = new Cost(19_456, 2, 1);
    /** Ceilings on a stored Argon2id hash: 1 GiB, 100 passes, 16 lanes. */
    static final int MAX_MEMORY_KIB = 1 << 20;
    static final int MAX_ITERATIONS = 100;
    static final int MAX_PARALLELISM = 16;
    /** Ceiling on a stored PBKDF2 hash: about 16 times the 600,000 iterations we used to write. */
    static final int MAX_PBKDF2_ITERATIONS = 10_000_000;

    private static final String ARGON2ID = "argon2id";
    private static final String VERSION = "v=19"; // Argon2 1.3, Argon2Parameters.ARGON2_VERSION_13
    private static final String PBKDF2 = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    /** Salt lengths accepted in a stored hash: Argon2's minimum of 8 bytes, and room above ours. */
    private static final int MIN_SALT_BYTES = 8;
    private static final int MAX_SALT_BYTES = 64;
    /** Argon2id hash lengths accepted: PHC's recommended minimum, and room above ours. */
    private static final int MIN_HASH_BYTES = 16;
    private static final int MAX_HASH_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();

    private PasswordHash() {
    }

    /** A new Argon2id hash of {@code password} at the default cost, with a fresh random salt. */
    public static String hash(String password) {
        return hash(password, DEFAULT_COST);
    }

    /** A new Argon2id hash at {@code cost}: for tests, which need cheap ones. */
    static String hash(String password, Cost cost) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = argon2id(password, salt, cost, HASH_BYTES);
        return "$" + ARGON2ID + "$" + VERSION + "$m=" + cost.memoryKiB() + ",t=" + cost.iterations() + ",p="
                + cost.parallelism() + "$" + BASE64.encodeToString(salt) + "$" + BASE64.encodeToString(hash);
    }

    /**
     * True when {@code password} is the one {@code hash} (either form) was made from. False, never
     * an exception, for a null, malformed or over-costly hash. Compares in constant time.
     */
    public static boolean matches(String password, String hash) {
        Stored stored = parse(hash);
        if (stored == null) {
            return false;
        }
        try {
            return MessageDigest.isEqual(stored.expected(), stored.derive(password));
        } catch (IllegalArgumentException | IllegalStateException refused) { // by the library, past our checks
            return false;
        }
    }

    /** True when {@code text} is a hash {@link #matches} can check: either form, well-formed, within the ceilings. */
    public static boolean isHash(String text) {
        return parse(text) != null;
    }

    /** A stored hash taken apart: what to compare, and how to derive it from a password. */
    private sealed interface Stored permits Argon2idHash, Pbkdf2Hash {
        byte[] expected();

        byte[] derive(String password);
    }

    private record Argon2idHash(Cost cost, byte[] salt, byte[] expected) implements Stored {
        @Override
        public byte[] derive(String password) {
            return argon2id(password, salt, cost, expected.length);
        }
    }

    private record Pbkdf2Hash(int iterations, byte[] salt, byte[] expected) implements Stored {
        @Override
        public byte[] derive(String password) {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, expected.length * 8);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
            } finally {
                spec.clearPassword();
            }
        }
    }

    private static byte[] argon2id(String password, byte[] salt, Cost cost, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(cost.memoryKiB())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        try {
            generator.generateBytes(bytes, out);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        return out;
    }

    /** {@code text} taken apart, or null when it is not a hash of either form within the ceilings. */
    private static Stored parse(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split("\\$", -1);
        if (parts.length == 6 && parts[0].isEmpty() && parts[1].equals(ARGON2ID) && parts[2].equals(VERSION)) {
            String[] cost = parts[3].split(",", -1);
            if (cost.length != 3) {
                return null;
            }
            int m = decimal(cost[0], "m=");
            int t = decimal(cost[1], "t=");
            int p = decimal(cost[2], "p=");
            byte[] salt = base64(parts[4], MIN_SALT_BYTES, MAX_SALT_BYTES);
            byte[] hash = base64(parts[5], MIN_HASH_BYTES, MAX_HASH_BYTES);
            return acceptable(m, t, p) && salt != null && hash != null ? new Argon2idHash(new Cost(m, t, p), salt, hash)
                    : null;
        }
        if (parts.length == 4 && parts[0].equals(PBKDF2)) {
            int iterations = decimal(parts[1], "");
            byte[] salt = base64(parts[2], MIN_SALT_BYTES, MAX_SALT_BYTES);
            byte[] hash = base64(parts[3], HASH_BYTES, HASH_BYTES);
            return iterations >= 1 && iterations <= MAX_PBKDF2_ITERATIONS && salt != null && hash != null
                    ? new Pbkdf2Hash(iterations, salt, hash) : null;
        }
        return null;
    }

    /** Argon2 needs 8 KiB per lane at least; the ceilings keep a stored hash from costing too much. */
    private static boolean acceptable(int memoryKiB, int iterations, int parallelism) {
        return parallelism >= 1 && parallelism <= MAX_PARALLELISM
                && iterations >= 1 && iterations <= MAX_ITERATIONS
                && memoryKiB >= 8 * parallelism && memoryKiB <= MAX_MEMORY_KIB;
    }

    /** The decimal after {@code name}: digits only, no sign or leading zero, at most 9; else -1. */
    private static int decimal(String field, String name) {
        if (!field.startsWith(name)) {
            return -1;
        }
        String digits = field.substring(name.length());
        if (digits.isEmpty() || digits.length() > 9 || (digits.length() > 1 && digits.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(digits);
    }

    /** Unpadded standard Base64 decoding to {@code min} to {@code max} bytes; else null. */
    private static byte[] base64(String text, int min, int max) {
        if (text.indexOf('=') >= 0) {
            return null;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            return bytes.length >= min && bytes.length <= max ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
