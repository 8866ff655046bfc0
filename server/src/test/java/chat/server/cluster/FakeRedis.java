package chat.server.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * The Redis of a cluster as a test drives it: the nodes' buses queue their commands, and
 * {@link #process} runs them in the order sent, publishing on the channel as it goes, each
 * message handed to every connected bus in one order. Nothing happens between a node's command
 * and {@link #process}, so a test decides which claims race. The nick and node rules are those
 * of {@code nick.lua} and {@code node.lua} (which {@code RedisBusTest} checks on a real Redis).
 * All on the test's thread.
 */
final class FakeRedis {

    /** Nick key to uid. */
    final Map<String, String> holders = new HashMap<>();
    /** Node name to {incarnation, residue}. */
    final Map<String, long[]> nodes = new HashMap<>();
    /** Every message published, in order. */
    final List<String> channel = new ArrayList<>();
    private final Queue<Runnable> commands = new ArrayDeque<>();
    private final List<Bus> buses = new ArrayList<>();
    private long incarnations;

    Bus bus() {
        Bus bus = new Bus();
        buses.add(bus);
        return bus;
    }

    /** Runs every queued command, and those they lead to, in order. */
    void process() {
        for (Runnable command; (command = commands.poll()) != null; ) {
            command.run();
        }
    }

    /** Drops a node as an expired heartbeat does: its nicks are freed and every node is told. */
    void expire(String node) {
        long[] entry = nodes.remove(node);
        if (entry != null) {
            String prefix = entry[0] + ".";
            holders.values().removeIf(uid -> uid.startsWith(prefix));
            publish("G\0" + entry[0] + "\0" + node);
        }
    }

    /** Forgets everything, as a restarted Redis without persistence (incarnations still grow: they follow its clock). */
    void flush() {
        holders.clear();
        nodes.clear();
    }

    private void publish(String message) {
        channel.add(message);
        for (Bus bus : List.copyOf(buses)) {
            if (bus.up && bus.listener != null) {
                if (bus.missing > 0) {
                    bus.missing--; // lost on the way, as when its node falls behind
                } else {
                    bus.listener.received(message);
                }
            }
        }
    }

    final class Bus implements ClusterBus {
        Listener listener;
        boolean up;
        /** The next messages this bus does not hear. */
        int missing;
        long published;
        long lost;

        @Override
        public void start(Listener listener) {
            this.listener = listener;
            up = true;
            listener.linkUp();
        }

        /** The link breaks: queued commands of this bus are lost, nothing is heard. */
        void cut() {
            up = false;
            listener.linkDown();
        }

        void restore() {
            up = true;
            listener.linkUp();
        }

        private void command(Runnable command) {
            if (!up) {
                lost++;
                return;
            }
            published++;
            commands.add(() -> {
                if (up) {
                    command.run();
                }
            });
        }

        @Override
        public void register(String node, long lifetimeMillis, Consumer<Registration> done, Consumer<Throwable> failed) {
            command(() -> {
                boolean replaced = nodes.containsKey(node);
                if (replaced) {
                    expire(node);
                }
                long incarnation = ++incarnations;
                int residue = 0;
                while (residueUsed(residue)) {
                    residue++;
                }
                nodes.put(node, new long[] {incarnation, residue});
                done.accept(new Registration(incarnation, residue, replaced));
            });
        }

        private boolean residueUsed(int residue) {
            return nodes.values().stream().anyMatch(entry -> entry[1] == residue);
        }

        @Override
        public void beat(String node, long incarnation, long lifetimeMillis, Consumer<Beat> done,
                Consumer<Throwable> failed) {
            command(() -> {
                long[] entry = nodes.get(node);
                boolean alive = entry != null && entry[0] == incarnation;
                Map<Long, String> live = new HashMap<>();
                if (alive) {
                    nodes.forEach((name, e) -> live.put(e[0], name));
                }
                done.accept(new Beat(alive, live));
            });
        }

        @Override
        public void resetNicks(String node, long incarnation) {
            command(() -> {
                long[] entry = nodes.get(node);
                if (entry != null && entry[0] == incarnation) {
                    holders.values().removeIf(uid -> uid.startsWith(incarnation + "."));
                }
            });
        }

        @Override
        public void publish(String message) {
            command(() -> FakeRedis.this.publish(message));
        }

        @Override
        public void publishNick(long incarnation, String uid, String askedKey, String oldKey, String asked, String guest,
                ClusterCodec.Split split) {
            command(() -> {
                if (nodes.values().stream().noneMatch(entry -> entry[0] == incarnation)) {
                    return; // a dropped incarnation claims nothing and says nothing
                }
                String nick = asked;
                String key = askedKey;
                if (!key.isEmpty() && !claim(key, uid)) {
                    nick = guest;
                    key = guest.toLowerCase(java.util.Locale.ROOT);
                    while (!claim(key, uid)) {
                        nick += "_";
                        key += "_";
                    }
                }
                if (!oldKey.isEmpty() && !oldKey.equals(key) && uid.equals(holders.get(oldKey))) {
                    holders.remove(oldKey);
                }
                FakeRedis.this.publish(split.prefix() + ClusterCodec.escape(nick) + split.suffix());
            });
        }

        private boolean claim(String key, String uid) {
            String holder = holders.get(key);
            if (holder != null && !holder.equals(uid)) {
                return false;
            }
            holders.put(key, uid);
            return true;
        }

        @Override
        public void leave(String node, long incarnation) {
            if (up) {
                commands.add(() -> { // sent before the link closes
                    long[] entry = nodes.get(node);
                    if (entry != null && entry[0] == incarnation) {
                        expire(node);
                    }
                });
            }
            up = false;
        }

        @Override
        public void close() {
            up = false;
        }

        @Override
        public long published() {
            return published;
        }

        @Override
        public long lost() {
            return lost;
        }
    }
}
