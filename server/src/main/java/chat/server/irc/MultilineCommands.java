package chat.server.irc;

import chat.server.core.MessageKind;
import chat.server.core.Multiline;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * IRCv3 multiline (draft): a client sends {@code BATCH +ref draft/multiline target}, lines of
 * {@code PRIVMSG} (or {@code NOTICE}) tagged {@code batch=ref}, some marked
 * {@code draft/multiline-concat} to continue the line before, then {@code BATCH -ref}; the
 * server checks the batch and says it as one message. Anything wrong ends the batch with
 * {@code FAIL BATCH MULTILINE_*} and nothing is said.
 *
 * <p>Loop thread only.
 */
final class MultilineCommands {

    /** Most bytes of text in one batch, its parts together (the cap's {@code max-bytes}). */
    static final int MAX_BYTES = 4096;
    /** Most lines in one batch (the cap's {@code max-lines}). */
    static final int MAX_LINES = 100;
    static final String TYPE = "draft/multiline";
    static final String CONCAT = "draft/multiline-concat";

    private MultilineCommands() {
    }

    /** {@code BATCH +ref draft/multiline target} opens a batch; {@code BATCH -ref} says it. */
    static void batch(IrcSession s, IrcMessage m) {
        String ref = m.param(0);
        if (ref.startsWith("+")) {
            if (m.params().size() < 3 || !m.param(1).equals(TYPE) || !s.has(Cap.MULTILINE)) {
                fail(s, "MULTILINE_INVALID", "Only draft/multiline batches, with the capability, are taken");
                return;
            }
            if (s.incomingBatch() != null) {
                s.incomingBatch(null);
                fail(s, "MULTILINE_INVALID", "A batch is already open");
                return;
            }
            s.incomingBatch(new Incoming(ref.substring(1), m.param(2), m));
            return;
        }
        Incoming open = s.incomingBatch();
        s.incomingBatch(null);
        if (open == null || !ref.equals("-" + open.ref)) {
            fail(s, "MULTILINE_INVALID", "No such batch is open");
            return;
        }
        String problem = open.problem();
        if (problem != null) {
            s.labeled(open.label, () -> fail(s, "MULTILINE_INVALID", problem));
            return;
        }
        Multiline lines = new Multiline(open.parts, open.continues);
        s.labeled(open.label, () -> MessageCommands.messageOne(s, open.start, open.target, lines.text(),
                open.kind, lines));
    }

    /**
     * A line tagged {@code batch=}: a part of the open batch, or, when it names no open batch,
     * a mistake that ends it.
     */
    static void part(IrcSession s, IrcMessage m, String ref) {
        Incoming open = s.incomingBatch();
        if (open == null || !open.ref.equals(ref)) {
            s.incomingBatch(null);
            fail(s, "MULTILINE_INVALID", "That batch is not open");
            return;
        }
        String error = open.add(m);
        if (error != null) {
            s.incomingBatch(null);
            fail(s, error, error.equals("MULTILINE_MAX_BYTES") ? String.valueOf(MAX_BYTES)
                    : error.equals("MULTILINE_MAX_LINES") ? String.valueOf(MAX_LINES) : null,
                    "The multiline batch was refused: " + error.toLowerCase(Locale.ROOT).replace('_', ' '));
        }
    }

    private static void fail(IrcSession s, String code, String... params) {
        List<String> all = new ArrayList<>();
        all.add("BATCH");
        all.add(code);
        for (String param : params) {
            if (param != null) {
                all.add(param);
            }
        }
        s.send(new IrcMessage(Map.of(), s.dialect().serverName(), "FAIL", all).toLine(true));
    }

    /** A batch the client is sending: bounded by {@link #MAX_LINES} and {@link #MAX_BYTES}. */
    static final class Incoming {
        final String ref;
        final String target;
        /** The {@code BATCH +} line: its client tags are the message's. */
        final IrcMessage start;
        final List<String> parts = new ArrayList<>();
        final BitSet continues = new BitSet();
        MessageKind kind;
        int bytes;
        boolean blankContinues;
        /** The label of the {@code BATCH +} line, for the reply to the whole batch; null for none. */
        String label;

        Incoming(String ref, String target, IrcMessage start) {
            this.ref = ref;
            this.target = target;
            this.start = start;
        }

        /** Adds a line; the FAIL code when the batch must end, else null. */
        String add(IrcMessage m) {
            MessageKind lineKind = m.command().equalsIgnoreCase("NOTICE") ? MessageKind.NOTICE
                    : m.command().equalsIgnoreCase("PRIVMSG") ? MessageKind.TEXT : null;
            if (lineKind == null || (kind != null && kind != lineKind) || m.params().isEmpty()
                    || !m.param(0).equalsIgnoreCase(target)) {
                return "MULTILINE_INVALID";
            }
            kind = lineKind;
            String text = m.params().size() > 1 ? m.param(1) : "";
            boolean concat = m.tags().containsKey(CONCAT);
            if (concat && text.isEmpty()) {
                blankContinues = true;
            }
            if (parts.size() == MAX_LINES) {
                return "MULTILINE_MAX_LINES";
            }
            bytes += text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_BYTES) {
                return "MULTILINE_MAX_BYTES";
            }
            continues.set(parts.size(), concat && !parts.isEmpty());
            parts.add(text);
            return null;
        }

        /** Why the batch cannot be said, or null. */
        String problem() {
            if (parts.isEmpty() || parts.stream().allMatch(String::isEmpty)) {
                return "The batch has no text";
            }
            if (blankContinues) {
                return "A blank line cannot continue another";
            }
            return null;
        }
    }
}
