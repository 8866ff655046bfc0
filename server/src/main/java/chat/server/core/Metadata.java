package chat.server.core;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Key-value pairs a user sets on itself, or a room's operators on the room: a display name, an
 * avatar, a homepage (IRCv3 metadata). Bounded: at most {@link #MAX_KEYS} keys, each value at
 * most {@link #MAX_VALUE_BYTES} bytes of UTF-8, so that a key and its value fit one IRC reply.
 * Created on the first set, so users and rooms without metadata hold nothing.
 *
 * <p>Loop thread only.
 */
public final class Metadata {

    /** Most keys on one user or room. */
    public static final int MAX_KEYS = 20;
    /** Longest value, in bytes of UTF-8. */
    public static final int MAX_VALUE_BYTES = 300;
    /** Longest key, in characters. */
    public static final int MAX_KEY_LENGTH = 50;

    /** Keys in the order they were first set. */
    private final Map<String, String> values = new LinkedHashMap<>();

    /**
     * A key's canonical (lower-case) form, or null when it is not a key: letters, digits and
     * {@code _ . : / -}, not starting with {@code :}, at most {@link #MAX_KEY_LENGTH} characters.
     */
    public static String normalizeKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH || key.charAt(0) == ':') {
            return null;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
            if (!ok) {
                return null;
            }
        }
        return key.toLowerCase(Locale.ROOT);
    }

    /** Whether a value may be stored. */
    public static boolean isValidValue(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length <= MAX_VALUE_BYTES;
    }

    String get(String key) {
        return values.get(key);
    }

    /** @return false when the key is new and {@link #MAX_KEYS} are set already */
    boolean set(String key, String value) {
        if (!values.containsKey(key) && values.size() >= MAX_KEYS) {
            return false;
        }
        values.put(key, value);
        return true;
    }

    /** @return whether the key was set */
    boolean remove(String key) {
        return values.remove(key) != null;
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /** The pairs, in the order they were set; a view. */
    Map<String, String> view() {
        return Collections.unmodifiableMap(values);
    }
}
