package chat.server.history;

import java.util.Map;
import java.util.TreeMap;

/**
 * A message's client tags in one text column: {@code key=value} pairs joined by {@code ;}, keys in
 * order, with {@code \}, {@code ;} and {@code =} escaped by a backslash wherever they occur, so any
 * key or value (newlines, spaces, any Unicode) reads back as it was written. Still readable in a
 * SQL shell: {@code +draft/reply=42;+example/x=a\;b}. No tags is null.
 */
public final class StoredTags {

    private StoredTags() {
    }

    /** The column's text for {@code tags}, or null when there are none. */
    public static String encode(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> tag : new TreeMap<>(tags).entrySet()) {
            if (out.length() > 0) {
                out.append(';');
            }
            escape(tag.getKey(), out);
            out.append('=');
            escape(tag.getValue(), out);
        }
        return out.toString();
    }

    /**
     * The tags {@link #encode} wrote; null or empty is none.
     *
     * @throws IllegalArgumentException when the text is not in this form
     */
    public static Map<String, String> decode(String text) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        Map<String, String> tags = new TreeMap<>();
        StringBuilder part = new StringBuilder();
        String key = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (++i == text.length()) {
                    throw new IllegalArgumentException("tags end inside an escape: " + text);
                }
                part.append(text.charAt(i));
            } else if (c == '=' && key == null) {
                key = part.toString();
                part.setLength(0);
            } else if (c == ';' && key != null) {
                tags.put(key, part.toString());
                key = null;
                part.setLength(0);
            } else if (c == '=' || c == ';') {
                throw new IllegalArgumentException("unescaped '" + c + "' at " + i + " in tags: " + text);
            } else {
                part.append(c);
            }
        }
        if (key == null) {
            throw new IllegalArgumentException("a tag without '=' in: " + text);
        }
        tags.put(key, part.toString());
        return tags;
    }

    private static void escape(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == ';' || c == '=') {
                out.append('\\');
            }
            out.append(c);
        }
    }
}
