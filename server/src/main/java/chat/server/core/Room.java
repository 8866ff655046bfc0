package chat.server.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named room: its members in the order they joined, and what its operators set: topic, modes,
 * key, member limit, ban and exception masks, members' privileges, pending invitations. Owned by
 * {@link ChatCore}; mutated on the event-loop thread only.
 *
 * <p>A fresh room has modes {@code +nt} and its first member as operator. What most rooms never
 * use (privileges of members other than the creator, lists, invitations) is allocated on first
 * use: broadcast walks {@link #members} and nothing else.
 */
public final class Room {

    /** Privilege bits of a member. */
    static final int OPERATOR = 1;
    static final int VOICE = 2;

    /** The name as shown, with its {@code #}, spelled as by whoever created the room. */
    private final String name;
    /** Members in join order. An array list: broadcast iterates it far more often than it changes. */
    private final List<User> members = new ArrayList<>();
    /** Privileges of members that have any, by user. */
    private final Map<User, Integer> privileges = new IdentityHashMap<>(4);
    /** The flag modes set, as letters of {@link ModeChange#FLAGS}, in that order. */
    private String flags = "nt";
    /** The key (+k), or null. */
    private String key;
    /** The member limit (+l), or 0 for none. */
    private int limit;
    private String topic = "";
    private String topicSetBy = "";
    /** When the topic was set, seconds since the epoch; 0 when never. */
    private long topicSetAt;
    /** The room's creation, seconds since the epoch. */
    private final long createdAt;
    /** +b, +e and +I masks, by letter; null until the first. */
    private Map<Character, List<String>> lists;
    /** Users invited and not yet joined; null until the first invitation. */
    private List<User> invited;
    /** What its operators set on it; null until they set something. */
    Metadata metadata;
    /** Joins not yet told to the other members, in order; null when none. */
    private List<ChatEvent.Joined> unannounced;
    /**
     * Where each of {@link #unannounced}'s joiners is in {@link #members}: nobody leaves while
     * a join is pending ({@link #remove} tells them first), so the places hold.
     */
    private int[] unannouncedAt;

    /** The metadata its operators set, in the order it was set; empty for most. */
    public Map<String, String> metadataView() {
        return metadata == null ? Map.of() : metadata.view();
    }

    Room(String name, long createdAt) {
        this.name = name;
        this.createdAt = createdAt;
    }

    public String name() {
        return name;
    }

    public int size() {
        return members.size();
    }

    /** Members in join order; a read-only view. */
    public List<User> members() {
        return Collections.unmodifiableList(members);
    }

    void add(User user) {
        members.add(user);
    }

    void remove(User user) {
        announceJoins(); // the joins first, then whatever this removal is told as
        members.remove(user);
        privileges.remove(user);
    }

    /** Delivers one event instance to every member except {@code skip} (which may be null). */
    void broadcast(ChatEvent event, User skip) {
        announceJoins();
        for (int i = 0, n = members.size(); i < n; i++) {
            User member = members.get(i);
            if (member != skip) {
                member.recipient().deliver(event);
            }
        }
    }

    /** The same, to the members {@code audience} includes. */
    void broadcast(ChatEvent event, User skip, Audience audience) {
        announceJoins();
        for (int i = 0, n = members.size(); i < n; i++) {
            User member = members.get(i);
            if (member != skip && audience.includes(this, member)) {
                member.recipient().deliver(event);
            }
        }
    }

    /**
     * Keeps the join of {@code joined.who()}, just added as the newest member, to tell the
     * others with the joins that follow it, by {@link #announceJoins}. True when it is the
     * first one kept.
     */
    boolean gatherJoin(ChatEvent.Joined joined) {
        if (unannounced == null) {
            unannounced = new ArrayList<>();
            unannouncedAt = new int[8];
        } else if (unannounced.size() == unannouncedAt.length) {
            unannouncedAt = java.util.Arrays.copyOf(unannouncedAt, unannouncedAt.length * 2);
        }
        unannouncedAt[unannounced.size()] = members.size() - 1;
        unannounced.add(joined);
        return unannounced.size() == 1;
    }

    /**
     * Tells the members the joins kept by {@link #gatherJoin}, one delivery each: those who
     * were in before all of them get them all; a member who came in meanwhile, the joins after
     * its own. Nothing when none is kept.
     */
    void announceJoins() {
        List<ChatEvent.Joined> joins = unannounced;
        if (joins == null) {
            return;
        }
        int[] at = unannouncedAt;
        unannounced = null;
        unannouncedAt = null;
        int count = joins.size();
        int next = 0; // the first join after the member at hand
        for (int i = 0, n = members.size(); i < n; i++) {
            while (next < count && at[next] <= i) {
                next++;
            }
            if (next == count) {
                break; // the last joiner, and any over-limit joiner after it: nothing to tell
            }
            Recipient recipient = members.get(i).recipient();
            if (next == count - 1) {
                recipient.deliver(joins.get(next));
            } else {
                recipient.deliverJoins(joins, next);
            }
        }
    }

    // ---- what operators set ----

    public boolean isOperator(User user) {
        return (privileges.getOrDefault(user, 0) & OPERATOR) != 0;
    }

    public boolean hasVoice(User user) {
        return (privileges.getOrDefault(user, 0) & VOICE) != 0;
    }

    void privilege(User user, int bit, boolean on) {
        int now = privileges.getOrDefault(user, 0);
        int next = on ? now | bit : now & ~bit;
        if (next == 0) {
            privileges.remove(user);
        } else {
            privileges.put(user, next);
        }
    }

    /** The flag modes set, as letters of {@link ModeChange#FLAGS}, in that order. */
    public String flags() {
        return flags;
    }

    /** Whether flag mode {@code letter} ({@link ModeChange#FLAGS}) is set. */
    public boolean hasFlag(char letter) {
        return flags.indexOf(letter) >= 0;
    }

    /** Sets or clears a flag; false when it already was so. */
    boolean flag(char letter, boolean on) {
        if (hasFlag(letter) == on) {
            return false;
        }
        StringBuilder next = new StringBuilder();
        for (char c : ModeChange.FLAGS.toCharArray()) {
            if (c == letter ? on : hasFlag(c)) {
                next.append(c);
            }
        }
        flags = next.toString();
        return true;
    }

    public String key() {
        return key;
    }

    void key(String key) {
        this.key = key;
    }

    public int limit() {
        return limit;
    }

    void limit(int limit) {
        this.limit = limit;
    }

    /** The modes as IRC shows them: {@code +ntk key}, parameters after the letters. */
    public String modeString() {
        return modeString(true);
    }

    /**
     * The same, with or without the key: shown to anyone, it would let anyone in, so those
     * outside the room see neither the key nor its letter (as ergo does).
     */
    public String modeString(boolean withKey) {
        StringBuilder letters = new StringBuilder("+").append(flags);
        StringBuilder params = new StringBuilder();
        if (key != null && withKey) {
            letters.append('k');
            params.append(' ').append(key);
        }
        if (limit > 0) {
            letters.append('l');
            params.append(' ').append(limit);
        }
        return letters.append(params).toString();
    }

    public String topic() {
        return topic;
    }

    public String topicSetBy() {
        return topicSetBy;
    }

    public long topicSetAt() {
        return topicSetAt;
    }

    void topic(String text, String by, long at) {
        topic = text;
        topicSetBy = by;
        topicSetAt = at;
    }

    public long createdAt() {
        return createdAt;
    }

    /** The masks of list mode {@code letter} ({@code b}, {@code e}, {@code I}), oldest first. */
    public List<String> list(char letter) {
        return lists == null ? List.of() : List.copyOf(lists.getOrDefault(letter, List.of()));
    }

    /** How many masks list mode {@code letter} holds. */
    int listSize(char letter) {
        return lists == null ? 0 : lists.getOrDefault(letter, List.of()).size();
    }

    /** Adds or removes a mask; false when it already was so. */
    boolean listChange(char letter, String mask, boolean add) {
        if (lists == null) {
            if (!add) {
                return false;
            }
            lists = new java.util.HashMap<>(4);
        }
        List<String> masks = lists.computeIfAbsent(letter, l -> new ArrayList<>());
        String normalized = Masks.normalize(mask);
        for (int i = 0; i < masks.size(); i++) {
            if (Names.key(masks.get(i)).equals(Names.key(normalized))) {
                if (add) {
                    return false;
                }
                masks.remove(i);
                return true;
            }
        }
        if (add) {
            masks.add(normalized);
        }
        return add;
    }

    /** True when a mask of list {@code letter} matches the user. */
    boolean listMatches(char letter, User user) {
        if (lists == null) {
            return false;
        }
        for (String mask : lists.getOrDefault(letter, List.of())) {
            if (Masks.matches(mask, user)) {
                return true;
            }
        }
        return false;
    }

    /** Banned and not excepted. */
    boolean isBanned(User user) {
        return listMatches('b', user) && !listMatches('e', user);
    }

    /** Most invitations a room keeps; past it the oldest is forgotten. */
    static final int MAX_INVITATIONS = 64;

    void invite(User user) {
        if (invited == null) {
            invited = new ArrayList<>(2);
        }
        if (!invited.contains(user)) {
            if (invited.size() == MAX_INVITATIONS) {
                invited.remove(0);
            }
            invited.add(user);
        }
    }

    /** True when invited or matching an invite exception; an invitation is used up by the join. */
    boolean takeInvitation(User user) {
        if (invited != null && invited.remove(user)) {
            return true;
        }
        return listMatches('I', user);
    }

    @Override
    public String toString() {
        return name;
    }
}
