package chat.server.irc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One IRC message: tags, source, command and parameters (Modern IRC, "Messages"; IRCv3 message
 * tags). Parses a line as a client sends it and writes one as a server sends it; knows nothing of
 * sockets, charsets or what a command means.
 *
 * <p>Parsing is lenient where clients differ and strict where it matters: several spaces between
 * parameters count as one, a command is upper-cased, a tag value is unescaped ({@code \:} is
 * {@code ;}, {@code \s} a space, {@code \\} a backslash, {@code \r} and {@code \n} themselves, any
 * other escaped character itself, a lone trailing backslash nothing). Writing puts a colon before
 * the last parameter only when it needs one (empty, has a space, starts with a colon) or when
 * asked to, since some clients read the last parameter of some replies only in that form.
 *
 * <p>Immutable and thread-safe.
 *
 * @param tags message tags, unescaped, in the order received; empty when there are none
 * @param source the prefix without its colon ({@code nick!user@host} or a server name); null if none
 * @param command the command in upper case, or a three-digit numeric
 * @param params the parameters, the trailing one included, without its colon
 */
public record IrcMessage(Map<String, String> tags, String source, String command, List<String> params) {

    public IrcMessage {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        params = List.copyOf(params);
    }

    /** A message with no tags and no source: what a client usually sends. */
    public static IrcMessage of(String command, String... params) {
        return new IrcMessage(Map.of(), null, command, List.of(params));
    }

    /** The {@code i}th parameter, or null when there are fewer. */
    public String param(int i) {
        return i < params.size() ? params.get(i) : null;
    }

    /**
     * Parses one line, without its CR LF.
     *
     * @throws IllegalArgumentException when there is no command (an empty line, a lone source)
     */
    public static IrcMessage parse(String line) {
        int i = 0;
        int n = line.length();
        Map<String, String> tags = Map.of();
        if (i < n && line.charAt(i) == '@') {
            int end = indexOfSpace(line, i);
            tags = parseTags(line.substring(i + 1, end));
            i = skipSpaces(line, end);
        }
        String source = null;
        if (i < n && line.charAt(i) == ':') {
            int end = indexOfSpace(line, i);
            source = line.substring(i + 1, end);
            i = skipSpaces(line, end);
        }
        int commandEnd = indexOfSpace(line, i);
        if (commandEnd == i) {
            throw new IllegalArgumentException("no command");
        }
        String command = line.substring(i, commandEnd).toUpperCase(Locale.ROOT);
        i = skipSpaces(line, commandEnd);
        List<String> params = new ArrayList<>();
        while (i < n) {
            if (line.charAt(i) == ':') {
                params.add(line.substring(i + 1));
                break;
            }
            int end = indexOfSpace(line, i);
            params.add(line.substring(i, end));
            i = skipSpaces(line, end);
        }
        return new IrcMessage(tags, source, command, params);
    }

    private static Map<String, String> parseTags(String raw) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String tag : raw.split(";")) {
            if (tag.isEmpty()) {
                continue;
            }
            int eq = tag.indexOf('=');
            if (eq < 0) {
                tags.put(tag, "");
            } else {
                tags.put(tag.substring(0, eq), unescapeTagValue(tag.substring(eq + 1)));
            }
        }
        return tags;
    }

    /** A tag value as written on the wire, back to its text. */
    static String unescapeTagValue(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == value.length()) {
                break; // a lone trailing backslash is dropped
            }
            char escaped = value.charAt(i);
            out.append(switch (escaped) {
                case ':' -> ';';
                case 's' -> ' ';
                case 'r' -> '\r';
                case 'n' -> '\n';
                default -> escaped; // "\\" and any other escaped character stand for themselves
            });
        }
        return out.toString();
    }

    /** A tag value's text as it must be written on the wire. */
    static String escapeTagValue(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String escape = switch (c) {
                case ';' -> "\\:";
                case ' ' -> "\\s";
                case '\\' -> "\\\\";
                case '\r' -> "\\r";
                case '\n' -> "\\n";
                default -> null;
            };
            if (escape != null && out == null) {
                out = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (out != null) {
                if (escape != null) {
                    out.append(escape);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? value : out.toString();
    }

    /** The line for the wire, without CR LF; the last parameter gets a colon only if it needs one. */
    public String toLine() {
        return toLine(false);
    }

    /**
     * The line for the wire, without CR LF.
     *
     * @param colonOnLast write the last parameter in its trailing form even when it needs none
     */
    public String toLine(boolean colonOnLast) {
        StringBuilder line = new StringBuilder(64);
        if (!tags.isEmpty()) {
            line.append('@');
            boolean first = true;
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                if (!first) {
                    line.append(';');
                }
                first = false;
                line.append(tag.getKey());
                if (!tag.getValue().isEmpty()) {
                    line.append('=').append(escapeTagValue(tag.getValue()));
                }
            }
            line.append(' ');
        }
        if (source != null) {
            line.append(':').append(source).append(' ');
        }
        line.append(command);
        for (int i = 0; i < params.size(); i++) {
            String param = params.get(i);
            line.append(' ');
            boolean last = i == params.size() - 1;
            if (last && (colonOnLast || needsTrailing(param))) {
                line.append(':');
            } else if (needsTrailing(param)) {
                throw new IllegalArgumentException("only the last parameter may be empty, hold a space or start with ':'");
            }
            line.append(param);
        }
        return line.toString();
    }

    private static boolean needsTrailing(String param) {
        return param.isEmpty() || param.charAt(0) == ':' || param.indexOf(' ') >= 0;
    }

    private static int indexOfSpace(String line, int from) {
        int space = line.indexOf(' ', from);
        return space < 0 ? line.length() : space;
    }

    private static int skipSpaces(String line, int from) {
        int i = from;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
