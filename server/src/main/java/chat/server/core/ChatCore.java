package chat.server.core;

import chat.common.Utf8;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Users, rooms and who hears what: the chat itself, with no wire format, no transport and no
 * threads. Dialects call it with parsed requests; it answers through {@link Recipient}s with
 * {@link ChatEvent}s, and refuses bad requests with a {@link ChatException}.
 *
 * <p>Not thread-safe: confined to the event-loop thread, like everything it holds.
 */
public final class ChatCore {

    /** The room every new user is put in, with its {@code #}. */
    private final String defaultRoom;
    /**
     * Joins, parts and quits are announced only in rooms of at most this many members: in a
     * room of thousands they would be most of the traffic (every join told to everyone is
     * quadratic), so large rooms stay quiet, as large channels do elsewhere. The user concerned
     * is still told of its own join and part.
     */
    private final int announceLimit;
    /** Users by {@link Names#key} of their nick. */
    private final Map<String, User> usersByNick = new HashMap<>();
    /**
     * Rooms by {@link Names#key} of their name; a room exists while it has members. What a
     * registered one keeps outlives it in the {@link RoomRegistry}.
     */
    private final Map<String, Room> roomsByName = new HashMap<>();
    /** Nicks given up lately, for WHOWAS. */
    private final NickHistory nickHistory = new NickHistory();
    /** Who monitors which nick. */
    private final Watchers watchers = new Watchers();
    /** Bumped for each fan-out to room mates, so each user is told once without a set. */
    private int visitGeneration;
    private final LongSupplier wallClock;
    /** Most rooms one user may be in; joining one more is refused. */
    private int maxRoomsPerUser = DEFAULT_MAX_ROOMS_PER_USER;
    /** Most rooms on the server; making one more is refused, joining an existing one is not. */
    private int maxRooms = DEFAULT_MAX_ROOMS;
    /** Gives messages their ids. */
    private final MessageIds messageIds = new MessageIds();
    /** Where kept messages go: history, or nowhere. */
    private MessageLog messageLog = MessageLog.NONE;
    /** Which nicks are accounts', and where messages to absent ones go. */
    private AccountDirectory accounts = AccountDirectory.NONE;
    /** Restores registered rooms, gives their accounts +o, keeps their changes. */
    private final RoomRegistration registrations = new RoomRegistration();
    /** Other server nodes, told of this node's users' changes; none on a single node. */
    private Peers peers = Peers.NONE;
    /** Applies the changes other nodes' users made. */
    private final Replica replica = new Replica(this);
    /**
     * Whether joins are told to a room's other members in batches ({@link #gatherJoins}); off,
     * each join is told at once.
     */
    private boolean gatherJoins;
    /** Rooms with joins not yet told to their other members, in the order of their first. */
    private final List<Room> roomsWithUnannouncedJoins = new ArrayList<>();
    /** The most users there were at once: {@link #peakUserCount}. */
    private int peakUserCount;

    /** Announces joins, parts and quits in rooms of up to {@link #DEFAULT_ANNOUNCE_LIMIT} members. */
    public ChatCore(String defaultRoom) {
        this(defaultRoom, DEFAULT_ANNOUNCE_LIMIT);
    }

    /**
     * @param defaultRoom the room new users join, with or without {@code #}
     * @param announceLimit largest room in which joins, parts and quits are announced
     */
    public ChatCore(String defaultRoom, int announceLimit) {
        this(defaultRoom, announceLimit, System::currentTimeMillis);
    }

    /**
     * @param defaultRoom the room new users join, with or without {@code #}
     * @param announceLimit largest room in which joins, parts and quits are announced
     * @param wallClock milliseconds since the epoch, for when rooms were made and topics set
     */
    public ChatCore(String defaultRoom, int announceLimit, LongSupplier wallClock) {
        if (!Names.isValidName(Names.bareRoomName(defaultRoom))) {
            throw new IllegalArgumentException("invalid room name: " + defaultRoom);
        }
        if (announceLimit < 0) {
            throw new IllegalArgumentException("announceLimit: " + announceLimit);
        }
        this.defaultRoom = Names.roomDisplayName(defaultRoom);
        this.announceLimit = announceLimit;
        this.wallClock = wallClock;
    }

    /** Hands every message history keeps to {@code log} from now on. */
    public void accounts(AccountDirectory directory) {
        this.accounts = directory;
    }

    /** Keeps registered rooms in {@code registry} from now on. */
    public void roomRegistry(RoomRegistry registry) {
        registrations.registry(registry);
    }

    public void messageLog(MessageLog log) {
        this.messageLog = log;
    }

    /** Tells {@code peers} of every change from now on (a cluster node). */
    public void peers(Peers peers) {
        this.peers = peers;
    }

    /**
     * From now on, a join is told to the room's other members together with the joins to the
     * same room that follow it, by {@link #announceGatheredJoins}, which the caller runs at the
     * end of each event-loop iteration, before output is written: when thousands of clients
     * enter at once (a restart, a storm), a member gets one write per iteration, not one per
     * joiner. The joiner is told of its own join at once; whatever else a member would be told
     * about the room or a joiner tells the pending joins first, so nobody sees anything out of
     * order.
     */
    public void gatherJoins() {
        gatherJoins = true;
    }

    /** Tells every room's members the joins gathered since the last call. */
    public void announceGatheredJoins() {
        for (int i = 0; i < roomsWithUnannouncedJoins.size(); i++) {
            roomsWithUnannouncedJoins.get(i).announceJoins();
        }
        roomsWithUnannouncedJoins.clear();
    }

    /** Where changes made by users of other nodes are applied, without this node's checks. */
    public Replica replica() {
        return replica;
    }

    /**
     * Message ids from now on are {@code residue} modulo {@code stride}, so that the nodes of a
     * cluster, each with its own residue, never give the same id.
     */
    public void messageIdResidue(int stride, int residue) {
        messageIds.residue(stride, residue);
    }

    /** Message ids go on after {@code id}, the greatest one history kept before a restart. */
    public void continueMessageIdsAfter(long id) {
        messageIds.continueAfter(id);
    }

    /** Messages said since start (room, private and multiline), each counted once however many receive it. */
    public long messagesSaid() {
        return messageIds.issued();
    }

    /** Now, in milliseconds since the epoch, as messages are stamped. */
    public long epochMillis() {
        return wallClock.getAsLong();
    }

    /** Now, in seconds since the epoch, as rooms' creation and topic times count it. */
    public long epochSeconds() {
        return wallClock.getAsLong() / 1000;
    }

    /** Most nicks one user may monitor (IRC's MONITOR). */
    public static final int MAX_MONITORED = Watchers.MAX_PER_WATCHER;

    /** Most nicks remembered for WHOWAS. */
    public static final int MAX_DEPARTURES = NickHistory.CAPACITY;

    /**
     * Longest topic, in bytes of UTF-8 (IRC's TOPICLEN); a longer one is cut, between characters,
     * and the room sees what was kept. 390 is what IRC servers give: the topic then fits, with
     * the longest nick and room name, in the 512-byte line that carries it to an IRC client.
     */
    public static final int MAX_TOPIC_BYTES = 390;
    /** Longest kick reason, in bytes of UTF-8 (IRC's KICKLEN); cut as a topic is. */
    public static final int MAX_KICK_REASON_BYTES = 390;
    /** Longest away message, in bytes of UTF-8 (IRC's AWAYLEN); cut as a topic is. */
    public static final int MAX_AWAY_BYTES = 390;

    /** Default for the most rooms one user may be in ({@code --max-rooms-per-user}; IRC's CHANLIMIT). */
    public static final int DEFAULT_MAX_ROOMS_PER_USER = 50;
    /** Default for the most rooms on the server ({@code --max-rooms}). */
    public static final int DEFAULT_MAX_ROOMS = 100_000;

    /**
     * Bounds the rooms a user may be in and the rooms on the server: without them one connection
     * could make rooms until memory ran out. Rooms already joined stay when a bound is lowered.
     */
    public void roomLimits(int perUser, int total) {
        if (perUser < 1 || total < 1) {
            throw new IllegalArgumentException("room limits: " + perUser + ", " + total);
        }
        this.maxRoomsPerUser = perUser;
        this.maxRooms = total;
    }

    public int maxRoomsPerUser() {
        return maxRoomsPerUser;
    }

    public int maxRooms() {
        return maxRooms;
    }

    /** Default for the largest room in which joins, parts and quits are announced. */
    public static final int DEFAULT_ANNOUNCE_LIMIT = 1000;

    public String defaultRoom() {
        return defaultRoom;
    }

    /** Registers a new user under a fresh guest nick. The caller then joins it to rooms. */
    public User connect(Recipient recipient, Identity identity) {
        User user = new User(recipient, freeGuestNick(), identity);
        user.nickSince(wallClock.getAsLong());
        addUser(Names.key(user.nick()), user);
        watchers.tell(user.nick(), user);
        peers.arrived(user);
        return user;
    }

    /**
     * A user of another node, as it arrived there: no check but that the nick is free here (the
     * caller resolves a collision first).
     */
    User arriveUnchecked(Recipient recipient, String nick, Identity identity, String account) {
        String key = Names.key(nick);
        if (usersByNick.containsKey(key)) {
            throw new IllegalStateException("nick held here: " + nick);
        }
        User user = new User(recipient, nick, identity);
        user.account(account);
        user.nickSince(wallClock.getAsLong());
        addUser(key, user);
        watchers.tell(nick, user);
        return user;
    }

    /**
     * Registers a new user under {@code nick}, which it asked for before it arrived; nobody is
     * told, as nobody shares a room with it yet. The caller then joins it to rooms.
     *
     * @throws ChatException INVALID_NICK or NICK_TAKEN; nothing is registered then
     */
    public User connect(Recipient recipient, String nick, Identity identity) throws ChatException {
        return connect(recipient, nick, identity, null);
    }

    /**
     * The same for a user that logged in to {@code account} before it arrived (IRC's SASL); null
     * for none. Logged in to the account that owns {@code nick}, it takes the nick back from a
     * connection that holds it ({@link ChatEvent.Ghosted}); nobody else may take that nick.
     *
     * @throws ChatException INVALID_NICK, NICK_TAKEN or NICK_RESERVED; nothing is registered then
     */
    public User connect(Recipient recipient, String nick, Identity identity, String account) throws ChatException {
        User holder = usersByNick.get(Names.key(nick));
        if (holder != null && peers.isRemote(holder)) {
            throw new ChatException(ChatError.NICK_TAKEN, nick); // another node's: not to be put out from here
        }
        if (holder != null && account != null && ownsNick(account, nick)) {
            checkNickFree(nick, account, holder);
        } else {
            checkNickFree(nick, account);
        }
        String key = Names.key(nick);
        User user = new User(recipient, nick, identity);
        user.account(account);
        if (account != null && accounts.isServerOperator(account)) {
            user.serverOperator(true); // the dialect says so once it has welcomed the user
        }
        if (holder != null) {
            ghost(holder, user);
        }
        user.nickSince(wallClock.getAsLong());
        if (account != null && ownsNick(account, nick)) {
            ownHistorySinceRegistration(user, account);
        }
        addUser(key, user);
        watchers.tell(nick, user);
        peers.arrived(user);
        return user;
    }

    /** The owner of an account reads its nick's private history from the registration on. */
    private void ownHistorySinceRegistration(User user, String account) {
        long registered = accounts.registeredMillis(account);
        if (registered >= 0 && registered < user.nickSince()) {
            user.nickSince(registered);
        }
    }

    /** Whether {@code account} owns {@code nick}. */
    private boolean ownsNick(String account, String nick) {
        String owner = accounts.ownerOf(nick);
        return owner != null && Names.key(owner).equals(Names.key(account));
    }

    /**
     * Logs the user in to {@code account} (the dialect has checked the password) and gives it the
     * account's nick, taken back from whoever holds it: a stale connection of the owner, usually,
     * which is closed ({@link ChatEvent.Ghosted}). The user, its room mates and its watchers are
     * told ({@link ChatEvent.AccountChanged}), then of the nick change.
     *
     * @return the user that held the nick and was put out, or null
     */
    public User logIn(User user, String account) {
        String before = user.account();
        changeAccount(user, account);
        User holder = usersByNick.get(Names.key(account));
        if (holder != null && holder != user && peers.isRemote(holder)) {
            // Held on another node: its node puts it out; the user keeps its nick until then.
            peers.ghosted(user, holder);
            ownHistorySinceRegistration(user, account);
            maybeChangeServerOperator(user, before, account);
            registrations.opOnLogIn(user);
            return null;
        }
        if (holder != null && holder != user) {
            ghost(holder, user);
        }
        try {
            rename(user, account);
        } catch (ChatException cannot) {
            throw new IllegalStateException("the nick of account " + account + " was not free after the ghost", cannot);
        }
        ownHistorySinceRegistration(user, account);
        maybeChangeServerOperator(user, before, account);
        registrations.opOnLogIn(user);
        return holder == user ? null : holder;
    }

    /**
     * Makes the user a server operator when it logged in to an operator account, and no longer one
     * when it left one for none or another; told to it alone. An OPER by password is not undone
     * by logging out of an ordinary account.
     */
    private void maybeChangeServerOperator(User user, String before, String after) {
        boolean was = before != null && accounts.isServerOperator(before);
        boolean is = after != null && accounts.isServerOperator(after);
        if (is && !user.isServerOperator()) {
            user.serverOperator(true);
            user.recipient().deliver(new ChatEvent.ServerOperatorChanged(user, true));
        } else if (was && !is && user.isServerOperator()) {
            user.serverOperator(false);
            user.recipient().deliver(new ChatEvent.ServerOperatorChanged(user, false));
        }
    }

    /** Logs the user out of its account; it keeps its nick while connected. Told as {@link #logIn}. */
    public void logOut(User user) {
        String before = user.account();
        if (before == null) {
            return;
        }
        changeAccount(user, null);
        maybeChangeServerOperator(user, before, null);
    }

    /** Sets the user's account (null for none) and tells it, its room mates and its watchers. */
    void changeAccount(User user, String account) {
        user.account(account);
        ChatEvent event = new ChatEvent.AccountChanged(user, account);
        tellRoomMatesAndSelf(user, event);
        tellWatchersNotYetTold(user, event);
        peers.accountChanged(user);
    }

    /** Closes {@code holder}'s session for {@code by}, who logged in to the account of its nick. */
    private void ghost(User holder, User by) {
        holder.recipient().deliver(new ChatEvent.Ghosted(by));
        disconnect(holder, ChatEvent.Ghosted.QUIT_REASON); // now: its nick must be free at once
    }

    /** Changes a nick; everyone sharing a room with the user, and the user, is told once. */
    public void rename(User user, String newNick) throws ChatException {
        if (!Names.isValidNick(newNick)) {
            throw new ChatException(ChatError.INVALID_NICK, newNick);
        }
        User holder = usersByNick.get(Names.key(newNick));
        if (holder != null && holder != user) {
            throw new ChatException(ChatError.NICK_TAKEN, newNick);
        }
        checkNotReserved(newNick, user.account());
        renameUnchecked(user, newNick);
    }

    /** Gives the user {@code newNick}, which is free or its own, and tells everyone concerned. */
    void renameUnchecked(User user, String newNick) {
        String oldNick = user.nick();
        String newKey = Names.key(newNick);
        if (oldNick.equals(newNick)) {
            return;
        }
        announceJoinsOf(user); // a pending join shows the nick of when it is told: the old one
        usersByNick.remove(Names.key(oldNick));
        usersByNick.put(newKey, user);
        if (!Names.key(oldNick).equals(newKey)) { // a change of case gives up nothing
            nickHistory.remember(oldNick, user);
            user.nickSince(wallClock.getAsLong());
            watchers.tell(oldNick, null);
            watchers.tell(newNick, user);
        }
        user.nick(newNick);
        tellRoomMatesAndSelf(user, new ChatEvent.NickChanged(oldNick, user));
        peers.renamed(user, oldNick);
    }

    /**
     * Puts the user in a room, creating it if needed (its first member becomes its operator;
     * a registered room is made with what it kept, and only an account it lists as an operator
     * becomes one); the room, joiner included, is told. Joining a room one is already in changes nothing and
     * tells no one.
     *
     * @return the room's display name
     */
    public String join(User user, String roomInput) throws ChatException {
        return join(user, roomInput, null);
    }

    /**
     * The same, with the key the user gave for a room with one (+k); null for none. An invitation
     * lets the user past invite-only (+i); nothing lets it past a ban unless an exception (+e)
     * matches it, nor past the key or the member limit, except that a registered room lets in
     * the accounts it lists as operators, and gives them +o.
     */
    public String join(User user, String roomInput, String key) throws ChatException {
        String bare = Names.bareRoomName(roomInput);
        if (!Names.isValidName(bare)) {
            throw new ChatException(ChatError.INVALID_ROOM, roomInput);
        }
        Room room = roomsByName.get(Names.key(bare));
        if (room != null && user.isIn(room)) {
            return room.name();
        }
        if (user.rooms().size() >= maxRoomsPerUser) {
            throw new ChatException(ChatError.TOO_MANY_ROOMS, room == null ? "#" + bare : room.name());
        }
        boolean created = room == null;
        if (created && roomsByName.size() >= maxRooms) {
            throw new ChatException(ChatError.SERVER_ROOMS_FULL, "#" + bare);
        }
        RegisteredRoom registered = registrations.find(bare);
        if (created) {
            room = new Room(registered != null ? registered.name() : "#" + bare, epochSeconds());
            if (registered != null) {
                RoomRegistration.restore(room, registered); // its bans and key apply to this join too
            }
        }
        // The accounts a registered room lists as operators get in as an operator would let them.
        boolean operatorAccount = registered != null && registered.isOperatorAccount(user.account());
        if (!operatorAccount && (!created || registered != null)) {
            checkMayJoin(user, room, key);
        }
        if (created) {
            roomsByName.put(Names.key(bare), room);
        }
        room.add(user);
        user.addRoom(room);
        if (created && (registered == null || operatorAccount)) {
            room.privilege(user, Room.OPERATOR, true); // its first member; in a registered room, only a listed one
        }
        announce(room, user, new ChatEvent.Joined(room.name(), user));
        if (!created && operatorAccount && !room.isOperator(user)) {
            RoomRegistration.op(room, user);
        }
        peers.joined(user, room);
        return room.name();
    }

    /**
     * Puts a user of another node in a room, as its node let it in: no check, no limit. A room
     * made so has its first member as operator, as on the node that made it.
     */
    void joinUnchecked(User user, String roomName) {
        String bare = Names.bareRoomName(roomName);
        Room room = roomsByName.get(Names.key(bare));
        if (room != null && user.isIn(room)) {
            return;
        }
        boolean created = room == null;
        RegisteredRoom registered = registrations.find(bare);
        if (created) {
            room = new Room(registered != null ? registered.name() : "#" + bare, epochSeconds());
            if (registered != null) {
                RoomRegistration.restore(room, registered);
            }
            roomsByName.put(Names.key(bare), room);
        }
        room.add(user);
        user.addRoom(room);
        if (created && registered == null) {
            room.privilege(user, Room.OPERATOR, true);
        }
        announce(room, user, new ChatEvent.Joined(room.name(), user));
    }

    /** Takes a user of another node out of a room it left there; nothing when it is not in it. */
    void partUnchecked(User user, String roomName, String reason) {
        Room room = roomsByName.get(Names.key(Names.bareRoomName(roomName)));
        if (room != null && user.isIn(room)) {
            announce(room, user, new ChatEvent.Parted(room.name(), user, reason));
            leave(user, room);
        }
    }

    /** {@code by} of another node put {@code target} out of a room; nothing when it is not in it. */
    void kickUnchecked(User by, String roomName, User target, String reason) {
        Room room = roomsByName.get(Names.key(Names.bareRoomName(roomName)));
        if (room != null && target.isIn(room)) {
            leave(target, room);
            ChatEvent kicked = new ChatEvent.Kicked(room.name(), by, target.nick(), reason);
            room.broadcast(kicked, null);
            target.recipient().deliver(kicked);
        }
    }

    /** A message said on another node, with the id and time it was given there, for this node's members. */
    ChatEvent.RoomMessage sayUnchecked(User user, String roomName, String text, MessageKind kind,
            Map<String, String> tags, Audience audience, long id, long time, Multiline lines) {
        Room room = roomsByName.get(Names.key(Names.bareRoomName(roomName)));
        if (room == null) {
            return null; // nobody here is in it
        }
        ChatEvent.RoomMessage message = new ChatEvent.RoomMessage(room.name(), user, text, kind, tags, audience,
                id, time, lines);
        deliver(room, message);
        return message;
    }

    /** Hands a room message to the members its audience names, sender aside, and to history when it is for all. */
    private void deliver(Room room, ChatEvent.RoomMessage message) {
        if (message.audience() == Audience.EVERYONE) {
            room.broadcast(message, message.from());
            if (message.kind() != MessageKind.TAGMSG) {
                messageLog.said(message);
            }
        } else {
            room.broadcast(message, message.from(), message.audience()); // for some members only: not for history
        }
    }

    /** A private message from a user of another node to {@code to}, a user of this one. */
    ChatEvent.PrivateMessage sendPrivateUnchecked(User from, User to, String text, MessageKind kind,
            Map<String, String> tags, long id, long time, Multiline lines) {
        ChatEvent.PrivateMessage message = new ChatEvent.PrivateMessage(from, to.nick(), text, kind, tags, id, time,
                lines);
        to.recipient().deliver(message);
        if (kind != MessageKind.TAGMSG) {
            messageLog.sentPrivately(message);
        }
        return message;
    }

    /** Modes a user of another node changed there, applied as they apply (no operator check); told to this node's members. */
    void modesUnchecked(User by, String roomName, List<ModeChange> changes) {
        Room room = roomsByName.get(Names.key(Names.bareRoomName(roomName)));
        if (room == null) {
            return;
        }
        List<ModeChange> applied = new ArrayList<>();
        for (ModeChange change : changes) {
            try {
                ModeChange done = RoomModes.apply(room, change, this::user);
                if (done != null) {
                    applied.add(done);
                }
            } catch (ChatException differentHere) {
                // a target gone meanwhile: the rest still applies
            }
        }
        if (!applied.isEmpty()) {
            room.broadcast(new ChatEvent.ModeChanged(room.name(), by, applied), null);
        }
    }

    /**
     * A room as another node holds it, set here without telling anyone (a resync after a node
     * joined or came back): flags, key, limit, topic and masks.
     */
    void roomStateUnchecked(String roomName, String flags, String key, int limit, String topic, String topicBy,
            long topicAt, Map<Character, List<String>> masks) {
        Room room = roomsByName.get(Names.key(Names.bareRoomName(roomName)));
        if (room == null) {
            return;
        }
        for (char flag : ModeChange.FLAGS.toCharArray()) {
            room.flag(flag, flags.indexOf(flag) >= 0);
        }
        room.key(key);
        room.limit(limit);
        room.topic(topic, topicBy, topicAt);
        for (char list : ModeChange.LISTS.toCharArray()) {
            List<String> wanted = masks.getOrDefault(list, List.of());
            for (String mask : List.copyOf(room.list(list))) {
                if (!wanted.contains(mask)) {
                    room.listChange(list, mask, false);
                }
            }
            for (String mask : wanted) {
                if (room.listSize(list) >= ModeChange.MAX_LIST_LENGTH) {
                    break; // as a MODE here would refuse more
                }
                room.listChange(list, mask, true);
            }
        }
    }

    /** Sets a member's operator and voice privileges without telling anyone (a resync). */
    void privilegesUnchecked(User user, String roomName, boolean operator, boolean voice) {
        Room room = roomsByName.get(Names.key(Names.bareRoomName(roomName)));
        if (room != null && user.isIn(room)) {
            room.privilege(user, Room.OPERATOR, operator);
            room.privilege(user, Room.VOICE, voice);
        }
    }

    /** The topic a user of another node set; nothing when the room is not here. */
    void topicUnchecked(User by, String roomName, String topic) {
        Room room = roomsByName.get(Names.key(Names.bareRoomName(roomName)));
        if (room != null) {
            room.topic(topic, by.nick(), epochSeconds());
            room.broadcast(new ChatEvent.TopicChanged(room.name(), by, topic), null);
        }
    }

    private static void checkMayJoin(User user, Room room, String key) throws ChatException {
        if (room.isBanned(user)) {
            throw new ChatException(ChatError.BANNED, room.name());
        }
        if (room.limit() > 0 && room.size() >= room.limit()) {
            throw new ChatException(ChatError.ROOM_FULL, room.name());
        }
        if (room.key() != null && !room.key().equals(key)) {
            throw new ChatException(ChatError.BAD_KEY, room.name());
        }
        if (room.hasFlag('i') && !room.takeInvitation(user)) {
            throw new ChatException(ChatError.INVITE_ONLY, room.name());
        }
    }

    /** Takes the user out of a room; the room, leaver included, is told. */
    public void part(User user, String roomInput, String reason) throws ChatException {
        Room room = memberRoom(user, roomInput);
        announce(room, user, new ChatEvent.Parted(room.name(), user, reason));
        leave(user, room);
        peers.parted(user, room, reason);
    }

    /**
     * Says a line in a room; every other member receives it. Members may always speak, except
     * in a moderated room (+m) or when banned, where only operators and voiced members may; in
     * a room without +n, users outside it may speak too.
     *
     * @return the room's display name
     */
    public String say(User user, String roomInput, String text, MessageKind kind) throws ChatException {
        return say(user, roomInput, text, kind, Map.of()).room();
    }

    /** The same, with client tags; returns the event every member was given. */
    public ChatEvent.RoomMessage say(User user, String roomInput, String text, MessageKind kind, Map<String, String> tags)
            throws ChatException {
        return say(user, roomInput, text, kind, tags, Audience.EVERYONE);
    }

    /**
     * The same, for the members of one rank only ({@code PRIVMSG @#room}); whoever may speak in
     * the room may address them, as ergo allows. The sender hears nothing back but its echo.
     */
    public ChatEvent.RoomMessage say(User user, String roomInput, String text, MessageKind kind, Map<String, String> tags,
            Audience audience) throws ChatException {
        return say(user, roomInput, text, kind, tags, audience, null);
    }

    /** The same, for a message sent as several lines ({@code lines}; null for one), whose text is them joined. */
    public ChatEvent.RoomMessage say(User user, String roomInput, String text, MessageKind kind, Map<String, String> tags,
            Audience audience, Multiline lines) throws ChatException {
        Room room = roomsByName.get(Names.key(Names.bareRoomName(roomInput)));
        if (room == null || (!user.isIn(room) && room.hasFlag('n'))) {
            throw new ChatException(ChatError.NOT_IN_ROOM, Names.roomDisplayName(roomInput));
        }
        if ((room.hasFlag('m') || room.isBanned(user)) && !room.isOperator(user) && !room.hasVoice(user)) {
            throw new ChatException(ChatError.CANNOT_SEND, room.name());
        }
        long now = wallClock.getAsLong();
        ChatEvent.RoomMessage message = new ChatEvent.RoomMessage(room.name(), user, text, kind, tags, audience,
                messageIds.next(now), now, lines);
        deliver(room, message);
        peers.said(message);
        return message;
    }

    /**
     * Sets a room's topic; in a room with +t (the default) only its operators may. Every member
     * is told.
     */
    public void setTopic(User user, String roomInput, String topic) throws ChatException {
        Room room = existingRoom(roomInput);
        if (!user.isIn(room)) {
            throw new ChatException(ChatError.NOT_IN_ROOM, room.name());
        }
        if (room.hasFlag('t') && !room.isOperator(user)) {
            throw new ChatException(ChatError.NOT_OPERATOR, room.name());
        }
        String kept = Utf8.cut(topic, MAX_TOPIC_BYTES);
        room.topic(kept, user.nick(), epochSeconds());
        room.broadcast(new ChatEvent.TopicChanged(room.name(), user, kept), null);
        registrations.maybeSave(room);
        peers.topicChanged(user, room);
    }

    /** An operator puts a member out of its room; every member, the target included, is told. */
    public void kick(User user, String roomInput, String targetNick, String reason) throws ChatException {
        Room room = existingRoom(roomInput);
        if (!user.isIn(room)) {
            throw new ChatException(ChatError.NOT_IN_ROOM, room.name());
        }
        if (!room.isOperator(user)) {
            throw new ChatException(ChatError.NOT_OPERATOR, room.name());
        }
        User target = usersByNick.get(Names.key(targetNick));
        if (target == null) {
            throw new ChatException(ChatError.NO_SUCH_NICK, targetNick);
        }
        if (!target.isIn(room)) {
            throw new ChatException(ChatError.USER_NOT_IN_ROOM, target.nick());
        }
        // Out first, then told: the target's dialect may pick another current room on hearing it.
        leave(target, room);
        reason = Utf8.cut(reason, MAX_KICK_REASON_BYTES);
        ChatEvent kicked = new ChatEvent.Kicked(room.name(), user, target.nick(), reason);
        room.broadcast(kicked, null);
        target.recipient().deliver(kicked);
        peers.kicked(user, room, target, reason);
    }

    /**
     * Invites a user to a room the inviter is in, which lets it past invite-only; in an
     * invite-only room only operators may invite. The one invited is told, and so are the
     * room's members who may invite (its operators if it is invite-only, else all).
     *
     * @return the invited user's nick as spelled by its owner
     */
    public String invite(User user, String targetNick, String roomInput) throws ChatException {
        User target = usersByNick.get(Names.key(targetNick));
        if (target == null) {
            throw new ChatException(ChatError.NO_SUCH_NICK, targetNick);
        }
        Room room = existingRoom(roomInput);
        if (!user.isIn(room)) {
            throw new ChatException(ChatError.NOT_IN_ROOM, room.name());
        }
        if (target.isIn(room)) {
            throw new ChatException(ChatError.ALREADY_IN_ROOM, target.nick());
        }
        if (room.hasFlag('i') && !room.isOperator(user)) {
            throw new ChatException(ChatError.NOT_OPERATOR, room.name());
        }
        room.invite(target);
        ChatEvent invited = new ChatEvent.Invited(room.name(), user, target.nick());
        target.recipient().deliver(invited);
        // Members who could have invited too hear of it (IRC's invite-notify); a dialect whose
        // user did not ask for that drops it.
        boolean operatorsOnly = room.hasFlag('i');
        room.announceJoins();
        for (User member : room.members()) {
            if (member != user && (!operatorsOnly || room.isOperator(member))) {
                member.recipient().deliver(invited);
            }
        }
        return target.nick();
    }

    /** What a mode request did: the changes applied, announced, and those refused, with why. */
    public record ModeResult(List<ModeChange> applied, List<ChatException> refused) {
    }

    /**
     * Changes a room's modes; only its operators may. Each change is applied or refused on its
     * own (a privilege for someone not in the room, an unknown letter); what was applied is
     * announced to every member once.
     */
    public ModeResult changeModes(User user, String roomInput, List<ModeChange> changes) throws ChatException {
        Room room = existingRoom(roomInput);
        if (!room.isOperator(user)) {
            throw new ChatException(user.isIn(room) ? ChatError.NOT_OPERATOR : ChatError.NOT_IN_ROOM, room.name());
        }
        List<ModeChange> applied = new ArrayList<>();
        List<ChatException> refused = new ArrayList<>();
        for (ModeChange change : changes) {
            try {
                ModeChange done = RoomModes.apply(room, change, this::user);
                if (done != null) {
                    applied.add(done);
                }
            } catch (ChatException e) {
                refused.add(e);
            }
        }
        if (!applied.isEmpty()) {
            room.broadcast(new ChatEvent.ModeChanged(room.name(), user, applied), null);
            registrations.maybeSave(room, applied, this::user);
            peers.modesChanged(user, room, applied);
        }
        return new ModeResult(applied, refused);
    }

    // ---- registered rooms (ergo's ChanServ): kept across restarts and empty periods ----

    /**
     * Registers a room to the account of the user, one of its operators: from then on its topic,
     * modes and lists are kept, and the accounts it lists as operators get +o when they come.
     *
     * @throws ChatException NO_SUCH_ROOM, NOT_LOGGED_IN, NOT_IN_ROOM, NOT_OPERATOR,
     *     ROOM_REGISTERED, TOO_MANY_REGISTERED_ROOMS
     */
    public RegisteredRoom registerRoom(User user, String roomInput) throws ChatException {
        if (user.account() == null) {
            throw new ChatException(ChatError.NOT_LOGGED_IN, Names.roomDisplayName(roomInput));
        }
        return registrations.register(user, existingRoom(roomInput), wallClock.getAsLong());
    }

    /**
     * Forgets a room's registration, for its founder.
     *
     * @return the room's name as registered
     * @throws ChatException INVALID_ROOM, NOT_LOGGED_IN, ROOM_NOT_REGISTERED, NOT_FOUNDER
     */
    public String dropRoom(User user, String roomInput) throws ChatException {
        return registrations.drop(user, validRoomName(roomInput));
    }

    /**
     * What a registered room keeps: its founder, when, its operator accounts.
     *
     * @throws ChatException INVALID_ROOM, ROOM_NOT_REGISTERED
     */
    public RegisteredRoom registeredRoom(String roomInput) throws ChatException {
        return registrations.registered(validRoomName(roomInput));
    }

    private static String validRoomName(String roomInput) throws ChatException {
        if (!Names.isValidName(Names.bareRoomName(roomInput))) {
            throw new ChatException(ChatError.INVALID_ROOM, roomInput);
        }
        return Names.roomDisplayName(roomInput);
    }


    /**
     * Starts monitoring {@code nick} for {@code watcher}, who is told at once whether it is
     * online, and whenever that changes. Nicks only, no masks: nobody learns more than the
     * nicks they name.
     *
     * @return false when the watcher already monitors {@link #MAX_MONITORED} nicks
     */
    public boolean monitor(User watcher, String nick) {
        String key = Names.key(nick);
        if (!watchers.add(watcher, key)) {
            return false;
        }
        User holder = usersByNick.get(key);
        watcher.recipient().deliver(new ChatEvent.PresenceChanged(holder == null ? nick : holder.nick(), holder));
        return true;
    }

    /** Stops monitoring {@code nick}. */
    public void unmonitor(User watcher, String nick) {
        watchers.remove(watcher, Names.key(nick));
    }

    /** Stops monitoring everything. */
    public void clearMonitor(User watcher) {
        watchers.clear(watcher);
    }

    /** The nicks {@code watcher} monitors, as keys, in the order added. */
    public List<String> monitored(User watcher) {
        return watchers.watchedBy(watcher);
    }

    /**
     * Who had a nick that matches {@code mask} (a nick, or a glob with {@code *} and {@code ?}),
     * newest first, at most {@code count} of them (0 or less: all).
     */
    public List<Departure> whowas(String mask, int count) {
        return nickHistory.find(mask, count);
    }

    /** Whether the user receives WALLOPS (IRC's user mode +w). */
    public void setWallops(User user, boolean on) {
        user.wantsWallops(on);
    }

    /** Makes the user a server operator; the dialect has checked its credentials. */
    public void makeServerOperator(User user) {
        user.serverOperator(true);
    }

    /**
     * A server operator disconnects someone; the target's room mates see it quit with
     * {@code Killed (by: reason)}.
     *
     * @return the target's nick as spelled by its owner
     */
    public String kill(User user, String targetNick, String reason) throws ChatException {
        if (!user.isServerOperator()) {
            throw new ChatException(ChatError.NOT_SERVER_OPERATOR, "KILL");
        }
        User target = usersByNick.get(Names.key(targetNick));
        if (target == null) {
            throw new ChatException(ChatError.NO_SUCH_NICK, targetNick);
        }
        target.recipient().deliver(new ChatEvent.Killed(user, reason));
        peers.killed(user, target, reason);
        return target.nick();
    }

    /** A server operator's message to every server operator. */
    public void wallops(User user, String text) throws ChatException {
        if (!user.isServerOperator()) {
            throw new ChatException(ChatError.NOT_SERVER_OPERATOR, "WALLOPS");
        }
        ChatEvent event = new ChatEvent.Wallops(user, text);
        for (User each : usersByNick.values()) {
            if (each.isServerOperator() || each.wantsWallops()) {
                each.recipient().deliver(event);
            }
        }
    }


    /**
     * Marks the user away with {@code message}, or back when it is null or empty; its room mates
     * are told (dialects that show it do).
     */
    public void setAway(User user, String message) {
        String away = message == null || message.isEmpty() ? null : Utf8.cut(message, MAX_AWAY_BYTES);
        if (away == null && user.away() == null) {
            return;
        }
        user.away(away);
        ChatEvent event = new ChatEvent.AwayChanged(user, away);
        tellRoomMates(user.rooms(), user, event);
        tellWatchersNotYetTold(user, event);
        peers.awayChanged(user);
    }

    /**
     * Tells who monitors the user and shares no room with it (IRC's extended-monitor); call right
     * after telling the room mates, whose visit mark is still the current one.
     */
    private void tellWatchersNotYetTold(User user, ChatEvent event) {
        for (User watcher : watchers.watchersOf(user.nick())) {
            if (watcher.visitMark != visitGeneration && watcher != user) {
                watcher.visitMark = visitGeneration;
                watcher.recipient().deliver(event);
            }
        }
    }

    /** Says whether the user is a bot (IRC's user mode +B). */
    public void setBot(User user, boolean on) {
        user.bot(on);
    }

    /** Changes the user's real name; it and its room mates are told. */
    public void setRealname(User user, String realname) {
        Identity old = user.identity();
        user.identity(new Identity(old.username(), realname, old.address()));
        ChatEvent event = new ChatEvent.RealnameChanged(user, realname);
        tellRoomMatesAndSelf(user, event);
        tellWatchersNotYetTold(user, event);
        peers.realnameChanged(user);
    }

    // ---- read markers (IRCv3 read-marker: how far a user has read each conversation) ----

    /** Most read markers kept per user; past that the one set longest ago is forgotten. */
    public static final int MAX_READ_MARKERS = 1000;

    /**
     * How far the user has read a room or a conversation with a nick: epoch milliseconds, or -1
     * when it never said.
     */
    public long readMarker(User user, String target) {
        Long at = user.readMarkers() == null ? null : user.readMarkers().get(Names.key(target));
        return at == null ? -1 : at;
    }

    /**
     * Moves the user's read marker for a target forward to {@code epochMillis}; a marker never
     * goes back. At most {@link #MAX_READ_MARKERS} are kept per user.
     *
     * @return the marker now stored
     */
    public long markRead(User user, String target, long epochMillis) {
        java.util.LinkedHashMap<String, Long> markers = user.readMarkersToWrite();
        String key = Names.key(target);
        Long before = markers.get(key);
        if (before != null && before >= epochMillis) {
            return before;
        }
        markers.remove(key); // re-inserted last: the eldest is the one set longest ago
        markers.put(key, epochMillis);
        if (markers.size() > MAX_READ_MARKERS) {
            String eldest = markers.keySet().iterator().next();
            markers.remove(eldest);
        }
        return epochMillis;
    }

    // ---- metadata (IRCv3 metadata: display names, avatars, room URLs) ----

    /**
     * The metadata of a user (by nick) or a room (by name, {@code #}), as {@code asker} may see
     * it: a user's is public; a room's is its members', or anyone's when it is neither secret nor
     * invite-only.
     *
     * @throws ChatException NO_SUCH_NICK or NO_SUCH_ROOM; NOT_IN_ROOM when the asker may not see it
     */
    public Map<String, String> metadata(User asker, String target) throws ChatException {
        Metadata metadata = readable(asker, target);
        return metadata == null ? Map.of() : metadata.view();
    }

    private Metadata readable(User asker, String target) throws ChatException {
        if (target.startsWith("#")) {
            Room room = existingRoom(target);
            if (!asker.isIn(room) && (room.hasFlag('s') || room.hasFlag('i'))) {
                throw new ChatException(ChatError.NOT_IN_ROOM, room.name());
            }
            return room.metadata;
        }
        return existingUser(target).metadata();
    }

    /** The target's name as its owner spells it: a nick or a room name. */
    public String metadataTargetName(String target) throws ChatException {
        return target.startsWith("#") ? existingRoom(target).name() : existingUser(target).nick();
    }

    private User existingUser(String nick) throws ChatException {
        User user = usersByNick.get(Names.key(nick));
        if (user == null) {
            throw new ChatException(ChatError.NO_SUCH_NICK, nick);
        }
        return user;
    }

    /**
     * Sets a metadata key of the user itself or of a room it is an operator of; removes it when
     * {@code value} is null. Those who see the target are told ({@link ChatEvent.MetadataChanged}),
     * the setter excepted.
     *
     * @return the key in its canonical form
     * @throws ChatException NO_SUCH_NICK, NO_SUCH_ROOM, NOT_YOURS, NOT_OPERATOR, INVALID_KEY,
     *     INVALID_VALUE, LIMIT_REACHED, KEY_NOT_SET
     */
    public String setMetadata(User by, String target, String key, String value) throws ChatException {
        String canonical = Metadata.normalizeKey(key);
        Object owner = editable(by, target);
        if (canonical == null) {
            throw new ChatException(ChatError.INVALID_KEY, key);
        }
        if (value != null && !Metadata.isValidValue(value)) {
            throw new ChatException(ChatError.INVALID_VALUE, canonical);
        }
        Metadata metadata = owner instanceof Room room ? room.metadata : ((User) owner).metadata();
        if (value == null) {
            if (metadata == null || !metadata.remove(canonical)) {
                throw new ChatException(ChatError.KEY_NOT_SET, canonical);
            }
        } else {
            if (metadata == null) {
                metadata = new Metadata();
                if (owner instanceof Room room) {
                    room.metadata = metadata;
                } else {
                    ((User) owner).metadata(metadata);
                }
            }
            if (!metadata.set(canonical, value)) {
                throw new ChatException(ChatError.LIMIT_REACHED, target);
            }
        }
        tellMetadataChanged(by, owner, canonical, value);
        return canonical;
    }

    /**
     * Removes every metadata key of the user itself or of a room it is an operator of; those who
     * see the target are told of each.
     *
     * @return the keys removed, in the order they had been set
     */
    public List<String> clearMetadata(User by, String target) throws ChatException {
        Object owner = editable(by, target);
        Metadata metadata = owner instanceof Room room ? room.metadata : ((User) owner).metadata();
        if (metadata == null) {
            return List.of();
        }
        List<String> keys = new ArrayList<>(metadata.view().keySet());
        for (String key : keys) {
            metadata.remove(key);
            tellMetadataChanged(by, owner, key, null);
        }
        return keys;
    }

    /** The user or room whose metadata {@code by} may change, or why not. */
    private Object editable(User by, String target) throws ChatException {
        if (target.startsWith("#")) {
            Room room = existingRoom(target);
            if (!room.isOperator(by)) {
                throw new ChatException(ChatError.NOT_OPERATOR, room.name());
            }
            return room;
        }
        User user = existingUser(target);
        if (user != by) {
            throw new ChatException(ChatError.NOT_YOURS, user.nick());
        }
        return user;
    }

    private void tellMetadataChanged(User by, Object owner, String key, String value) {
        if (owner instanceof Room room) {
            room.broadcast(new ChatEvent.MetadataChanged(room.name(), by, key, value), by);
            return;
        }
        User user = (User) owner;
        ChatEvent event = new ChatEvent.MetadataChanged(user.nick(), by, key, value);
        tellRoomMates(user.rooms(), user, event);
        tellWatchersNotYetTold(user, event);
    }

    private Room existingRoom(String roomInput) throws ChatException {
        Room room = roomsByName.get(Names.key(Names.bareRoomName(roomInput)));
        if (room == null) {
            throw new ChatException(ChatError.NO_SUCH_ROOM, Names.roomDisplayName(roomInput));
        }
        return room;
    }

    /**
     * Sends a private message; only the addressee receives it.
     *
     * @return the addressee's nick as spelled by its owner
     */
    public String sendPrivate(User user, String toNick, String text, MessageKind kind) throws ChatException {
        return sendPrivate(user, toNick, text, kind, Map.of()).to();
    }

    /** The same, with client tags; returns the event the addressee was given. */
    public ChatEvent.PrivateMessage sendPrivate(User user, String toNick, String text, MessageKind kind,
            Map<String, String> tags) throws ChatException {
        return sendPrivate(user, toNick, text, kind, tags, null);
    }

    /** The same, for a message sent as several lines ({@code lines}; null for one), whose text is them joined. */
    public ChatEvent.PrivateMessage sendPrivate(User user, String toNick, String text, MessageKind kind,
            Map<String, String> tags, Multiline lines) throws ChatException {
        User to = usersByNick.get(Names.key(toNick));
        if (to == null) {
            return keepForLater(user, toNick, text, kind, tags, lines);
        }
        long now = wallClock.getAsLong();
        ChatEvent.PrivateMessage message = new ChatEvent.PrivateMessage(user, to.nick(), text, kind, tags,
                messageIds.next(now), now, lines);
        to.recipient().deliver(message);
        if (kind != MessageKind.TAGMSG) {
            messageLog.sentPrivately(message);
        }
        peers.sentPrivately(message, to);
        return message;
    }

    /**
     * A private message to a nick nobody holds: kept for its account until the owner logs in
     * ({@link #isOnline} tells the sender's dialect it was kept, not delivered), refused when the
     * nick is nobody's or the account keeps as many as it may. A TAGMSG is not kept.
     */
    private ChatEvent.PrivateMessage keepForLater(User user, String toNick, String text, MessageKind kind,
            Map<String, String> tags, Multiline lines) throws ChatException {
        String account = accounts.ownerOf(toNick);
        if (account == null || kind == MessageKind.TAGMSG) {
            throw new ChatException(ChatError.NO_SUCH_NICK, toNick);
        }
        long now = wallClock.getAsLong();
        ChatEvent.PrivateMessage message = new ChatEvent.PrivateMessage(user, account, text, kind, tags,
                messageIds.next(now), now, lines);
        if (!accounts.keepForLater(account, message)) {
            throw new ChatException(ChatError.MAILBOX_FULL, account);
        }
        messageLog.sentPrivately(message); // in the conversation's history too, for both sides
        return message;
    }

    /** Whether someone holds {@code nick} now (a private message to it was delivered, not kept). */
    public boolean isOnline(String nick) {
        return usersByNick.containsKey(Names.key(nick));
    }

    /**
     * Withdraws message {@code id}, said by {@code author} (history knows who), in a room or in
     * the user's conversation with a nick: its author may, and a room's operators may withdraw
     * anyone's. Members of the room, or both sides of the conversation, are told.
     *
     * @param target a room ({@code #name}) or the nick of the other side
     * @throws ChatException NOT_IN_ROOM (a room the user is not in), NOT_YOURS (someone else's
     *     message, not as an operator)
     */
    public ChatEvent.Redacted redact(User user, String target, String author, long id, String reason)
            throws ChatException {
        boolean own = Names.key(author).equals(Names.key(user.nick()));
        if (target.startsWith("#")) {
            Room room = roomsByName.get(Names.key(Names.bareRoomName(target)));
            if (room == null || !user.isIn(room)) {
                throw new ChatException(ChatError.NOT_IN_ROOM, Names.roomDisplayName(target));
            }
            if (!own && !room.isOperator(user)) {
                throw new ChatException(ChatError.NOT_YOURS, author);
            }
            ChatEvent.Redacted redacted = new ChatEvent.Redacted(room.name(), null, user, id, reason);
            room.broadcast(redacted, null);
            messageLog.redacted(redacted);
            return redacted;
        }
        if (!own) {
            throw new ChatException(ChatError.NOT_YOURS, author);
        }
        User to = usersByNick.get(Names.key(target));
        ChatEvent.Redacted redacted = new ChatEvent.Redacted(null, to == null ? target : to.nick(), user, id, reason);
        user.recipient().deliver(redacted);
        if (to != null && to != user) {
            to.recipient().deliver(redacted);
        }
        messageLog.redacted(redacted);
        return redacted;
    }

    /** The user with this nick (in any case), or null. */
    public User user(String nick) {
        return usersByNick.get(Names.key(nick));
    }

    /** Users whose nick matches {@code mask} ({@code *} and {@code ?} allowed), in no set order. */
    public List<User> usersMatching(String mask) {
        String pattern = Names.key(mask);
        List<User> found = new ArrayList<>();
        for (Map.Entry<String, User> entry : usersByNick.entrySet()) {
            if (Masks.glob(pattern, entry.getKey())) {
                found.add(entry.getValue());
            }
        }
        return found;
    }

    /** The room of this name (with or without {@code #}, in any case), or null. */
    public Room room(String roomInput) {
        return roomsByName.get(Names.key(Names.bareRoomName(roomInput)));
    }

    /**
     * Refuses a nick that is invalid or held by someone.
     *
     * @throws ChatException INVALID_NICK or NICK_TAKEN
     */
    public void checkNickFree(String nick) throws ChatException {
        checkNickFree(nick, null);
    }

    /**
     * The same for a user logged in to {@code account} (null for none): a nick that is another
     * account's is refused too.
     *
     * @throws ChatException INVALID_NICK, NICK_TAKEN or NICK_RESERVED
     */
    public void checkNickFree(String nick, String account) throws ChatException {
        checkNickFree(nick, account, null);
    }

    /** The same, where {@code ghostable} may hold the nick: its owner is taking it back. */
    private void checkNickFree(String nick, String account, User ghostable) throws ChatException {
        if (!Names.isValidNick(nick)) {
            throw new ChatException(ChatError.INVALID_NICK, nick);
        }
        User holder = usersByNick.get(Names.key(nick));
        if (holder != null && holder != ghostable) {
            throw new ChatException(ChatError.NICK_TAKEN, nick);
        }
        checkNotReserved(nick, account);
    }

    /** Refuses a nick that is an account's other than {@code account}. */
    private void checkNotReserved(String nick, String account) throws ChatException {
        String owner = accounts.ownerOf(nick);
        if (owner != null && (account == null || !Names.key(owner).equals(Names.key(account)))) {
            throw new ChatException(ChatError.NICK_RESERVED, nick);
        }
    }

    /** A room's name as shown and its members' nicks, in join order. */
    public RoomMembers members(String roomInput) throws ChatException {
        Room room = roomsByName.get(Names.key(Names.bareRoomName(roomInput)));
        if (room == null) {
            throw new ChatException(ChatError.NO_SUCH_ROOM, Names.roomDisplayName(roomInput));
        }
        List<String> nicks = new ArrayList<>(room.size());
        for (User member : room.members()) {
            nicks.add(member.nick());
        }
        return new RoomMembers(room.name(), nicks);
    }

    /** Every room and its member count, sorted by name. */
    public List<RoomSummary> rooms() {
        List<RoomSummary> list = new ArrayList<>(roomsByName.size());
        for (Room room : roomsByName.values()) {
            list.add(new RoomSummary(room.name(), room.size()));
        }
        list.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
        return list;
    }

    /**
     * The rooms {@code asker} may see listed (secret ones only when it is in them) whose name
     * matches {@code mask} ({@code *} and {@code ?}; null for all), biggest first, at most
     * {@code limit}, with how many matched in all: a listing that stays one readable answer
     * however many rooms there are.
     */
    public RoomListing listRooms(User asker, String mask, int limit) {
        List<Room> visible = new ArrayList<>();
        String key = mask == null ? null : Names.key(Names.roomDisplayName(mask));
        for (Room room : roomsByName.values()) {
            if ((!room.hasFlag('s') || asker.isIn(room)) && (key == null || Masks.glob(key, Names.key(room.name())))) {
                visible.add(room);
            }
        }
        visible.sort((a, b) -> a.size() != b.size() ? Integer.compare(b.size(), a.size())
                : a.name().compareToIgnoreCase(b.name()));
        List<RoomSummary> shown = new ArrayList<>(Math.min(limit, visible.size()));
        for (Room room : visible.subList(0, Math.min(limit, visible.size()))) {
            shown.add(new RoomSummary(room.name(), room.size()));
        }
        return new RoomListing(shown, visible.size());
    }

    /** Some of the rooms that matched, and how many matched in all. */
    public record RoomListing(List<RoomSummary> rooms, int matched) {
    }

    /** The rooms a user is in, oldest first, by display name. */
    public List<String> roomsOf(User user) {
        List<Room> rooms = user.rooms();
        List<String> names = new ArrayList<>(rooms.size());
        for (Room room : rooms) {
            names.add(room.name());
        }
        return names;
    }

    /** Rooms that exist now; unlike {@link #rooms()} it builds nothing. */
    public int roomCount() {
        return roomsByName.size();
    }

    public int userCount() {
        return usersByNick.size();
    }

    /** The most users there were at once since this server started (IRC's LUSERS "max"). */
    public int peakUserCount() {
        return peakUserCount;
    }

    private void addUser(String key, User user) {
        usersByNick.put(key, user);
        peakUserCount = Math.max(peakUserCount, usersByNick.size());
    }

    /**
     * Removes a user from the server. Everyone who shared a room with them is told once,
     * whatever the number of rooms shared. Calling it again for the same user does nothing.
     */
    public void disconnect(User user, String reason) {
        if (!user.isConnected()) {
            return;
        }
        user.disconnected();
        usersByNick.remove(Names.key(user.nick()));
        nickHistory.remember(user.nick(), user);
        clearMonitor(user);
        watchers.tell(user.nick(), null);
        List<Room> rooms = user.rooms();
        for (Room room : rooms) {
            room.remove(user);
        }
        tellRoomMates(rooms, user, new ChatEvent.Quit(user, reason));
        for (Room room : rooms) {
            dropIfEmpty(room);
        }
        user.clearRooms();
        peers.quit(user, reason);
    }

    /** Tells every connected user something, once each. */
    public void noticeAll(String text) {
        ChatEvent notice = new ChatEvent.ServerNotice(text);
        for (User user : usersByNick.values()) {
            user.recipient().deliver(notice);
        }
    }

    /** Tells the whole room, or only the user concerned when the room is too large. */
    private void announce(Room room, User user, ChatEvent event) {
        if (room.size() > announceLimit) {
            user.recipient().deliver(event);
        } else if (gatherJoins && event instanceof ChatEvent.Joined joined) {
            user.recipient().deliver(event);
            if (room.gatherJoin(joined)) {
                roomsWithUnannouncedJoins.add(room);
            }
        } else {
            room.broadcast(event, null);
        }
    }

    /** Tells the pending joins of the rooms {@code user} is in. */
    private void announceJoinsOf(User user) {
        for (Room room : user.rooms()) {
            room.announceJoins();
        }
    }

    private Room memberRoom(User user, String roomInput) throws ChatException {
        Room room = roomsByName.get(Names.key(Names.bareRoomName(roomInput)));
        if (room == null || !user.isIn(room)) {
            throw new ChatException(ChatError.NOT_IN_ROOM, Names.roomDisplayName(roomInput));
        }
        return room;
    }

    private void leave(User user, Room room) {
        room.remove(user);
        user.removeRoom(room);
        dropIfEmpty(room);
    }

    private void dropIfEmpty(Room room) {
        if (room.size() == 0) {
            roomsByName.remove(Names.key(Names.bareRoomName(room.name())));
        }
    }

    private void tellRoomMatesAndSelf(User user, ChatEvent event) {
        user.visitMark = ++visitGeneration;
        user.recipient().deliver(event);
        visitRoomMates(user.rooms(), user, event, visitGeneration);
    }

    private void tellRoomMates(List<Room> rooms, User user, ChatEvent event) {
        user.visitMark = ++visitGeneration;
        visitRoomMates(rooms, user, event, visitGeneration);
    }

    private void visitRoomMates(List<Room> rooms, User user, ChatEvent event, int generation) {
        for (Room room : rooms) {
            if (room.size() > announceLimit) {
                continue; // large rooms are not told of quits and nick changes
            }
            room.announceJoins();
            for (User mate : room.members()) {
                if (mate.visitMark != generation) {
                    mate.visitMark = generation;
                    mate.recipient().deliver(event);
                }
            }
        }
    }

    /**
     * A random free guest nick. Starts at four digits and widens with the number of users, so
     * a free one is found in a try or two even with tens of thousands connected.
     */
    private String freeGuestNick() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long bound = 10_000;
        while (bound < usersByNick.size() * 10L && bound < 1_000_000_000L) {
            bound *= 10;
        }
        for (int attempt = 1; ; attempt++) {
            if (attempt % 8 == 0 && bound < 1_000_000_000L) {
                bound *= 10; // unlucky or crowded: widen rather than loop for long
            }
            String nick = "guest-" + (bound / 10 + random.nextLong(bound - bound / 10));
            if (!usersByNick.containsKey(Names.key(nick)) && accounts.ownerOf(nick) == null) {
                return nick;
            }
        }
    }

    /** A room's name, spelled as by whoever created it, and who is in it. */
    public record RoomMembers(String room, List<String> nicks) {
    }

    /** A room's name and how many are in it. */
    public record RoomSummary(String name, int members) {
    }
}
