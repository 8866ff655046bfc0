package chat.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AudienceTest {

    @Test
    void targetsNameTheirAudienceByPrefixAndTheWiderOneWins() {
        assertThat(Audience.ofTarget("#chan")).isEqualTo(Audience.EVERYONE);
        assertThat(Audience.ofTarget("@#chan")).isEqualTo(Audience.OPERATORS);
        assertThat(Audience.ofTarget("+#chan")).isEqualTo(Audience.VOICED);
        assertThat(Audience.ofTarget("@+#chan")).isEqualTo(Audience.VOICED);
        assertThat(Audience.ofTarget("+@#chan")).isEqualTo(Audience.VOICED);
    }

    @Test
    void nicksAndBarePrefixesAreForEveryone() {
        assertThat(Audience.ofTarget("alice")).isEqualTo(Audience.EVERYONE);
        assertThat(Audience.ofTarget("@alice")).isEqualTo(Audience.EVERYONE);
        assertThat(Audience.ofTarget("@")).isEqualTo(Audience.EVERYONE);
        assertThat(Audience.ofTarget("@#")).as("no room after the prefix").isEqualTo(Audience.EVERYONE);
        assertThat(Audience.ofTarget("")).isEqualTo(Audience.EVERYONE);
    }

    @Test
    void prefixesRoundTrip() {
        for (Audience audience : Audience.values()) {
            assertThat(Audience.ofTarget(audience.prefix() + "#room")).isEqualTo(audience);
        }
    }
}
