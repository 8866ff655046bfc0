package chat.server.core;

import java.util.function.Function;

/**
 * How one {@link ModeChange} changes a {@link Room}: flags, key, limit, the b/e/I lists and
 * members' privileges, with the checks each needs (a key or mask must be one word that can be
 * given back in a JOIN or a MODE line; a privilege needs a member). The operator check is
 * {@link ChatCore#changeModes}'s.
 *
 * <p>Stateless; loop thread only, as the rooms it changes.
 */
final class RoomModes {

    private RoomModes() {
    }

    /** Applies one change; returns it as announced, or null when it changed nothing. */
    static ModeChange apply(Room room, ModeChange change, Function<String, User> users) throws ChatException {
        char mode = change.mode();
        boolean add = change.add();
        if (ModeChange.FLAGS.indexOf(mode) >= 0) {
            return room.flag(mode, add) ? new ModeChange(add, mode, null) : null;
        }
        if (ModeChange.LISTS.indexOf(mode) >= 0) {
            checkWord(change);
            if (add && room.listSize(mode) >= ModeChange.MAX_LIST_LENGTH) {
                throw new ChatException(ChatError.LIST_FULL, String.valueOf(mode));
            }
            return room.listChange(mode, change.param(), add)
                    ? new ModeChange(add, mode, Masks.normalize(change.param())) : null;
        }
        if (ModeChange.PRIVILEGES.indexOf(mode) >= 0) {
            User target = users.apply(change.param());
            if (target == null) {
                throw new ChatException(ChatError.NO_SUCH_NICK, change.param());
            }
            if (!target.isIn(room)) {
                throw new ChatException(ChatError.USER_NOT_IN_ROOM, target.nick());
            }
            int bit = mode == 'o' ? Room.OPERATOR : Room.VOICE;
            boolean had = mode == 'o' ? room.isOperator(target) : room.hasVoice(target);
            if (had == add) {
                return null;
            }
            room.privilege(target, bit, add);
            return new ModeChange(add, mode, target.nick());
        }
        if (mode == 'k') {
            if (add) {
                checkWord(change);
                room.key(change.param());
                return new ModeChange(true, 'k', change.param());
            }
            if (room.key() == null) {
                return null;
            }
            room.key(null);
            return new ModeChange(false, 'k', "*");
        }
        if (mode == 'l') {
            if (!add) {
                if (room.limit() == 0) {
                    return null;
                }
                room.limit(0);
                return new ModeChange(false, 'l', null);
            }
            int limit;
            try {
                limit = Integer.parseInt(change.param());
            } catch (NumberFormatException e) {
                return null; // a limit that is not a number is ignored, as IRC servers do
            }
            if (limit <= 0) {
                return null;
            }
            room.limit(limit);
            return new ModeChange(true, 'l', String.valueOf(limit));
        }
        throw new ChatException(ChatError.UNKNOWN_MODE, String.valueOf(mode));
    }

    /**
     * Keys and masks are shown as middle parameters of IRC lines and typed in JOIN's list of
     * keys: one word, no comma, no leading colon, as Modern IRC's key grammar asks.
     */
    private static void checkWord(ModeChange change) throws ChatException {
        String word = change.param();
        if (word.isEmpty() || word.charAt(0) == ':' || word.indexOf(' ') >= 0 || word.indexOf(',') >= 0
                || (change.mode() == 'k' && word.length() > ModeChange.MAX_KEY_LENGTH)) {
            throw new ChatException(ChatError.INVALID_MODE_PARAM, String.valueOf(change.mode()));
        }
    }
}
