package chat.server.cluster;

import chat.server.core.Audience;
import chat.server.core.MessageKind;
import chat.server.core.Multiline;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ClusterEvent}s as the text published on the cluster's Redis channel: a letter for the
 * kind, then the fields, each separated by a NUL character. A field's own backslashes and NULs
 * are escaped ({@code \\}, {@code \0}), so any text a user may send survives, line breaks of a
 * multiline message included. Text, so that the scripts on Redis can put a granted nick into a
 * message ({@link Split}) and an operator can read the channel with {@code redis-cli}.
 *
 * <p>A message that cannot be read (another version's, or damaged) decodes to null: the caller
 * logs it and goes on.
 */
final class ClusterCodec {

    static final char SEPARATOR = '\0';

    private ClusterCodec() {
    }

    /**
     * An event whose nick field Redis fills in: {@code prefix}, the nick granted (escaped), then
     * {@code suffix}, as the nick script publishes it.
     */
    record Split(String prefix, String suffix) {
    }

    static String encode(ClusterEvent event) {
        Fields f = new Fields();
        if (event instanceof ClusterEvent.UserState u) {
            Split split = encodeUser(u.uid(), u.asked(), u.username(), u.realname(), u.host(), u.account(), u.rooms(),
                    u.away());
            return split.prefix() + escape(u.nick()) + split.suffix();
        } else if (event instanceof ClusterEvent.Renamed r) {
            Split split = encodeRename(r.uid(), r.asked());
            return split.prefix() + escape(r.nick()) + split.suffix();
        } else if (event instanceof ClusterEvent.AwaySet w) {
            f.kind('W').add(w.uid()).add(w.message());
        } else if (event instanceof ClusterEvent.RealnameSet y) {
            f.kind('Y').add(y.uid()).add(y.realname());
        } else if (event instanceof ClusterEvent.AccountSet a) {
            f.kind('A').add(a.uid()).add(a.account());
        } else if (event instanceof ClusterEvent.Joined j) {
            f.kind('J').add(j.uid()).add(j.room());
        } else if (event instanceof ClusterEvent.Parted p) {
            f.kind('P').add(p.uid()).add(p.room()).add(p.reason());
        } else if (event instanceof ClusterEvent.Kicked k) {
            f.kind('K').add(k.byUid()).add(k.room()).add(k.targetUid()).add(k.reason());
        } else if (event instanceof ClusterEvent.Quit q) {
            f.kind('Q').add(q.uid()).add(q.reason());
        } else if (event instanceof ClusterEvent.Said s) {
            f.kind('M').add(s.uid()).add(s.room()).add(s.text()).add(s.kind().name()).add(s.audience().name())
                    .add(s.id()).add(s.time());
            tagsAndLines(f, s.tags(), s.lines());
        } else if (event instanceof ClusterEvent.Direct d) {
            f.kind('D').add(d.fromUid()).add(d.toUid()).add(d.text()).add(d.kind().name()).add(d.id()).add(d.time());
            tagsAndLines(f, d.tags(), d.lines());
        } else if (event instanceof ClusterEvent.TopicSet t) {
            f.kind('T').add(t.uid()).add(t.room()).add(t.topic());
        } else if (event instanceof ClusterEvent.ModesSet m) {
            f.kind('O').add(m.uid()).add(m.room()).add(m.changes().size());
            for (chat.server.core.ModeChange change : m.changes()) {
                f.add((change.add() ? "+" : "-") + change.mode()).add(change.param() == null ? "" : "=" + change.param());
            }
        } else if (event instanceof ClusterEvent.RoomState r) {
            f.kind('R').add(r.room()).add(r.flags()).add(r.key()).add(r.limit()).add(r.topic()).add(r.topicBy())
                    .add(r.topicAt()).add(r.masks().size());
            r.masks().forEach((letter, masks) -> {
                f.add(String.valueOf(letter)).add(masks.size());
                masks.forEach(f::add);
            });
        } else if (event instanceof ClusterEvent.Ghost g) {
            f.kind('V').add(g.byUid()).add(g.holderUid());
        } else if (event instanceof ClusterEvent.Killed k) {
            f.kind('X').add(k.byUid()).add(k.targetUid()).add(k.reason());
        } else if (event instanceof ClusterEvent.AccountChanged c) {
            f.kind('C').add(c.incarnation()).add(c.key());
        } else if (event instanceof ClusterEvent.RegisteredRoomChanged z) {
            f.kind('Z').add(z.incarnation()).add(z.key());
        } else if (event instanceof ClusterEvent.Hello h) {
            f.kind('H').add(h.incarnation()).add(h.node());
        } else if (event instanceof ClusterEvent.DumpBegin b) {
            f.kind('B').add(b.incarnation()).add(b.node());
        } else if (event instanceof ClusterEvent.DumpEnd e) {
            f.kind('E').add(e.incarnation());
        } else if (event instanceof ClusterEvent.Gone g) {
            f.kind('G').add(g.incarnation()).add(g.node());
        } else {
            throw new IllegalArgumentException("unknown event " + event);
        }
        return f.toString();
    }

    /** A {@link ClusterEvent.UserState} around its nick, for the nick script. */
    static Split encodeUser(String uid, String asked, String username, String realname, String host, String account,
            List<String> rooms, String away) {
        String prefix = new Fields().kind('U').add(uid).toString() + SEPARATOR;
        String suffix = SEPARATOR + new Fields().add(asked).add(username).add(realname).add(host).add(account)
                .add(String.join(",", rooms)).add(away).toString();
        return new Split(prefix, suffix);
    }

    /** A {@link ClusterEvent.Renamed} around its nick, for the nick script. */
    static Split encodeRename(String uid, String asked) {
        return new Split(new Fields().kind('N').add(uid).toString() + SEPARATOR,
                SEPARATOR + new Fields().add(asked).toString());
    }

    private static void tagsAndLines(Fields f, Map<String, String> tags, Multiline lines) {
        f.add(tags.size());
        tags.forEach((key, value) -> f.add(key).add(value));
        if (lines == null) {
            f.add(0);
            return;
        }
        f.add(lines.parts().size());
        StringBuilder continues = new StringBuilder();
        for (int i = 0; i < lines.parts().size(); i++) {
            continues.append(lines.continues(i) ? '1' : '0');
        }
        f.add(continues.toString());
        lines.parts().forEach(f::add);
    }

    /** The event {@code message} holds, or null when it cannot be read. */
    static ClusterEvent decode(String message) {
        List<String> fields = split(message);
        if (fields == null || fields.isEmpty() || fields.get(0).length() != 1) {
            return null;
        }
        Reader r = new Reader(fields);
        try {
            ClusterEvent event = switch (fields.get(0).charAt(0)) {
                case 'U' -> new ClusterEvent.UserState(r.next(), r.next(), r.next(), r.next(), r.next(), r.next(),
                        r.next(), rooms(r.next()), r.next());
                case 'W' -> new ClusterEvent.AwaySet(r.next(), r.next());
                case 'Y' -> new ClusterEvent.RealnameSet(r.next(), r.next());
                case 'N' -> new ClusterEvent.Renamed(r.next(), r.next(), r.next());
                case 'A' -> new ClusterEvent.AccountSet(r.next(), r.next());
                case 'J' -> new ClusterEvent.Joined(r.next(), r.next());
                case 'P' -> new ClusterEvent.Parted(r.next(), r.next(), r.next());
                case 'K' -> new ClusterEvent.Kicked(r.next(), r.next(), r.next(), r.next());
                case 'Q' -> new ClusterEvent.Quit(r.next(), r.next());
                case 'M' -> new ClusterEvent.Said(r.next(), r.next(), r.next(), MessageKind.valueOf(r.next()),
                        Audience.valueOf(r.next()), r.number(), r.number(), r.tags(), r.lines());
                case 'D' -> new ClusterEvent.Direct(r.next(), r.next(), r.next(), MessageKind.valueOf(r.next()),
                        r.number(), r.number(), r.tags(), r.lines());
                case 'T' -> new ClusterEvent.TopicSet(r.next(), r.next(), r.next());
                case 'O' -> new ClusterEvent.ModesSet(r.next(), r.next(), r.modes());
                case 'R' -> new ClusterEvent.RoomState(r.next(), r.next(), r.next(), Math.toIntExact(r.number()), r.next(),
                        r.next(), r.number(), r.masks());
                case 'X' -> new ClusterEvent.Killed(r.next(), r.next(), r.next());
                case 'V' -> new ClusterEvent.Ghost(r.next(), r.next());
                case 'C' -> new ClusterEvent.AccountChanged(r.number(), r.next());
                case 'Z' -> new ClusterEvent.RegisteredRoomChanged(r.number(), r.next());
                case 'H' -> new ClusterEvent.Hello(r.number(), r.next());
                case 'B' -> new ClusterEvent.DumpBegin(r.number(), r.next());
                case 'E' -> new ClusterEvent.DumpEnd(r.number());
                case 'G' -> new ClusterEvent.Gone(r.number(), r.next());
                default -> null;
            };
            return r.finished() ? event : null;
        } catch (RuntimeException unreadable) { // too few fields, a bad number or name
            return null;
        }
    }

    private static List<String> rooms(String joined) {
        return joined.isEmpty() ? List.of() : List.of(joined.split(","));
    }

    /** Fields joined as the channel's messages are (each escaped, NUL between), for other records kept on Redis. */
    static String join(List<String> fields) {
        StringBuilder text = new StringBuilder(64);
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                text.append(SEPARATOR);
            }
            text.append(escape(fields.get(i)));
        }
        return text.toString();
    }

    /** The fields of a message, unescaped; null when an escape is broken. */
    static List<String> split(String message) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == SEPARATOR) {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\\') {
                if (++i == message.length()) {
                    return null;
                }
                char escaped = message.charAt(i);
                if (escaped == '\\') {
                    field.append('\\');
                } else if (escaped == '0') {
                    field.append(SEPARATOR);
                } else {
                    return null;
                }
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    static String escape(String field) {
        if (field.indexOf('\\') < 0 && field.indexOf(SEPARATOR) < 0) {
            return field;
        }
        StringBuilder escaped = new StringBuilder(field.length() + 8);
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\') {
                escaped.append("\\\\");
            } else if (c == SEPARATOR) {
                escaped.append("\\0");
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** Builds a message field by field. */
    private static final class Fields {
        private final StringBuilder text = new StringBuilder(64);

        Fields kind(char kind) {
            text.append(kind);
            return this;
        }

        Fields add(String field) {
            if (!text.isEmpty()) {
                text.append(SEPARATOR);
            }
            text.append(escape(field));
            return this;
        }

        Fields add(long number) {
            return add(Long.toString(number));
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /** Reads the fields after the kind, in order. */
    private static final class Reader {
        private final List<String> fields;
        private int next = 1;

        Reader(List<String> fields) {
            this.fields = fields;
        }

        String next() {
            return fields.get(next++);
        }

        long number() {
            return Long.parseLong(next());
        }

        Map<String, String> tags() {
            int count = Math.toIntExact(number());
            Map<String, String> tags = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                tags.put(next(), next());
            }
            return tags;
        }

        Multiline lines() {
            int count = Math.toIntExact(number());
            if (count == 0) {
                return null;
            }
            String continues = next();
            BitSet bits = new BitSet();
            List<String> parts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                if (continues.charAt(i) == '1') {
                    bits.set(i);
                }
                parts.add(next());
            }
            return new Multiline(parts, bits);
        }

        List<chat.server.core.ModeChange> modes() {
            int count = Math.toIntExact(number());
            List<chat.server.core.ModeChange> changes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String sign = next();
                String param = next();
                if (sign.length() != 2 || (sign.charAt(0) != '+' && sign.charAt(0) != '-')) {
                    throw new IllegalArgumentException("bad mode " + sign);
                }
                changes.add(new chat.server.core.ModeChange(sign.charAt(0) == '+', sign.charAt(1),
                        param.isEmpty() ? null : param.substring(1)));
            }
            return changes;
        }

        Map<Character, List<String>> masks() {
            int lists = Math.toIntExact(number());
            Map<Character, List<String>> masks = new LinkedHashMap<>();
            for (int i = 0; i < lists; i++) {
                String letter = next();
                if (letter.length() != 1) {
                    throw new IllegalArgumentException("bad list " + letter);
                }
                int count = Math.toIntExact(number());
                List<String> list = new ArrayList<>(count);
                for (int j = 0; j < count; j++) {
                    list.add(next());
                }
                masks.put(letter.charAt(0), list);
            }
            return masks;
        }

        boolean finished() {
            return next == fields.size();
        }
    }
}
