package chat.server.irc;

import chat.server.core.ChatCore;
import chat.server.core.ModeChange;
import chat.server.core.Names;
import java.util.ArrayList;
import java.util.List;

/**
 * The ISUPPORT (005) tokens: what a client may assume of this server, and only what it does.
 */
final class Isupport {

    /**
     * Tokens per 005 line: a message holds at most 15 parameters, and the nick and the closing
     * text take two (Modern IRC, RPL_ISUPPORT).
     */
    private static final int TOKENS_PER_LINE = 13;

    private Isupport() {
    }

    static List<String> tokens(IrcDialect dialect) {
        return List.of(
                "AWAYLEN=" + ChatCore.MAX_AWAY_BYTES,
                "BOT=B",
                "CASEMAPPING=rfc8265",
                "CHANLIMIT=#:" + dialect.core().maxRoomsPerUser(),
                "CHANMODES=beI,k,l,imnst",
                "CHANNELLEN=" + (Names.MAX_NAME_LENGTH + 1),
                "CHANTYPES=#",
                "CHATHISTORY=" + HistoryCommands.MAX_LIMIT,
                "ELIST=CMNTU",
                "EXCEPTS=e",
                "INVEX=I",
                "KICKLEN=" + ChatCore.MAX_KICK_REASON_BYTES,
                "MAXLIST=b:" + ModeChange.MAX_LIST_LENGTH + ",e:" + ModeChange.MAX_LIST_LENGTH + ",I:"
                        + ModeChange.MAX_LIST_LENGTH,
                "MONITOR=" + ChatCore.MAX_MONITORED,
                "MSGREFTYPES=msgid,timestamp",
                "NETWORK=" + dialect.network(),
                "NICKLEN=" + Names.MAX_NAME_LENGTH,
                "PREFIX=(ov)@+",
                "STATUSMSG=@+",
                "TARGMAX=JOIN:,PART:,NAMES:,KICK:,PRIVMSG:4,NOTICE:4,WHOIS:1,MONITOR:",
                "TOPICLEN=" + ChatCore.MAX_TOPIC_BYTES,
                "UTF8ONLY",
                "WHOX");
    }

    /** The tokens, cut into lines. */
    static List<List<String>> lines(IrcDialect dialect) {
        List<String> all = tokens(dialect);
        List<List<String>> lines = new ArrayList<>();
        for (int i = 0; i < all.size(); i += TOKENS_PER_LINE) {
            lines.add(all.subList(i, Math.min(all.size(), i + TOKENS_PER_LINE)));
        }
        return lines;
    }
}
