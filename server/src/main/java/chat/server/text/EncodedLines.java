package chat.server.text;

import chat.common.TextCodec;
import chat.server.core.ChatEvent;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;

/**
 * Formats and encodes each broadcast event once per charset, however many recipients it has.
 *
 * <p>The core hands one event instance to every recipient, one after the other, before it
 * produces the next event; so remembering the last event, its line, and its bytes per charset
 * is enough to share the bytes among all recipients with the same charset. The arrays handed out
 * are shared: nobody may write into them.
 *
 * <p>Loop thread only: one instance per event loop, shared by all its native sessions.
 */
final class EncodedLines {

    /** Distinct charsets cached per event; a room rarely mixes more. */
    private static final int SLOTS = 4;

    private ChatEvent event;
    /** {@link #event} formatted, with its LF; null until first needed. */
    private String line;
    private final Charset[] charsets = new Charset[SLOTS];
    private final byte[][] encoded = new byte[SLOTS][];
    private int used;
    /** {@code @ID } for {@link #event}, for sessions with ids on; null until first needed. */
    private byte[] idPrefix;
    /**
     * The batch of joins last asked for, its lines encoded per charset as for {@link #event},
     * and where each line starts in those bytes.
     */
    private List<ChatEvent.Joined> joins;
    private final Charset[] joinsCharsets = new Charset[SLOTS];
    private final byte[][] joinsEncoded = new byte[SLOTS][];
    private final int[][] joinsLineStarts = new int[SLOTS][];
    private int joinsUsed;
    /** Lines encoded so far; lets tests and metrics see that a broadcast encodes once per charset. */
    private long encodings;
    /** Characters replaced because a recipient's charset lacked them. */
    private long unmappable;

    byte[] bytesFor(ChatEvent next, TextCodec codec) {
        if (next != event) {
            event = next;
            line = null;
            idPrefix = null;
            Arrays.fill(encoded, 0, used, null);
            used = 0;
        }
        Charset charset = codec.charset();
        for (int i = 0; i < used; i++) {
            if (charsets[i].equals(charset)) {
                return encoded[i];
            }
        }
        if (line == null) {
            line = LineFormatter.format(next) + "\n";
        }
        byte[] bytes = encode(line, codec);
        if (used < SLOTS) {
            charsets[used] = charset;
            encoded[used] = bytes;
            used++;
        }
        return bytes;
    }

    /**
     * The lines of several joins, from {@code batch.get(from)} on, one after the other, as one
     * array. The lines are made and encoded once per batch and charset, like {@link #bytesFor};
     * those who were in the room before all the joiners share that array, each joiner gets a
     * copy of its tail.
     */
    byte[] bytesForJoins(List<ChatEvent.Joined> batch, int from, TextCodec codec) {
        if (batch != joins) {
            joins = batch;
            Arrays.fill(joinsEncoded, 0, joinsUsed, null);
            Arrays.fill(joinsLineStarts, 0, joinsUsed, null);
            joinsUsed = 0;
        }
        Charset charset = codec.charset();
        int slot = 0;
        while (slot < joinsUsed && !joinsCharsets[slot].equals(charset)) {
            slot++;
        }
        byte[] all;
        int[] starts;
        if (slot < joinsUsed) {
            all = joinsEncoded[slot];
            starts = joinsLineStarts[slot];
        } else {
            StringBuilder lines = new StringBuilder(batch.size() * 32);
            for (ChatEvent.Joined joined : batch) {
                lines.append(LineFormatter.format(joined)).append('\n');
            }
            all = encode(lines.toString(), codec);
            starts = lineStarts(all, batch.size());
            if (joinsUsed < SLOTS) {
                joinsCharsets[joinsUsed] = charset;
                joinsEncoded[joinsUsed] = all;
                joinsLineStarts[joinsUsed] = starts;
                joinsUsed++;
            }
        }
        return from == 0 ? all : Arrays.copyOfRange(all, starts[from], all.length);
    }

    /**
     * Where each of {@code count} LF-ended lines starts: every charset a client may choose is
     * ASCII-compatible, so a 0x0A byte is a line end and nothing else.
     */
    private static int[] lineStarts(byte[] bytes, int count) {
        int[] starts = new int[count];
        int line = 1;
        for (int i = 0; i < bytes.length - 1 && line < count; i++) {
            if (bytes[i] == '\n') {
                starts[line++] = i + 1;
            }
        }
        return starts;
    }

    /**
     * {@code @ID } for a message event, made once per event: every charset a client may choose
     * is ASCII-compatible, so the bytes are the same for all. Call after {@link #bytesFor} for
     * the same event.
     */
    byte[] idPrefixFor(long id) {
        if (idPrefix == null) {
            idPrefix = LineFormatter.idPrefix(id).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return idPrefix;
    }

    /** Encodes a line addressed to one recipient only. */
    byte[] encode(String lineWithLf, TextCodec codec) {
        TextCodec.Encoded result = codec.encode(lineWithLf);
        encodings++;
        unmappable += result.unmappable();
        return result.bytes();
    }

    long encodings() {
        return encodings;
    }

    long unmappable() {
        return unmappable;
    }
}
