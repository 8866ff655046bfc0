package chat.server.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Nicks given up lately (quits and nick changes), for IRC's WHOWAS: the newest
 * {@link #CAPACITY}, the oldest forgotten first.
 *
 * <p>Owned by {@link ChatCore}; loop thread only.
 */
final class NickHistory {

    /** Most nicks remembered. */
    static final int CAPACITY = 1000;

    private final ArrayDeque<Departure> departures = new ArrayDeque<>();

    void remember(String nick, User user) {
        if (departures.size() == CAPACITY) {
            departures.removeFirst();
        }
        departures.addLast(new Departure(nick, user.identity(), System.currentTimeMillis()));
    }

    /** Who had a nick matching {@code mask}, newest first, at most {@code count} (0 or less: all). */
    List<Departure> find(String mask, int count) {
        String pattern = Names.key(mask);
        List<Departure> found = new ArrayList<>();
        for (Iterator<Departure> it = departures.descendingIterator(); it.hasNext(); ) {
            Departure departure = it.next();
            if (Masks.glob(pattern, Names.key(departure.nick()))) {
                found.add(departure);
                if (count > 0 && found.size() == count) {
                    break;
                }
            }
        }
        return found;
    }
}
