package chat.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Operator password hashes, made with few iterations so the tests stay fast. */
class PasswordHashTest {

    /** Enough iterations to exercise PBKDF2, few enough to run in a millisecond. */
    private static final int FEW = 1000;

    @Test
    void aHashMatchesItsPasswordAndNoOther() {
        String hash = PasswordHash.hash("s3cret", FEW);

        assertThat(hash).startsWith("pbkdf2-sha256$" + FEW + "$");
        assertThat(PasswordHash.matches("s3cret", hash)).isTrue();
        assertThat(PasswordHash.matches("s3cret ", hash)).isFalse();
        assertThat(PasswordHash.matches("S3cret", hash)).isFalse();
        assertThat(PasswordHash.matches("", hash)).isFalse();
    }

    @Test
    void twoHashesOfOnePasswordDifferButBothMatch() {
        String one = PasswordHash.hash("same", FEW);
        String two = PasswordHash.hash("same", FEW);

        assertThat(one).isNotEqualTo(two); // a fresh salt each time
        assertThat(PasswordHash.matches("same", one)).isTrue();
        assertThat(PasswordHash.matches("same", two)).isTrue();
    }

    @Test
    void theIterationCountIsReadFromTheHash() {
        String hash = PasswordHash.hash("pw", FEW);
        String other = hash.replace("$" + FEW + "$", "$" + (FEW + 1) + "$");

        assertThat(PasswordHash.matches("pw", other)).as("another count derives another key").isFalse();
    }

    @Test
    void aMalformedHashMatchesNothingAndThrowsNothing() {
        String good = PasswordHash.hash("pw", FEW);
        String[] parts = good.split("\\$");

        assertThat(PasswordHash.matches("pw", "")).isFalse();
        assertThat(PasswordHash.matches("pw", "pw")).isFalse();
        assertThat(PasswordHash.matches("pw", good.replace("pbkdf2-sha256", "pbkdf2-sha1"))).isFalse();
        assertThat(PasswordHash.matches("pw", good + "$extra")).isFalse();
        assertThat(PasswordHash.matches("pw", parts[0] + "$" + parts[1] + "$" + parts[2])).isFalse();
        assertThat(PasswordHash.matches("pw", parts[0] + "$many$" + parts[2] + "$" + parts[3])).isFalse();
        assertThat(PasswordHash.matches("pw", parts[0] + "$0$" + parts[2] + "$" + parts[3])).isFalse();
        assertThat(PasswordHash.matches("pw", parts[0] + "$-5$" + parts[2] + "$" + parts[3])).isFalse();
        assertThat(PasswordHash.matches("pw", parts[0] + "$" + FEW + "$%%%$" + parts[3])).isFalse();
        assertThat(PasswordHash.matches("pw", parts[0] + "$" + FEW + "$" + parts[2] + "$%%%")).isFalse();
        assertThat(PasswordHash.matches("pw", parts[0] + "$" + FEW + "$$" + parts[3])).as("empty salt").isFalse();
        assertThat(PasswordHash.matches("pw", parts[0] + "$" + FEW + "$" + parts[2] + "$" + parts[3].substring(2)))
                .as("a truncated hash").isFalse();
    }

    @Test
    void isHashKnowsTheFormItWrites() {
        assertThat(PasswordHash.isHash(PasswordHash.hash("pw", FEW))).isTrue();
        assertThat(PasswordHash.isHash("pbkdf2-sha256$1$salt$hash")).isTrue();
        assertThat(PasswordHash.isHash("hunter2")).isFalse();
        assertThat(PasswordHash.isHash("")).isFalse();
        assertThat(PasswordHash.isHash("pbkdf2-sha256$1$salt")).isFalse();
        assertThat(PasswordHash.isHash("bcrypt$1$salt$hash")).isFalse();
    }
}
