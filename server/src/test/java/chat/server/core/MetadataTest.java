package chat.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetadataTest {

    @Test
    void keysAreLettersDigitsAndAFewMarksFoldedToLowerCase() {
        assertThat(Metadata.normalizeKey("Display-Name")).isEqualTo("display-name");
        assertThat(Metadata.normalizeKey("im.xmpp")).isEqualTo("im.xmpp");
        assertThat(Metadata.normalizeKey("a_b:c/d")).isEqualTo("a_b:c/d");
        assertThat(Metadata.normalizeKey(":leading")).isNull();
        assertThat(Metadata.normalizeKey("$url$")).isNull();
        assertThat(Metadata.normalizeKey("with space")).isNull();
        assertThat(Metadata.normalizeKey("")).isNull();
        assertThat(Metadata.normalizeKey("k".repeat(Metadata.MAX_KEY_LENGTH))).isNotNull();
        assertThat(Metadata.normalizeKey("k".repeat(Metadata.MAX_KEY_LENGTH + 1))).isNull();
    }

    @Test
    void valuesAreBoundedInBytesNotCharacters() {
        assertThat(Metadata.isValidValue("x".repeat(Metadata.MAX_VALUE_BYTES))).isTrue();
        assertThat(Metadata.isValidValue("x".repeat(Metadata.MAX_VALUE_BYTES + 1))).isFalse();
        assertThat(Metadata.isValidValue("💜".repeat(Metadata.MAX_VALUE_BYTES / 4))).isTrue();
        assertThat(Metadata.isValidValue("💜".repeat(Metadata.MAX_VALUE_BYTES / 4 + 1))).isFalse();
    }

    @Test
    void newKeysStopAtTheLimitWhileKnownOnesStillChange() {
        Metadata metadata = new Metadata();
        for (int i = 0; i < Metadata.MAX_KEYS; i++) {
            assertThat(metadata.set("k" + i, "v")).isTrue();
        }
        assertThat(metadata.set("one-more", "v")).isFalse();
        assertThat(metadata.set("k0", "changed")).isTrue();
        assertThat(metadata.get("k0")).isEqualTo("changed");
        assertThat(metadata.remove("k1")).isTrue();
        assertThat(metadata.remove("k1")).isFalse();
        assertThat(metadata.set("one-more", "v")).isTrue();
        assertThat(metadata.view().keySet()).startsWith("k0", "k2").endsWith("one-more");
    }
}
