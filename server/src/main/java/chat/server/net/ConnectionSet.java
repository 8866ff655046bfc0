package chat.server.net;

import java.util.Arrays;
import java.util.List;

/**
 * The open connections of one {@link TcpServer}, in an array: add and remove in constant time
 * (the last connection moves into the hole), iteration by index.
 *
 * <p>A {@code HashSet} costs a 32-byte node per entry plus its table; an idle server holds one
 * entry per connection, so this keeps the per-connection footprint down by about 40 bytes for
 * the price of one {@code int} in {@link Connection}, which only this class touches. Loop
 * thread only.
 */
final class ConnectionSet {

    private Connection[] connections = new Connection[64];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The connection at {@code index}, 0 &lt;= index &lt; size; order changes with removals. */
    Connection get(int index) {
        return connections[index];
    }

    void add(Connection connection) {
        if (connection.setIndex >= 0) {
            return;
        }
        if (size == connections.length) {
            connections = Arrays.copyOf(connections, size * 2);
        }
        connection.setIndex = size;
        connections[size++] = connection;
    }

    void remove(Connection connection) {
        int index = connection.setIndex;
        if (index < 0) {
            return;
        }
        Connection last = connections[--size];
        connections[index] = last;
        last.setIndex = index;
        connections[size] = null;
        connection.setIndex = -1;
    }

    /** A copy, for walks that close connections (and so remove them) as they go. */
    List<Connection> snapshot() {
        return List.of(Arrays.copyOf(connections, size));
    }
}
