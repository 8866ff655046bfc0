package chat.server.history;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each message goes in the ring layout (schema version 2): every target has {@link #slots}
 * slots, and a message takes the slot after its target's newest, overwriting the oldest once the
 * ring is full. So a target never holds more than {@code slots} rows and keeping the newest N
 * costs no delete.
 *
 * <p>The invariant everything rests on: read cyclically from the slot after the newest, a
 * target's rows have increasing ids (with holes where a message was deleted). Then the slot
 * after the newest always holds the oldest, and the next slot can be derived from the stored
 * rows alone: after a restart, after a failed commit, or for a target not seen for a while.
 *
 * <p>A file whose rings have another size (an upgraded version 1 file, or a changed
 * {@code --history-size}) is fitted once at open: each target keeps its newest {@code slots}
 * messages, renumbered from slot 0 oldest first, which restores the invariant for the new size.
 *
 * <p>Writer thread only, on the writer's connection, under the store's writer lock.
 */
final class SqliteRing {

    private static final Logger log = LoggerFactory.getLogger(SqliteRing.class);

    /**
     * Targets whose next slot is remembered; the rest are looked up again (one index seek). Far
     * more than a batch's messages, so a target claimed earlier in an open transaction is never
     * forgotten in it; the lookup would find its uncommitted rows all the same.
     */
    static final int REMEMBERED_TARGETS = 65_536;

    private static final String NEWEST_SLOT = "SELECT slot FROM messages INDEXED BY messages_by_target_id"
            + " WHERE target = ? ORDER BY id DESC LIMIT 1";
    private static final String FORGET_BEYOND = "DELETE FROM messages WHERE (target, id) IN (SELECT target, id FROM"
            + " (SELECT target, id, row_number() OVER (PARTITION BY target ORDER BY id DESC) AS age FROM messages)"
            + " WHERE age > ?)";
    // Two passes so that no row takes a slot another still holds: first every slot to a negative
    // one of its own, then each to its rank among the target's rows.
    private static final String SET_ASIDE = "UPDATE messages SET slot = -1 - slot";
    private static final String RENUMBER = "UPDATE messages SET slot = fitted.slot FROM (SELECT target, id,"
            + " row_number() OVER (PARTITION BY target ORDER BY id) - 1 AS slot FROM messages) AS fitted"
            + " WHERE messages.target = fitted.target AND messages.id = fitted.id";

    private final int slots;
    private final Connection writer;
    /** The next slot of recently written targets, least recently used first. */
    private final Map<String, Integer> nextSlots = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED_TARGETS;
        }
    };

    private SqliteRing(int slots, Connection writer) {
        this.slots = slots;
        this.writer = writer;
    }

    /**
     * The rings of the file on {@code writer} with {@code slots} slots each, fitting them first
     * when their size is another (logged, and committed).
     */
    static SqliteRing open(Path file, Connection writer, int slots) throws SQLException {
        if (slots < 1) {
            throw new IllegalArgumentException("slots: " + slots);
        }
        fit(file, writer, slots);
        return new SqliteRing(slots, writer);
    }

    private static void fit(Path file, Connection writer, int slots) throws SQLException {
        try (Statement statement = writer.createStatement()) {
            int was;
            try (ResultSet size = statement.executeQuery("SELECT slots FROM ring_size")) {
                was = size.next() ? size.getInt(1) : 0;
            }
            if (was == slots) {
                writer.commit(); // ends the read
                return;
            }
            long forgotten;
            try (PreparedStatement forget = writer.prepareStatement(FORGET_BEYOND)) {
                forget.setInt(1, slots);
                forgotten = forget.executeUpdate();
            }
            long kept = statement.executeUpdate(SET_ASIDE);
            statement.executeUpdate(RENUMBER);
            statement.executeUpdate("UPDATE ring_size SET slots = " + slots);
            writer.commit();
            if (was == 0 && kept + forgotten == 0) {
                log.debug("history {}: rings of {} slots per target", file, slots);
            } else if (was == 0) {
                log.info("history {}: {} messages laid out in rings of {} slots per target, {} older ones forgotten",
                        file, kept, slots, forgotten);
            } else if (forgotten > 0) {
                log.warn("history {}: --history-size changed from {} to {}: kept the newest {} of each target ({} in"
                        + " all), forgot {} older messages", file, was, slots, slots, kept, forgotten);
            } else {
                log.info("history {}: --history-size changed from {} to {}: every message kept ({} in all)",
                        file, was, slots, kept);
            }
        } catch (SQLException e) {
            writer.rollback();
            throw e;
        }
    }

    int slots() {
        return slots;
    }

    /** The slot {@code target}'s next message goes into; the one after it is the next answer. */
    int claim(String target) throws SQLException {
        Integer next = nextSlots.get(target);
        int slot = next != null ? next : derive(target);
        nextSlots.put(target, (slot + 1) % slots);
        return slot;
    }

    /** The slot after the target's newest row, as the writer's connection sees the file (its own writes included). */
    private int derive(String target) throws SQLException {
        try (PreparedStatement newestSlot = writer.prepareStatement(NEWEST_SLOT)) { // once per target, not per message
            newestSlot.setString(1, target);
            try (ResultSet newest = newestSlot.executeQuery()) {
                return newest.next() ? (newest.getInt(1) + 1) % slots : 0;
            }
        }
    }

    /** After a rollback: what was claimed in it was never written, so every next slot is derived again. */
    void forgetClaims() {
        nextSlots.clear();
    }
}
