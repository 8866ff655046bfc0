package chat.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Password hashes: Argon2id made at a cheap cost so the tests stay fast, checked against the
 * reference implementation's own strings, and the PBKDF2 strings of earlier versions.
 */
class PasswordHashTest {

    /** 64 KiB, one pass: exercises Argon2id in well under a millisecond. */
    private static final PasswordHash.Cost CHEAP = new PasswordHash.Cost(64, 1, 1);

    /**
     * From the Argon2 reference implementation's tests (phc-winner-argon2, src/test.c): password
     * "password", salt "somesalt", 256 KiB, two passes, one and two lanes.
     */
    private static final String REFERENCE_P1 = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
    private static final String REFERENCE_P2 = "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc";

    /**
     * The form earlier versions wrote for {@code --oper}, made outside this code (Python's
     * hashlib.pbkdf2_hmac): password "operpassword", salt bytes 1 to 16, 1000 iterations.
     */
    private static final String LEGACY = "pbkdf2-sha256$1000$AQIDBAUGBwgJCgsMDQ4PEA$mzMlzqroq3wUF8ep1h14OPi/TYojNzCvYbnTgrhVmvY";

    @Test
    void aHashMatchesItsPasswordAndNoOther() {
        String hash = PasswordHash.hash("s3cret", CHEAP);

        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(PasswordHash.matches("s3cret", hash)).isTrue();
        assertThat(PasswordHash.matches("s3cret ", hash)).isFalse();
        assertThat(PasswordHash.matches("S3cret", hash)).isFalse();
        assertThat(PasswordHash.matches("", hash)).isFalse();
    }

    @Test
    void newHashesUseOwaspsMinimumForArgon2id() {
        String hash = PasswordHash.hash("pw"); // the one test at full cost: about 19 MiB, tens of ms

        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(PasswordHash.matches("pw", hash)).isTrue();
    }

    @Test
    void nonAsciiPasswordsAreHashedAsUtf8() {
        String hash = PasswordHash.hash("pässwörd 密码", CHEAP);

        assertThat(PasswordHash.matches("pässwörd 密码", hash)).isTrue();
        assertThat(PasswordHash.matches("passwörd 密码", hash)).isFalse();
    }

    @Test
    void twoHashesOfOnePasswordDifferButBothMatch() {
        String one = PasswordHash.hash("same", CHEAP);
        String two = PasswordHash.hash("same", CHEAP);

        assertThat(one.split("\\$")[4]).as("a fresh salt each time").isNotEqualTo(two.split("\\$")[4]);
        assertThat(one).isNotEqualTo(two);
        assertThat(PasswordHash.matches("same", one)).isTrue();
        assertThat(PasswordHash.matches("same", two)).isTrue();
    }

    @Test
    void theStoredStringDoesNotHoldThePassword() {
        String password = "correct horse battery staple";
        String hash = PasswordHash.hash(password, CHEAP);

        assertThat(hash).doesNotContain(password).doesNotContain("horse");
        assertThat(hash).doesNotContain(java.util.Base64.getEncoder().withoutPadding()
                .encodeToString(password.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 12));
    }

    @Test
    void theReferenceImplementationsHashesMatch() {
        assertThat(PasswordHash.matches("password", REFERENCE_P1)).isTrue();
        assertThat(PasswordHash.matches("password", REFERENCE_P2)).isTrue();
        assertThat(PasswordHash.matches("passwore", REFERENCE_P1)).isFalse();
        assertThat(PasswordHash.isHash(REFERENCE_P1)).isTrue();
    }

    @Test
    void theCostIsReadFromTheHash() {
        String other = REFERENCE_P1.replace("t=2", "t=3");

        assertThat(PasswordHash.matches("password", other)).as("another cost derives another hash").isFalse();
        assertThat(PasswordHash.matches("password", REFERENCE_P1.replace("p=1", "p=2"))).isFalse();
    }

    @Test
    void legacyPbkdf2HashesStillMatch() {
        assertThat(PasswordHash.isHash(LEGACY)).isTrue();
        assertThat(PasswordHash.matches("operpassword", LEGACY)).isTrue();
        assertThat(PasswordHash.matches("operpassword ", LEGACY)).isFalse();
        assertThat(PasswordHash.matches("operpassword", LEGACY.replace("$1000$", "$1001$"))).isFalse();
    }

    @Test
    void aMalformedArgon2idHashMatchesNothingAndThrowsNothing() {
        String good = PasswordHash.hash("pw", CHEAP);
        String[] parts = good.split("\\$"); // "", argon2id, v=19, m=64,t=1,p=1, salt, hash
        String salt = parts[4];
        String hash = parts[5];

        assertThat(PasswordHash.matches("pw", good)).isTrue();
        for (String bad : new String[] {
                null, "", "pw", "$", "$argon2id$", good + "$", good + "$extra", good.substring(1),
                good.replace("argon2id", "argon2i"), good.replace("argon2id", "argon2d"),
                good.replace("argon2id", "ARGON2ID"), good.replace("v=19", "v=16"), good.replace("$v=19", ""),
                "$argon2id$v=19$m=64,t=1$" + salt + "$" + hash,
                "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=64,t=1,p=1,m=64$" + salt + "$" + hash,
                "$argon2id$v=19$m=64;t=1;p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=x,t=1,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=-64,t=1,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=99999999999999999999,t=1,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + hash,
                "$argon2id$v=19$m=4,t=1,p=1$" + salt + "$" + hash, // under Argon2's 8 KiB per lane
                "$argon2id$v=19$m=64,t=1,p=1$$" + hash,
                "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$",
                "$argon2id$v=19$m=64,t=1,p=1$%%%$" + hash,
                "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$%%%",
                "$argon2id$v=19$m=64,t=1,p=1$" + salt.replace('+', '-') + "-_$" + hash,
                "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + hash, // padding is not PHC
                "$argon2id$v=19$m=64,t=1,p=1$c29tZQ$" + hash, // a 4-byte salt
                "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash.substring(0, 16), // a 12-byte hash
        }) {
            assertThat(PasswordHash.matches("pw", bad)).as(String.valueOf(bad)).isFalse();
            assertThat(bad == null || !PasswordHash.isHash(bad)).as(String.valueOf(bad)).isTrue();
        }
    }

    /** Refused before anything is allocated: these would take a gigabyte and more, or minutes. */
    @Test
    void anAbsurdCostIsRefusedNotComputed() {
        String salt = "c29tZXNhbHQ";
        String hash = "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
        for (String cost : new String[] {
                "m=1048577,t=1,p=1", "m=2147483647,t=1,p=1", "m=64,t=101,p=1", "m=64,t=999999999,p=1",
                "m=256,t=1,p=17", "m=256,t=1,p=255"}) {
            String bad = "$argon2id$v=19$" + cost + "$" + salt + "$" + hash;
            assertThat(PasswordHash.isHash(bad)).as(cost).isFalse();
            assertThat(PasswordHash.matches("password", bad)).as(cost).isFalse();
        }
        assertThat(PasswordHash.isHash("$argon2id$v=19$m=1048576,t=100,p=16$" + salt + "$" + hash))
                .as("at the ceilings").isTrue();
        assertThat(PasswordHash.matches("operpassword", LEGACY.replace("$1000$", "$10000001$"))).isFalse();
        assertThat(PasswordHash.matches("operpassword", LEGACY.replace("$1000$", "$2147483647$"))).isFalse();
    }

    @Test
    void aMalformedLegacyHashMatchesNothing() {
        String[] parts = LEGACY.split("\\$");

        for (String bad : new String[] {
                LEGACY.replace("pbkdf2-sha256", "pbkdf2-sha1"), LEGACY + "$extra", "$" + LEGACY,
                parts[0] + "$" + parts[1] + "$" + parts[2],
                parts[0] + "$many$" + parts[2] + "$" + parts[3],
                parts[0] + "$0$" + parts[2] + "$" + parts[3],
                parts[0] + "$-5$" + parts[2] + "$" + parts[3],
                parts[0] + "$01000$" + parts[2] + "$" + parts[3],
                parts[0] + "$1000$%%%$" + parts[3],
                parts[0] + "$1000$" + parts[2] + "$%%%",
                parts[0] + "$1000$$" + parts[3],
                parts[0] + "$1000$" + parts[2] + "$" + parts[3].substring(4), // a truncated hash
        }) {
            assertThat(PasswordHash.matches("operpassword", bad)).as(bad).isFalse();
            assertThat(PasswordHash.isHash(bad)).as(bad).isFalse();
        }
    }

    @Test
    void isHashKnowsBothForms() {
        assertThat(PasswordHash.isHash(PasswordHash.hash("pw", CHEAP))).isTrue();
        assertThat(PasswordHash.isHash(LEGACY)).isTrue();
        assertThat(PasswordHash.isHash("hunter2")).isFalse();
        assertThat(PasswordHash.isHash("")).isFalse();
        assertThat(PasswordHash.isHash(null)).isFalse();
        assertThat(PasswordHash.isHash("bcrypt$1$salt$hash")).isFalse();
        assertThat(PasswordHash.isHash("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW")).isFalse();
    }

    @Test
    void aCostOutsideTheCeilingsCannotBeMade() {
        assertThatThrownBy(() -> new PasswordHash.Cost(PasswordHash.MAX_MEMORY_KIB + 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHash.Cost(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHash.Cost(64, 1, 9)).as("under 8 KiB per lane")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
