package chat.server.irc;

import chat.common.Utf8;

/**
 * Holds outgoing IRC lines to the 512 bytes a message may take (CR LF included, tags not
 * counted), the limit old clients read with fixed buffers. What can be longer than that comes from
 * elsewhere: a topic, a part, quit or kick reason, an away message a native user wrote (native
 * lines may be 4,096 bytes), or one an IRC client wrote, once the server adds the writer's
 * prefix. Such a line keeps its command and middle parameters and loses the end of its last
 * parameter, cut between characters, as IRC servers cut; the full text stays where it was kept
 * (the topic, the native users' view). Messages never reach this: they are split into several
 * (native text) or refused (an IRC client's, ERR_INPUTTOOLONG).
 *
 * <p>Stateless.
 */
final class IrcLines {

    private IrcLines() {
    }

    /**
     * {@code lines} (one line, or several joined by CR LF, without the last CR LF) with each line
     * that is too long cut to fit; the same instance when none is.
     */
    static String fit(String lines) {
        // Fast path: no line can be over the limit when even 3 bytes a char would fit (UTF-8
        // takes at most 3 per char; a 4-byte character is two chars).
        if (lines.length() * 3 + 2 <= IrcDialect.MAX_MESSAGE_BYTES) {
            return lines;
        }
        if (lines.indexOf(IrcDialect.LINE_BREAK) < 0) {
            return fitOne(lines);
        }
        String[] parts = lines.split(IrcDialect.LINE_BREAK, -1);
        boolean changed = false;
        for (int i = 0; i < parts.length; i++) {
            String fitted = fitOne(parts[i]);
            changed |= fitted != parts[i];
            parts[i] = fitted;
        }
        return changed ? String.join(IrcDialect.LINE_BREAK, parts) : lines;
    }

    private static String fitOne(String line) {
        int start = 0;
        if (line.startsWith("@")) {
            int space = line.indexOf(' ');
            if (space < 0) {
                return line;
            }
            start = space + 1; // the tag section and its space are not counted
        }
        int i = Utf8.endWithin(line, start, IrcDialect.MAX_MESSAGE_BYTES - 2); // the CR LF
        if (i == line.length()) {
            return line;
        }
        // Only the last parameter, after " :" past the source and the command, may be cut.
        int trailing = line.indexOf(" :", line.startsWith(":", start) ? line.indexOf(' ', start) : start);
        if (trailing < 0 || trailing + 2 > i) {
            return line; // nothing that may be cut ends where the limit falls: sent as it is
        }
        return line.substring(0, i);
    }
}
