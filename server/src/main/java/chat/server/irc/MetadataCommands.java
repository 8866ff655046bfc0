package chat.server.irc;

import chat.server.core.ChatError;
import chat.server.core.ChatEvent;
import chat.server.core.ChatException;
import chat.server.core.Metadata;
import chat.server.core.Room;
import chat.server.core.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * METADATA (IRCv3 metadata, the {@code draft/metadata-3} revision): GET, LIST, SET, CLEAR, SYNC
 * on oneself ({@code *}) or a room, and SUB, UNSUB, SUBS for the keys a client wants news of.
 * What is stored and who may change it is the core's ({@link Metadata}); what a client is
 * subscribed to is this dialect's, kept in its {@link IrcSession}.
 *
 * <p>Replies as irctest and the draft expect them: values as {@code 761} inside a {@code
 * metadata} batch (its parameter: the target, as ergo gives it), a removed or unknown key as {@code 766}, refusals as {@code FAIL METADATA}.
 *
 * <p>Stateless; loop thread only.
 */
final class MetadataCommands {

    /** Most keys one client may subscribe to. */
    static final int MAX_SUBSCRIPTIONS = 100;

    private MetadataCommands() {
    }

    static void metadata(IrcSession s, IrcMessage m) {
        String target = m.param(0);
        String sub = m.param(1).toUpperCase(Locale.ROOT);
        if (!s.isRegistered()) {
            if (sub.equals("SET") && target.equals("*") && s.has(Cap.METADATA)) {
                setBeforeRegistration(s, m);
            } else {
                s.reply(Numeric.ERR_NOTREGISTERED, "You have not registered");
            }
            return;
        }
        switch (sub) {
            case "GET" -> get(s, target, m.params().subList(2, m.params().size()));
            case "LIST" -> list(s, target);
            case "SET" -> set(s, target, m.param(2), m.params().size() > 3 ? m.param(3) : null);
            case "CLEAR" -> clear(s, target);
            case "SYNC" -> sync(s, target);
            case "SUB" -> subscribe(s, m.params().subList(2, m.params().size()));
            case "UNSUB" -> unsubscribe(s, m.params().subList(2, m.params().size()));
            case "SUBS" -> {
                if (!s.subscriptions().isEmpty()) {
                    s.replyParams(Numeric.RPL_METADATASUBS, List.copyOf(s.subscriptions()), false);
                }
            }
            default -> fail(s, "INVALID_SUBCOMMAND", m.param(1), "invalid subcommand");
        }
    }

    /** {@code *} is oneself. */
    private static String resolve(IrcSession s, String target) {
        return target.equals("*") ? s.nick() : target;
    }

    private static void get(IrcSession s, String target, List<String> keys) {
        Map<String, String> values = readable(s, target, keys.isEmpty() ? "*" : keys.get(0));
        if (values == null) {
            return;
        }
        String name = targetName(s, target);
        List<String> lines = new ArrayList<>();
        for (String key : keys) {
            String canonical = Metadata.normalizeKey(key);
            if (canonical == null) {
                lines.add(failLine(s, "INVALID_KEY", key, "invalid key"));
            } else if (values.containsKey(canonical)) {
                lines.add(keyValue(s, name, canonical, values.get(canonical)));
            } else {
                lines.add(numeric(s, Numeric.RPL_KEYNOTSET, name, canonical, "key not set"));
            }
        }
        s.sendBatch("metadata " + name, lines);
    }

    private static void list(IrcSession s, String target) {
        Map<String, String> values = readable(s, target, "*");
        if (values == null) {
            return;
        }
        String name = targetName(s, target);
        List<String> lines = new ArrayList<>();
        values.forEach((key, value) -> lines.add(keyValue(s, name, key, value)));
        s.sendBatch("metadata " + name, lines);
    }

    /** Every subscribed key of the room and its members, or of the user. */
    private static void sync(IrcSession s, String target) {
        if (readable(s, target, "*") == null) {
            return;
        }
        List<String> lines = new ArrayList<>();
        String resolved = resolve(s, target);
        if (resolved.startsWith("#")) {
            Room room = s.core().room(resolved);
            addSubscribed(s, lines, room.name(), room.metadataView());
            for (User member : room.members()) {
                addSubscribed(s, lines, member.nick(), member.metadataView());
            }
        } else {
            User user = s.core().user(resolved);
            addSubscribed(s, lines, user.nick(), user.metadataView());
        }
        s.sendBatch("metadata " + targetName(s, target), lines);
    }

    /** After this client joined {@code room}: what it is subscribed to, of the room and its members. */
    static void syncOnJoin(IrcSession s, Room room) {
        if (!s.has(Cap.METADATA) || s.subscriptions().isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        addSubscribed(s, lines, room.name(), room.metadataView());
        for (User member : room.members()) {
            if (member != s.user()) {
                addSubscribed(s, lines, member.nick(), member.metadataView());
            }
        }
        if (!lines.isEmpty()) {
            s.sendBatch("metadata " + room.name(), lines);
        }
    }

    private static void addSubscribed(IrcSession s, List<String> lines, String name, Map<String, String> values) {
        values.forEach((key, value) -> {
            if (s.subscriptions().contains(key)) {
                lines.add(keyValue(s, name, key, value));
            }
        });
    }

    private static void set(IrcSession s, String target, String key, String value) {
        if (key == null) {
            s.reply(Numeric.ERR_NEEDMOREPARAMS, "METADATA", "Not enough parameters");
            return;
        }
        String resolved = resolve(s, target);
        try {
            String canonical = s.core().setMetadata(s.user(), resolved, key, value);
            String name = s.core().metadataTargetName(resolved);
            s.send(value == null ? numeric(s, Numeric.RPL_KEYNOTSET, name, canonical, "key not set")
                    : keyValue(s, name, canonical, value));
        } catch (ChatException e) {
            refuse(s, e, target, key);
        }
    }

    private static void setBeforeRegistration(IrcSession s, IrcMessage m) {
        String key = m.param(2);
        if (key == null) {
            s.reply(Numeric.ERR_NEEDMOREPARAMS, "METADATA", "Not enough parameters");
            return;
        }
        String canonical = Metadata.normalizeKey(key);
        String value = m.params().size() > 3 ? m.param(3) : null;
        if (canonical == null) {
            fail(s, "INVALID_KEY", key, "invalid key");
        } else if (value != null && !Metadata.isValidValue(value)) {
            fail(s, "INVALID_VALUE", canonical, "value too long");
        } else if (!s.keepBeforeRegistration(canonical, value)) {
            fail(s, "LIMIT_REACHED", "*", "metadata limit reached");
        } else {
            s.send(value == null ? numeric(s, Numeric.RPL_KEYNOTSET, "*", canonical, "key not set")
                    : keyValue(s, "*", canonical, value));
        }
    }

    /** The keys set before registration, given to the user once it exists, and told back in a batch. */
    static void applyBeforeRegistration(IrcSession s, Map<String, String> kept) {
        List<String> lines = new ArrayList<>();
        kept.forEach((key, value) -> {
            try {
                s.core().setMetadata(s.user(), s.nick(), key, value);
                lines.add(keyValue(s, s.nick(), key, value));
            } catch (ChatException e) {
                lines.add(failLine(s, "INVALID_VALUE", key, "not kept"));
            }
        });
        s.sendBatch("metadata " + s.nick(), lines);
    }

    private static void clear(IrcSession s, String target) {
        String resolved = resolve(s, target);
        try {
            List<String> cleared = s.core().clearMetadata(s.user(), resolved);
            String name = s.core().metadataTargetName(resolved);
            List<String> lines = new ArrayList<>();
            for (String key : cleared) {
                lines.add(numeric(s, Numeric.RPL_KEYNOTSET, name, key, "key not set"));
            }
            s.sendBatch("metadata " + name, lines);
        } catch (ChatException e) {
            refuse(s, e, target, "*");
        }
    }

    private static void subscribe(IrcSession s, List<String> keys) {
        List<String> ok = new ArrayList<>();
        for (String key : keys) {
            String canonical = Metadata.normalizeKey(key);
            if (canonical == null) {
                fail(s, "INVALID_KEY", key, "invalid key");
                continue;
            }
            if (!s.subscriptions().contains(canonical) && s.subscriptions().size() >= MAX_SUBSCRIPTIONS) {
                fail(s, "TOO_MANY_SUBS", key, "too many subscriptions");
                break;
            }
            s.subscriptions().add(canonical);
            ok.add(canonical);
        }
        if (!ok.isEmpty()) {
            s.replyParams(Numeric.RPL_METADATASUBOK, ok, false);
        }
    }

    private static void unsubscribe(IrcSession s, List<String> keys) {
        List<String> ok = new ArrayList<>();
        for (String key : keys) {
            String canonical = Metadata.normalizeKey(key);
            if (canonical == null) {
                fail(s, "INVALID_KEY", key, "invalid key");
                continue;
            }
            s.subscriptions().remove(canonical);
            ok.add(canonical);
        }
        if (!ok.isEmpty()) {
            s.replyParams(Numeric.RPL_METADATAUNSUBOK, ok, false);
        }
    }

    /** News of a key this client is subscribed to, as the draft's third revision sends it. */
    static void deliver(IrcSession s, ChatEvent.MetadataChanged changed) {
        if (!s.has(Cap.METADATA) || changed.by() == s.user() || !s.subscriptions().contains(changed.key())) {
            return;
        }
        s.send(changed.value() == null ? numeric(s, Numeric.RPL_KEYNOTSET, changed.target(), changed.key(), "key not set")
                : keyValue(s, changed.target(), changed.key(), changed.value()));
    }

    /** WHOIS: the target's keys, for clients that asked for metadata. */
    static void whois(IrcSession s, User target) {
        if (s.has(Cap.METADATA)) {
            target.metadataView().forEach((key, value) -> s.replyParams(Numeric.RPL_WHOISKEYVALUE,
                    List.of(target.nick(), key, "*", value), true));
        }
    }

    /** What {@code s} may read of the target; null after telling it why not. */
    private static Map<String, String> readable(IrcSession s, String target, String key) {
        try {
            return s.core().metadata(s.user(), resolve(s, target));
        } catch (ChatException e) {
            refuse(s, e, target, key);
            return null;
        }
    }

    private static String targetName(IrcSession s, String target) {
        try {
            return s.core().metadataTargetName(resolve(s, target));
        } catch (ChatException e) {
            return target;
        }
    }

    private static void refuse(IrcSession s, ChatException e, String target, String key) {
        ChatError error = e.error();
        switch (error) {
            case NO_SUCH_NICK, NO_SUCH_ROOM -> fail(s, "INVALID_TARGET", target, "invalid metadata target");
            case NOT_YOURS, NOT_OPERATOR, NOT_IN_ROOM -> fail(s, "KEY_NO_PERMISSION", target, key, "permission denied");
            case INVALID_KEY -> fail(s, "INVALID_KEY", key, "invalid key");
            case INVALID_VALUE -> fail(s, "INVALID_VALUE", key, "value too long (at most "
                    + Metadata.MAX_VALUE_BYTES + " bytes)");
            case LIMIT_REACHED -> fail(s, "LIMIT_REACHED", target, "metadata limit reached");
            case KEY_NOT_SET -> s.replyParams(Numeric.ERR_KEYNOTSET, List.of(targetName(s, target), key, "key not set"), true);
            default -> fail(s, "INVALID_TARGET", target, "invalid metadata target");
        }
    }

    private static void fail(IrcSession s, String code, String... params) {
        s.send(failLine(s, code, params));
    }

    private static String failLine(IrcSession s, String code, String... params) {
        List<String> all = new ArrayList<>(params.length + 2);
        all.add("METADATA");
        all.add(code);
        all.addAll(List.of(params));
        return new IrcMessage(Map.of(), s.dialect().serverName(), "FAIL", all).toLine(true);
    }

    /** {@code 761 me target key * :value}. */
    private static String keyValue(IrcSession s, String target, String key, String value) {
        return new IrcMessage(Map.of(), s.dialect().serverName(), Numeric.RPL_KEYVALUE,
                List.of(s.nick(), target, key, "*", value)).toLine(true);
    }

    private static String numeric(IrcSession s, String numeric, String target, String key, String text) {
        return new IrcMessage(Map.of(), s.dialect().serverName(), numeric, List.of(s.nick(), target, key, text))
                .toLine(true);
    }
}
