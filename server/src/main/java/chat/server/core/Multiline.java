package chat.server.core;

import java.util.BitSet;
import java.util.List;

/**
 * A message sent as several lines (IRCv3 multiline): its parts as the sender cut them, and which
 * parts continue the one before without a line break. Its text, as every dialect without the
 * structure shows it, is the parts joined by line breaks except where they continue.
 *
 * @param parts the parts, in order, at least one
 * @param continues bit {@code i} set when part {@code i} continues part {@code i - 1}
 */
public record Multiline(List<String> parts, BitSet continues) {

    public Multiline {
        parts = List.copyOf(parts);
        continues = (BitSet) continues.clone();
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a multiline message without parts");
        }
    }

    /** Whether part {@code i} continues the part before it. */
    public boolean continues(int i) {
        return continues.get(i);
    }

    /** The parts joined: a line break before each part that does not continue the one before. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0 && !continues(i)) {
                text.append('\n');
            }
            text.append(parts.get(i));
        }
        return text.toString();
    }

    @Override
    public BitSet continues() {
        return (BitSet) continues.clone();
    }
}
