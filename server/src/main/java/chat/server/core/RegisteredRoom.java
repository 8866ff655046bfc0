package chat.server.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What a registered room keeps across restarts and empty periods, as ergo's ChanServ keeps a
 * channel: who founded it, which accounts are its operators, and what its operators set (topic,
 * flag modes, key, member limit, the +b/+e/+I lists). Immutable: a change makes a new one,
 * which the core hands to its {@link RoomRegistry}.
 *
 * @param name the room's name as shown, with its {@code #}
 * @param founder the founder's account, as registered; always an operator, never off the list
 * @param registeredMillis when it was registered, milliseconds since the epoch
 * @param operators the other accounts given +o, as registered, in the order given; at most
 *     {@link #MAX_OPERATORS}
 * @param topicSetAt seconds since the epoch, as {@link Room#topicSetAt}
 * @param flags the flag modes set, as letters of {@link ModeChange#FLAGS}
 * @param key the key (+k), or null
 * @param limit the member limit (+l), or 0
 */
public record RegisteredRoom(String name, String founder, long registeredMillis, List<String> operators,
        String topic, String topicSetBy, long topicSetAt, String flags, String key, int limit,
        List<String> bans, List<String> exceptions, List<String> invitations) {

    /**
     * Most operator accounts a registered room keeps, besides its founder: the list is saved
     * whole at each change, so it stays small; a +o past it is given but not remembered.
     */
    public static final int MAX_OPERATORS = 100;

    public RegisteredRoom {
        operators = List.copyOf(operators);
        bans = List.copyOf(bans);
        exceptions = List.copyOf(exceptions);
        invitations = List.copyOf(invitations);
    }

    /** Whether {@code account} (in any case; null for none) is the founder or a listed operator. */
    public boolean isOperatorAccount(String account) {
        if (account == null) {
            return false;
        }
        String key = Names.key(account);
        return Names.key(founder).equals(key) || indexOf(operators, key) >= 0;
    }

    public boolean isFounder(String account) {
        return account != null && Names.key(founder).equals(Names.key(account));
    }

    /** The masks of list mode {@code letter} ({@code b}, {@code e} or {@code I}). */
    public List<String> masks(char letter) {
        return switch (letter) {
            case 'b' -> bans;
            case 'e' -> exceptions;
            case 'I' -> invitations;
            default -> throw new IllegalArgumentException("not a list mode: " + letter);
        };
    }

    /**
     * The same with {@code account} added to or taken off the operators; itself when that
     * changes nothing (the founder, an account listed already, a full list).
     */
    public RegisteredRoom withOperator(String account, boolean on) {
        String accountKey = Names.key(account);
        int index = indexOf(operators, accountKey);
        if (Names.key(founder).equals(accountKey) || (index >= 0) == on || (on && operators.size() >= MAX_OPERATORS)) {
            return this;
        }
        List<String> next = new ArrayList<>(operators);
        if (on) {
            next.add(account);
        } else {
            next.remove(index);
        }
        return new RegisteredRoom(name, founder, registeredMillis, next, topic, topicSetBy, topicSetAt, flags, key,
                limit, bans, exceptions, invitations);
    }

    /** The same without {@code account} on the operator list; itself when it was not there. */
    public RegisteredRoom withoutOperator(String account) {
        return indexOf(operators, Names.key(account)) < 0 ? this : withOperator(account, false);
    }

    private static int indexOf(List<String> accounts, String key) {
        for (int i = 0; i < accounts.size(); i++) {
            if (Names.key(accounts.get(i)).equals(key)) {
                return i;
            }
        }
        return -1;
    }
}
