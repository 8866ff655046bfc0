package chat.server.cluster;

import chat.server.core.ChatCore;
import chat.server.core.ChatEvent;
import chat.server.core.Identity;
import chat.server.core.Names;
import chat.server.core.Peers;
import chat.server.core.Replica;
import chat.server.core.Room;
import chat.server.core.User;
import chat.server.net.EventLoop;
import chat.server.net.ThrottledLog;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as one node of a cluster: tells the others, through Redis, what its users do
 * ({@link Peers}), and applies here what theirs do ({@link Replica}), so that every node's core
 * holds every user and room of the chat. A user of another node is a {@link User} here like any
 * other, whose events go nowhere ({@link RemoteUser}); each node tells its own users.
 *
 * <p>Ordering: Redis hands every node the channel's messages in one order. A node tells its own
 * users of their changes at once and the others' in that order, so one sender's messages arrive
 * in the order sent everywhere, and the users of one node see one order; two messages said at the
 * same moment on two nodes may reach the two nodes' users in different orders.
 *
 * <p>Nicks: a nick is checked here against every user known here, and claimed on Redis by the
 * same script that publishes the arrival or the change ({@code nick.lua}); when another node's
 * user claimed it first, Redis publishes the user under its guest nick instead, and when that
 * comes back this node renames its user and tells it why.
 *
 * <p>Liveness: a heartbeat renews the node's entry every fifth of {@code --node-timeout}; the
 * first node to see another's entry expired frees its nicks and tells all ({@code node.lua}), and
 * every node drops that node's users. A node that finds itself dropped (it was silent too long)
 * registers again and re-announces its users. Cut off from Redis, a node keeps serving its own
 * users, tells them once, and after the node timeout drops the others' users (they have dropped
 * its own by then); back, it asks every node for its users ({@link ClusterEvent.Hello}) and sends
 * its own, and the differences are applied as joins, parts and quits.
 *
 * <p>Loop thread only.
 */
public final class ClusterNode implements Peers, ClusterBus.Listener {

    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

    /** What local users are told when the link to Redis breaks and when it is back. */
    static final String LINK_DOWN_NOTICE = "The cluster link is down: only users on this server see you for now.";
    static final String LINK_UP_NOTICE = "The cluster link is back: the whole chat sees you again.";
    static final String FELL_BEHIND_NOTICE = "This server fell behind the others: some of their messages were lost. "
            + "Rooms are being brought up to date.";

    private final ChatCore core;
    private final Replica replica;
    private final EventLoop loop;
    private final ClusterOptions options;
    private final ClusterBus bus;
    /** Accounts shared through the cluster's Redis, or null when accounts are off. */
    private chat.server.accounts.Accounts accounts;
    private final ThrottledLog unreadable = new ThrottledLog(log, 60_000_000_000L);

    /** This node's incarnation, 0 while not registered. */
    private long incarnation;
    /** This node's residue of message ids, as its registration gave it. */
    private int residue;
    private boolean registering;
    private boolean linkUp;
    /** Whether local users were told the link is down (and are owed the notice that it is back). */
    private boolean toldDown;
    private boolean stopped;
    private EventLoop.Timer beatTimer;
    private EventLoop.Timer dropTimer;

    /** This node's users and their numbers (the second part of their uid). */
    private final Map<User, Long> localNumbers = new IdentityHashMap<>();
    /** The same by number, in the order they arrived: a dump names them so, and rooms list them so. */
    private final Map<Long, User> localByNumber = new java.util.LinkedHashMap<>();
    private long nextNumber = 1;
    /** Other nodes' users by uid. */
    private final Map<String, User> remoteByUid = new HashMap<>();
    /**
     * Incarnations known to be gone (dropped, left, or this node's own before it registered
     * again), newest last, at most {@link #MAX_GONE}: their events, still in flight or published
     * by a node that does not know yet it was dropped, make no user here.
     */
    private final java.util.LinkedHashSet<Long> gone = new java.util.LinkedHashSet<>();
    static final int MAX_GONE = 4096;
    /** When this node last asked every node for its users because it fell behind (loop nanos), or 0. */
    private long lastCatchUpNanos;
    /**
     * This node's users who logged in to the account whose nick another node's user held, by that
     * nick's key: when the holder quits (its node put it out), the user takes the nick.
     */
    private final Map<String, User> awaitingNick = new HashMap<>();
    /** When the next heartbeat is due (loop nanos), to tell a late one. */
    private long beatDueNanos;
    /** A heartbeat later or slower than this is logged: what comes before a node is dropped. */
    static final long SLOW_BEAT_MILLIS = 1000;
    private final ThrottledLog slowBeats = new ThrottledLog(log, 5_000_000_000L);
    /** A catch-up put off to the end of the window, or null. */
    private EventLoop.Timer catchUpTimer;
    /** Other nodes' names by incarnation, as their hello, dump or departure gave them. */
    private final Map<Long, String> nodeNames = new HashMap<>();
    /**
     * Rooms a user of this node made (its first member, their operator) whose join the channel
     * has not brought back yet, by room key: when another node's user's join comes back first,
     * that user made the room, as every node sees it, and takes the operator's place here.
     */
    private final Map<String, Creator> unconfirmedCreators = new HashMap<>();

    /** A room's maker here, and when it made it (loop nanos): a join that never came back is forgotten after the node timeout. */
    private record Creator(User user, long sinceNanos) {
    }
    /** During another node's dump: its users not named yet, who are gone if the dump ends without them. */
    private final Map<Long, Set<String>> unconfirmed = new HashMap<>();

    public ClusterNode(ChatCore core, EventLoop loop, ClusterOptions options) {
        this(core, loop, options, new RedisBus(loop, options));
    }

    ClusterNode(ChatCore core, EventLoop loop, ClusterOptions options, ClusterBus bus) {
        this.core = core;
        this.replica = core.replica();
        this.loop = loop;
        this.options = options;
        this.bus = bus;
    }

    /**
     * Shares {@code accounts} with the other nodes: its store is the cluster's Redis
     * ({@link RedisAccountStore}); each change stored here is announced, each announced elsewhere
     * read again here. Before {@link #start}.
     */
    public void accounts(chat.server.accounts.Accounts accounts) {
        this.accounts = accounts;
        accounts.changes(new chat.server.accounts.Accounts.Changes() {
            @Override
            public void account(String accountKey) {
                publish(new ClusterEvent.AccountChanged(incarnation, accountKey));
            }

            @Override
            public void room(String roomKey) {
                publish(new ClusterEvent.RegisteredRoomChanged(incarnation, roomKey));
            }
        });
    }

    /** Starts linking to Redis; the core tells this node of its users' changes from now on. Loop thread. */
    public void start() {
        core.peers(this);
        bus.start(this);
        // A Redis that cannot be reached at start is an outage like any: said once the node
        // timeout has passed without a link (sooner would greet every start with it).
        dropTimer = loop.schedule(options.nodeTimeout().toMillis(), () -> {
            dropTimer = null;
            if (!linkUp && !stopped) {
                log.error("cluster: no link to Redis at {} since start; serving this node's users alone until there is",
                        options.redis());
                linkDown();
            }
        });
    }

    /** Leaves the cluster: deregisters (the other nodes drop this node's users at once) and closes the link. */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        cancel(beatTimer);
        cancel(dropTimer);
        bus.leave(options.nodeName(), incarnation);
    }

    /**
     * Closes the link without leaving, as if the process had died: the other nodes drop this
     * node when its heartbeat expires. For a loop that stopped without {@link #stop}. Any thread.
     */
    public void close() {
        bus.close();
    }

    /** Whether this node is registered and linked: what its users do reaches the other nodes. */
    public boolean linked() {
        return linkUp && incarnation > 0;
    }

    public long incarnation() {
        return incarnation;
    }

    /**
     * Whether message {@code id} was given on this node (its residue is this node's), so that
     * this node saves it in the shared history. Unregistered, a node saves all it hears: only it
     * heard them.
     */
    public boolean gaveId(long id) {
        return incarnation == 0 || Math.floorMod(id, RedisBus.MAX_NODES) == residue;
    }

    /** Users of other nodes known here. */
    public int remoteUsers() {
        return remoteByUid.size();
    }

    public long published() {
        return bus.published();
    }

    public long lost() {
        return bus.lost();
    }

    private long beatIntervalMillis() {
        return options.nodeTimeout().toMillis() / 5;
    }

    /** How long a beat keeps the node alive: with the interval, a dead node is dropped within the node timeout. */
    private long beatLifetimeMillis() {
        return options.nodeTimeout().toMillis() - beatIntervalMillis();
    }

    // ---- the link ----

    @Override
    public void linkUp() {
        linkUp = true;
        cancel(dropTimer);
        dropTimer = null;
        if (incarnation == 0) {
            register();
        } else {
            resync();
        }
        if (toldDown) {
            toldDown = false;
            core.noticeAll(LINK_UP_NOTICE);
        }
    }

    @Override
    public void linkDown() {
        linkUp = false;
        unconfirmedCreators.clear(); // the joins in flight are lost; the dump when back settles operators
        if (!toldDown && !stopped) {
            toldDown = true;
            core.noticeAll(LINK_DOWN_NOTICE);
        }
        cancel(dropTimer);
        // The other nodes drop this node's users after the node timeout; this node drops theirs alike.
        dropTimer = loop.schedule(options.nodeTimeout().toMillis(), () -> {
            dropTimer = null;
            if (!linkUp && !remoteByUid.isEmpty()) {
                log.warn("cluster: no link to Redis for {} s: dropping the {} users of other nodes",
                        options.nodeTimeout().toSeconds(), remoteByUid.size());
                dropRemote(u -> true, "Lost the cluster link");
            }
        });
    }

    @Override
    public void fellBehind(long dropped) {
        // Joins, parts and quits may be among what was lost: every node sends its users again;
        // at most once a node timeout, as the answers make a burst of their own.
        long now = loop.nanoTime();
        long wait = lastCatchUpNanos == 0 ? 0 : lastCatchUpNanos + options.nodeTimeout().toNanos() - now;
        if (wait > 0) {
            if (catchUpTimer == null) { // a second loss in the window is made good at its end
                catchUpTimer = loop.schedule(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(wait) + 1, () -> {
                    catchUpTimer = null;
                    fellBehind(0);
                });
            }
            return;
        }
        lastCatchUpNanos = now;
        core.noticeAll(FELL_BEHIND_NOTICE);
        if (publishing()) {
            helloAndDump();
        }
    }

    private void register() {
        if (registering || stopped || !linkUp) {
            return;
        }
        registering = true;
        bus.register(options.nodeName(), beatLifetimeMillis(), registration -> {
            registering = false;
            incarnation = registration.incarnation();
            residue = registration.residue();
            core.messageIdResidue(RedisBus.MAX_NODES, registration.residue());
            if (registration.replaced()) {
                log.warn("cluster: a node named {} was registered already: an earlier run of this one, or another node "
                        + "under the same name (--node-name must differ between nodes)", options.nodeName());
            }
            log.info("cluster: joined as node {} (incarnation {}), {} users here", options.nodeName(), incarnation,
                    localNumbers.size());
            helloAndDump();
            scheduleBeat();
        }, failure -> {
            registering = false;
            log.warn("cluster: cannot register with Redis: {}; trying again", failure.toString());
            loop.schedule(1000, this::register);
        });
    }

    /**
     * After the link came back: still registered? Either way messages were missed both ways, and
     * every node sends its users again; a failed beat is tried again while the link is up.
     */
    private void resync() {
        long checking = incarnation;
        bus.beat(options.nodeName(), checking, beatLifetimeMillis(), beat -> {
            if (incarnation != checking) {
                return;
            }
            if (beat.alive()) {
                sweep(beat.live());
                bus.resetNicks(options.nodeName(), incarnation); // some may have quit meanwhile; the dump claims the rest
                helloAndDump();
            } else {
                reregister("its entry expired while the link was down");
            }
        }, failed -> {
            log.warn("cluster: heartbeat failed: {}; trying again in 1 s", failed.toString());
            loop.schedule(1000, () -> {
                if (linkUp && incarnation == checking && !stopped) {
                    resync();
                }
            });
        });
    }

    private void reregister(String why) {
        log.warn("cluster: this node was dropped from the cluster ({}); joining again with its {} users", why,
                localNumbers.size());
        if (incarnation > 0) {
            forgetIncarnation(incarnation); // what it still publishes, or is in flight, is no one's now
        }
        incarnation = 0;
        register();
    }

    private void forgetIncarnation(long gone) {
        this.gone.add(gone);
        if (this.gone.size() > MAX_GONE) {
            Long eldest = this.gone.iterator().next();
            this.gone.remove(eldest);
        }
    }

    /**
     * Drops the users of incarnations no longer registered (whose departure this node missed:
     * it was cut off, or Redis restarted while their node was down). Only incarnations older than
     * the newest registered are judged: one newer registered after Redis answered.
     */
    private void sweep(Map<Long, String> live) {
        long newest = live.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        live.forEach((inc, name) -> {
            if (inc != incarnation && !gone.contains(inc)) {
                adopt(inc, name); // a node registered again (Redis restarted): its users keep their place
            }
        });
        Set<Long> dead = new HashSet<>(); // what is left under an incarnation not registered
        for (String uid : remoteByUid.keySet()) {
            long inc = ClusterIds.incarnationOf(uid);
            if (inc < newest && !live.containsKey(inc)) {
                dead.add(inc);
            }
        }
        for (long inc : dead) {
            String node = nodeNames.getOrDefault(inc, "a node");
            forgetIncarnation(inc);
            nodeNames.remove(inc);
            unconfirmed.remove(inc);
            dropRemote(uid -> ClusterIds.incarnationOf(uid) == inc, node + " left the cluster");
            log.info("cluster: {} (incarnation {}) is gone; its users dropped here", node, inc);
        }
    }

    private void scheduleBeat() {
        cancel(beatTimer);
        beatDueNanos = loop.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(beatIntervalMillis());
        beatTimer = loop.schedule(beatIntervalMillis(), this::beat);
    }

    private void beat() {
        beatTimer = null;
        if (stopped) {
            return;
        }
        long sent = loop.nanoTime();
        long lateMillis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(sent - beatDueNanos);
        scheduleBeat();
        if (!linkUp || incarnation == 0) {
            return;
        }
        if (lateMillis > SLOW_BEAT_MILLIS) { // the loop itself was held up: a drop that follows is the node's
            slowBeats.warn("cluster: a heartbeat went out {} ms late (the loop was busy)", lateMillis);
        }
        long beating = incarnation;
        bus.beat(options.nodeName(), beating, beatLifetimeMillis(), beat -> {
            long tookMillis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(loop.nanoTime() - sent);
            if (tookMillis > SLOW_BEAT_MILLIS) { // queued behind other commands, or Redis or its link slow
                slowBeats.warn("cluster: a heartbeat took {} ms to come back from Redis", tookMillis);
            }
            if (incarnation != beating) {
                return;
            }
            if (beat.alive()) {
                sweep(beat.live());
            } else {
                reregister("it missed its heartbeat");
            }
        }, failure -> log.warn("cluster: heartbeat failed: {}", failure.toString()));
    }

    /** Asks every node for its users, and sends this node's; reads the shared accounts again (changes may have been missed). */
    private void helloAndDump() {
        if (accounts != null) {
            accounts.reloadAll();
        }
        bus.publish(ClusterCodec.encode(new ClusterEvent.Hello(incarnation, options.nodeName())));
        dump();
    }

    /** Every user of this node, as it is now, between a begin and an end that let the others drop whom it no longer has. */
    private void dump() {
        bus.publish(ClusterCodec.encode(new ClusterEvent.DumpBegin(incarnation, options.nodeName())));
        Map<String, Room> rooms = new java.util.LinkedHashMap<>();
        for (User user : localByNumber.values()) {
            publishUser(user);
            for (Room room : user.rooms()) {
                rooms.putIfAbsent(room.name(), room);
            }
        }
        for (Room room : rooms.values()) { // after the users, whose joins made the rooms there
            Map<Character, List<String>> masks = new java.util.LinkedHashMap<>();
            for (char list : chat.server.core.ModeChange.LISTS.toCharArray()) {
                masks.put(list, room.list(list));
            }
            bus.publish(ClusterCodec.encode(new ClusterEvent.RoomState(room.name(), room.flags(),
                    room.key() == null ? "" : room.key(), room.limit(), room.topic(), room.topicSetBy(), room.topicSetAt(),
                    masks)));
        }
        bus.publish(ClusterCodec.encode(new ClusterEvent.DumpEnd(incarnation)));
    }

    private void publishUser(User user) {
        String uid = uid(user);
        List<String> rooms = new ArrayList<>();
        for (Room room : user.rooms()) {
            rooms.add((room.isOperator(user) ? "@" : "") + (room.hasVoice(user) ? "+" : "") + room.name());
        }
        Identity identity = user.identity();
        bus.publishNick(incarnation, uid, Names.key(user.nick()), "", user.nick(), ClusterIds.guestNick(uid),
                ClusterCodec.encodeUser(uid, user.nick(), identity.username(), identity.realname(), identity.host(),
                        user.account() == null ? "" : user.account(), rooms, user.away() == null ? "" : user.away()));
    }

    // ---- this node's users: Peers ----

    private boolean isLocal(User user) {
        return user.recipient(RemoteUser.class) == null;
    }

    private String uid(User user) {
        RemoteUser remote = user.recipient(RemoteUser.class);
        if (remote != null) {
            return remote.uid;
        }
        Long number = localNumbers.get(user);
        return number == null ? null : ClusterIds.uid(incarnation, number);
    }

    /** Whether this node's users' changes go out now: registered and linked (else the next dump carries them). */
    private boolean publishing() {
        return linkUp && incarnation > 0 && !stopped;
    }

    private void publish(ClusterEvent event) {
        if (publishing()) {
            bus.publish(ClusterCodec.encode(event));
        }
    }

    @Override
    public void arrived(User user) {
        if (!isLocal(user)) {
            return;
        }
        long number = nextNumber++;
        localNumbers.put(user, number);
        localByNumber.put(number, user);
        if (publishing()) {
            publishUser(user);
        } else if (toldDown) { // arriving during an outage: told too, and told when it ends
            user.recipient(chat.server.core.Recipient.class).deliver(new ChatEvent.ServerNotice(LINK_DOWN_NOTICE));
        }
    }

    @Override
    public void renamed(User user, String oldNick) {
        if (isLocal(user) && publishing()) {
            String uid = uid(user);
            bus.publishNick(incarnation, uid, Names.key(user.nick()), Names.key(oldNick), user.nick(),
                    ClusterIds.guestNick(uid), ClusterCodec.encodeRename(uid, user.nick()));
        }
    }

    @Override
    public void awayChanged(User user) {
        if (isLocal(user)) {
            publish(new ClusterEvent.AwaySet(uid(user), user.away() == null ? "" : user.away()));
        }
    }

    @Override
    public void realnameChanged(User user) {
        if (isLocal(user)) {
            publish(new ClusterEvent.RealnameSet(uid(user), user.identity().realname()));
        }
    }

    @Override
    public void accountChanged(User user) {
        if (isLocal(user)) {
            publish(new ClusterEvent.AccountSet(uid(user), user.account() == null ? "" : user.account()));
        }
    }

    @Override
    public void joined(User user, Room room) {
        if (isLocal(user) && publishing()) {
            if (room.size() == 1 && room.isOperator(user)) {
                unconfirmedCreators.put(roomKey(room.name()), new Creator(user, loop.nanoTime()));
            }
            publish(new ClusterEvent.Joined(uid(user), room.name()));
        }
    }

    private static String roomKey(String room) {
        return Names.key(Names.bareRoomName(room));
    }

    @Override
    public void parted(User user, Room room, String reason) {
        if (isLocal(user)) {
            publish(new ClusterEvent.Parted(uid(user), room.name(), reason));
        }
    }

    @Override
    public void kicked(User by, Room room, User target, String reason) {
        if (isLocal(by)) {
            publish(new ClusterEvent.Kicked(uid(by), room.name(), uid(target), reason));
        }
    }

    @Override
    public void quit(User user, String reason) {
        if (!isLocal(user)) {
            return;
        }
        awaitingNick.values().remove(user);
        String uid = uid(user);
        Long number = localNumbers.remove(user);
        if (number != null) {
            localByNumber.remove(number);
        }
        if (uid != null && publishing()) {
            String message = ClusterCodec.encode(new ClusterEvent.Quit(uid, reason));
            bus.publishNick(incarnation, uid, "", Names.key(user.nick()), "", "", new ClusterCodec.Split(message, ""));
        }
    }

    @Override
    public void said(ChatEvent.RoomMessage m) {
        if (isLocal(m.from())) {
            publish(new ClusterEvent.Said(uid(m.from()), m.room(), m.text(), m.kind(), m.audience(), m.id(), m.time(),
                    m.tags(), m.lines()));
        }
    }

    @Override
    public void sentPrivately(ChatEvent.PrivateMessage m, User to) {
        if (isLocal(m.from()) && !isLocal(to)) {
            publish(new ClusterEvent.Direct(uid(m.from()), uid(to), m.text(), m.kind(), m.id(), m.time(), m.tags(),
                    m.lines()));
        }
    }

    @Override
    public void topicChanged(User by, Room room) {
        if (isLocal(by)) {
            publish(new ClusterEvent.TopicSet(uid(by), room.name(), room.topic()));
        }
    }

    @Override
    public void modesChanged(User by, Room room, List<chat.server.core.ModeChange> applied) {
        if (!isLocal(by)) {
            return;
        }
        List<chat.server.core.ModeChange> changes = new ArrayList<>(applied.size());
        for (chat.server.core.ModeChange change : applied) {
            if (chat.server.core.ModeChange.PRIVILEGES.indexOf(change.mode()) >= 0) {
                User target = core.user(change.param());
                String uid = target == null ? null : uid(target);
                if (uid == null) {
                    continue;
                }
                change = new chat.server.core.ModeChange(change.add(), change.mode(), uid);
            }
            changes.add(change);
        }
        publish(new ClusterEvent.ModesSet(uid(by), room.name(), changes));
    }

    @Override
    public boolean isRemote(User user) {
        return !isLocal(user);
    }

    @Override
    public void ghosted(User by, User holder) {
        if (isLocal(by) && !isLocal(holder)) {
            awaitingNick.put(Names.key(holder.nick()), by);
            publish(new ClusterEvent.Ghost(uid(by), uid(holder)));
        }
    }

    @Override
    public void killed(User by, User target, String reason) {
        if (isLocal(by) && !isLocal(target)) {
            publish(new ClusterEvent.Killed(uid(by), uid(target), reason));
        }
    }

    // ---- the other nodes' users: what the channel says ----

    @Override
    public void received(String message) {
        ClusterEvent event = ClusterCodec.decode(message);
        if (event == null) {
            unreadable.warn("cluster: a message on the channel could not be read (another version's?), ignored: {}",
                    message.length() > 80 ? message.substring(0, 80) + "..." : message);
            return;
        }
        try {
            apply(event);
        } catch (RuntimeException e) { // one bad message must not stop the others
            log.error("cluster: could not apply {}", event, e);
        }
    }

    private boolean own(String uid) {
        return incarnation > 0 && ClusterIds.incarnationOf(uid) == incarnation;
    }

    private void apply(ClusterEvent event) {
        if (event instanceof ClusterEvent.UserState u) {
            userState(u);
        } else if (event instanceof ClusterEvent.Renamed r) {
            if (own(r.uid())) {
                granted(r.uid(), r.nick(), r.asked());
            } else {
                User user = remoteByUid.get(r.uid());
                if (user != null) {
                    makeRoom(r.nick(), user);
                    replica.rename(user, r.nick());
                }
            }
        } else if (event instanceof ClusterEvent.AwaySet w) {
            User user = remote(w.uid());
            if (user != null) {
                replica.away(user, w.message().isEmpty() ? null : w.message());
            }
        } else if (event instanceof ClusterEvent.RealnameSet y) {
            User user = remote(y.uid());
            if (user != null) {
                replica.realname(user, y.realname());
            }
        } else if (event instanceof ClusterEvent.AccountSet a) {
            User user = remote(a.uid());
            if (user != null) {
                replica.account(user, a.account().isEmpty() ? null : a.account());
            }
        } else if (event instanceof ClusterEvent.Joined j) {
            if (own(j.uid())) {
                Creator creator = unconfirmedCreators.get(roomKey(j.room()));
                if (creator != null && creator.user() == local(j.uid())) {
                    unconfirmedCreators.remove(roomKey(j.room())); // first: it made the room
                }
                return;
            }
            User user = remote(j.uid());
            if (user != null && validRoom(j.room())) {
                replica.join(user, j.room());
                Creator made = unconfirmedCreators.remove(roomKey(j.room()));
                User creator = made == null
                        || loop.nanoTime() - made.sinceNanos() > options.nodeTimeout().toNanos() ? null : made.user();
                Room room = core.room(j.room());
                if (creator != null && room != null && room.isOperator(creator) && creator.isIn(room)) {
                    // Made on two nodes at once: the join Redis took first made it, everywhere.
                    replica.modes(user, j.room(), List.of(new chat.server.core.ModeChange(true, 'o', user.nick()),
                            new chat.server.core.ModeChange(false, 'o', creator.nick())));
                }
            }
        } else if (event instanceof ClusterEvent.Parted p) {
            User user = remote(p.uid());
            if (user != null) {
                replica.part(user, p.room(), p.reason());
            }
        } else if (event instanceof ClusterEvent.Kicked k) {
            User by = remote(k.byUid());
            User target = own(k.targetUid()) ? local(k.targetUid()) : remoteByUid.get(k.targetUid());
            if (by != null && target != null) {
                replica.kick(by, k.room(), target, k.reason());
            }
        } else if (event instanceof ClusterEvent.Quit q) {
            User user = remote(q.uid());
            if (user != null) {
                remoteByUid.remove(q.uid());
                replica.quit(user, q.reason());
                takeFreedNick(user.nick());
            }
        } else if (event instanceof ClusterEvent.Said s) {
            User from = remote(s.uid());
            if (from != null) {
                replica.say(from, s.room(), s.text(), s.kind(), s.tags(), s.audience(), s.id(), s.time(), s.lines());
            }
        } else if (event instanceof ClusterEvent.Direct d) {
            User from = remote(d.fromUid());
            User to = own(d.toUid()) ? local(d.toUid()) : null;
            if (from != null && to != null) {
                replica.sendPrivate(from, to, d.text(), d.kind(), d.tags(), d.id(), d.time(), d.lines());
            }
        } else if (event instanceof ClusterEvent.TopicSet t) {
            User by = remote(t.uid());
            if (by != null) {
                replica.topic(by, t.room(), t.topic());
            }
        } else if (event instanceof ClusterEvent.ModesSet m) {
            User by = remote(m.uid());
            if (by != null) {
                List<chat.server.core.ModeChange> changes = new ArrayList<>();
                for (chat.server.core.ModeChange change : m.changes()) {
                    if (chat.server.core.ModeChange.PRIVILEGES.indexOf(change.mode()) >= 0) {
                        User target = anyUser(change.param());
                        if (target == null) {
                            continue; // gone meanwhile
                        }
                        change = new chat.server.core.ModeChange(change.add(), change.mode(), target.nick());
                    }
                    changes.add(change);
                }
                replica.modes(by, m.room(), changes);
            }
        } else if (event instanceof ClusterEvent.RoomState r) {
            if (validRoom(r.room())) {
                replica.roomState(r.room(), r.flags(), r.key().isEmpty() ? null : r.key(), r.limit(), r.topic(),
                        r.topicBy(), r.topicAt(), r.masks());
            }
        } else if (event instanceof ClusterEvent.Ghost g) {
            User by = remote(g.byUid());
            User holder = own(g.holderUid()) ? local(g.holderUid()) : null;
            if (by != null && holder != null) {
                log.info("cluster: {} logged in to {} on another node; this node's user of that nick is put out", by.nick(),
                        holder.nick());
                replica.ghost(by, holder);
            }
        } else if (event instanceof ClusterEvent.Killed k) {
            User by = remote(k.byUid());
            User target = own(k.targetUid()) ? local(k.targetUid()) : null;
            if (by != null && target != null) {
                log.info("cluster: {} of another node kills {} here: {}", by.nick(), target.nick(), k.reason());
                replica.kill(by, target, k.reason());
            }
        } else if (event instanceof ClusterEvent.AccountChanged c) {
            if (c.incarnation() != incarnation && accounts != null) {
                accounts.reloadAccount(c.key());
            }
        } else if (event instanceof ClusterEvent.RegisteredRoomChanged z) {
            if (z.incarnation() != incarnation && accounts != null) {
                accounts.rooms().reload(z.key());
            }
        } else if (event instanceof ClusterEvent.Hello h) {
            if (h.incarnation() != incarnation && !gone.contains(h.incarnation())) {
                adopt(h.incarnation(), h.node());
                if (accounts != null) {
                    accounts.reloadAll(); // its account changes while it was not linked were announced to nobody
                }
                log.info("cluster: node {} joined (incarnation {})", h.node(), h.incarnation());
                if (publishing()) {
                    dump();
                }
            }
        } else if (event instanceof ClusterEvent.DumpBegin b) {
            if (b.incarnation() != incarnation && !gone.contains(b.incarnation())) {
                adopt(b.incarnation(), b.node());
                Set<String> users = new HashSet<>();
                for (String uid : remoteByUid.keySet()) {
                    if (ClusterIds.incarnationOf(uid) == b.incarnation()) {
                        users.add(uid);
                    }
                }
                unconfirmed.put(b.incarnation(), users);
            }
        } else if (event instanceof ClusterEvent.DumpEnd e) {
            Set<String> gone = unconfirmed.remove(e.incarnation());
            if (gone != null && !gone.isEmpty()) {
                dropRemote(gone::contains, "Left while the cluster link was down");
            }
        } else if (event instanceof ClusterEvent.Gone g) {
            if (g.incarnation() == incarnation) {
                if (!stopped) { // a stopping node hears its own departure
                    reregister("another node found its heartbeat expired");
                }
            } else {
                forgetIncarnation(g.incarnation());
                String node = nodeNames.getOrDefault(g.incarnation(), g.node());
                nodeNames.remove(g.incarnation());
                unconfirmed.remove(g.incarnation());
                int before = remoteByUid.size();
                dropRemote(uid -> ClusterIds.incarnationOf(uid) == g.incarnation(), node + " left the cluster");
                log.info("cluster: node {} left; its {} users with it", node, before - remoteByUid.size());
            }
        }
    }

    /**
     * Node {@code node} is now incarnation {@code incarnation}. When it was known under another
     * (it registered again: Redis restarted, or lost its entry while it was cut off and its users
     * were not dropped here), its users keep their place here under their new uids, so that its
     * dump finds them and changes nothing for those still there.
     */
    private void adopt(long incarnation, String node) {
        List<Long> earlier = new ArrayList<>();
        nodeNames.forEach((known, name) -> {
            if (name.equals(node) && known < incarnation) { // never back to an older one (a late answer)
                earlier.add(known);
            }
        });
        if (nodeNames.keySet().stream().anyMatch(known -> known > incarnation && node.equals(nodeNames.get(known)))) {
            return; // a newer incarnation of that node is known already
        }
        nodeNames.put(incarnation, node);
        for (long old : earlier) {
            nodeNames.remove(old);
            unconfirmed.remove(old);
            List<String> uids = new ArrayList<>();
            for (String uid : remoteByUid.keySet()) {
                if (ClusterIds.incarnationOf(uid) == old) {
                    uids.add(uid);
                }
            }
            for (String uid : uids) {
                User user = remoteByUid.remove(uid);
                String renewed = incarnation + uid.substring(uid.indexOf('.'));
                user.recipient(RemoteUser.class).uid = renewed;
                remoteByUid.put(renewed, user);
            }
            if (!uids.isEmpty()) {
                log.info("cluster: node {} is back as incarnation {} (was {}); its {} users known here kept", node,
                        incarnation, old, uids.size());
            }
        }
    }

    /** A user of another node as a dump or its arrival describes it: made, or brought up to date. */
    private void userState(ClusterEvent.UserState u) {
        if (own(u.uid())) {
            granted(u.uid(), u.nick(), u.asked());
            return;
        }
        if (ClusterIds.incarnationOf(u.uid()) <= 0 || !Names.isValidNick(u.nick())
                || gone.contains(ClusterIds.incarnationOf(u.uid()))) {
            return; // a gone node's: its users were dropped, and stay dropped
        }
        Set<String> pending = unconfirmed.get(ClusterIds.incarnationOf(u.uid()));
        if (pending != null) {
            pending.remove(u.uid());
        }
        User user = remoteByUid.get(u.uid());
        makeRoom(u.nick(), user);
        String account = u.account().isEmpty() ? null : u.account();
        if (user == null) {
            user = replica.arrive(new RemoteUser(u.uid()), u.nick(),
                    new Identity(u.username(), u.realname(), address(u.host())), account);
            remoteByUid.put(u.uid(), user);
        } else {
            replica.rename(user, u.nick());
            replica.account(user, account);
            replica.realname(user, u.realname());
        }
        String away = u.away().isEmpty() ? null : u.away();
        if (!java.util.Objects.equals(user.away(), away)) {
            replica.away(user, away);
        }
        Set<String> rooms = new HashSet<>();
        for (String entry : u.rooms()) {
            int hash = entry.indexOf('#');
            String room = hash < 0 ? entry : entry.substring(hash);
            String privileges = hash < 0 ? "" : entry.substring(0, hash);
            if (validRoom(room)) {
                rooms.add(Names.key(Names.bareRoomName(room)));
                replica.join(user, room);
                replica.privileges(user, room, privileges.indexOf('@') >= 0, privileges.indexOf('+') >= 0);
            }
        }
        for (Room room : List.copyOf(user.rooms())) {
            if (!rooms.contains(Names.key(Names.bareRoomName(room.name())))) {
                replica.part(user, room.name(), "");
            }
        }
    }

    /**
     * This node's user came back from Redis with {@code nick}: when it is not the nick it asked
     * for, another node's user claimed that one first, and the user takes the nick Redis gave it.
     */
    private void granted(String uid, String nick, String asked) {
        User user = local(uid);
        if (user == null || Names.key(nick).equals(Names.key(asked))
                || !Names.key(user.nick()).equals(Names.key(asked))) {
            return; // granted, or gone, or renamed since
        }
        giveUp(user, nick);
    }

    /**
     * Frees {@code nick} here for {@code claimant} (null for a new user): Redis granted it to
     * them, so whoever else holds it here lost a race (a user of this node) or is out of date (a
     * user of another node whose change was missed) and takes its guest nick.
     */
    private void makeRoom(String nick, User claimant) {
        User holder = core.user(nick);
        if (holder == null || holder == claimant) {
            return;
        }
        String uid = uid(holder);
        if (uid == null) {
            return;
        }
        if (isLocal(holder)) {
            giveUp(holder, ClusterIds.guestNick(uid));
        } else {
            replica.rename(holder, freeNick(ClusterIds.guestNick(uid)));
        }
    }

    /** This node's user loses its nick to another node's user who claimed it at the same moment. */
    private void giveUp(User user, String nick) {
        String lost = user.nick();
        String next = freeNick(nick);
        replica.rename(user, next); // published like any change: the others learn the nick Redis granted
        user.recipient(chat.server.core.Recipient.class).deliver(new ChatEvent.ServerNotice(
                "The nick " + lost + " was taken on another server of this chat at the same moment; you are now " + next
                        + "."));
    }

    /** {@code nick}, or it with underscores when someone here holds it. */
    private String freeNick(String nick) {
        String candidate = nick;
        while (core.user(candidate) != null) {
            candidate += "_";
        }
        return candidate;
    }

    /** A nick another node's user held is free: the user of this node that logged in to its account takes it. */
    private void takeFreedNick(String nick) {
        User waiting = awaitingNick.remove(Names.key(nick));
        if (waiting != null && waiting.isConnected() && waiting.account() != null
                && Names.key(waiting.account()).equals(Names.key(nick))) {
            try {
                core.rename(waiting, waiting.account());
            } catch (chat.server.core.ChatException taken) {
                log.info("cluster: {} could not take the nick of its account {}: {}", waiting.nick(), waiting.account(),
                        taken.getMessage());
            }
        }
    }

    /** This node's user or another's, by uid. */
    private User anyUser(String uid) {
        return own(uid) ? local(uid) : remoteByUid.get(uid);
    }

    private User remote(String uid) {
        return own(uid) ? null : remoteByUid.get(uid);
    }

    private User local(String uid) {
        int dot = uid.indexOf('.');
        try {
            return localByNumber.get(Long.parseLong(uid.substring(dot + 1), 36));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean validRoom(String room) {
        return room.startsWith("#") && Names.isValidName(room.substring(1));
    }

    /** Quits every user of another node that {@code which} picks, with {@code reason}. */
    private void dropRemote(java.util.function.Predicate<String> which, String reason) {
        List<String> uids = new ArrayList<>();
        for (String uid : remoteByUid.keySet()) {
            if (which.test(uid)) {
                uids.add(uid);
            }
        }
        for (String uid : uids) {
            replica.quit(remoteByUid.remove(uid), reason);
        }
    }

    /** The address a user of another node came from, from its text (always an IP literal: no lookup). */
    private static InetAddress address(String host) {
        boolean literal = !host.isEmpty() && host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
        if (literal) {
            try {
                return InetAddress.getByName(host);
            } catch (UnknownHostException malformed) {
                // fall through
            }
        }
        return InetAddress.getLoopbackAddress();
    }

    private static void cancel(EventLoop.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
