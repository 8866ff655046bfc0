package chat.server.irc;

import chat.server.core.MessageKind;
import java.util.Map;

/**
 * The IRC commands, in the manner of ergo's {@code commands.go}: one table from command name to
 * handler, with the fewest parameters each needs and whether it needs registration, so that too
 * few parameters (461), commands before registration (451) and unknown commands (421) are
 * answered once, here, and every handler starts from a well-formed request. The handlers live by
 * concern: {@link RegistrationCommands}, {@link ChannelCommands}, {@link MessageCommands},
 * {@link QueryCommands}, {@link ModeCommands}, {@link ServerCommands}.
 *
 * <p>Stateless; loop thread only, like the sessions it serves.
 */
final class IrcCommands {

    @FunctionalInterface
    interface Handler {
        void handle(IrcSession session, IrcMessage message);
    }

    /** How a command is checked before its handler runs. */
    record Command(int minParams, boolean needsRegistration, Handler handler) {
    }

    static final Map<String, Command> COMMANDS = Map.ofEntries(
            Map.entry("CAP", new Command(1, false, RegistrationCommands::cap)),
            Map.entry("PASS", new Command(1, false, RegistrationCommands::pass)),
            Map.entry("NICK", new Command(0, false, RegistrationCommands::nick)),
            Map.entry("USER", new Command(4, false, RegistrationCommands::user)),
            Map.entry("PING", new Command(1, false, RegistrationCommands::ping)),
            Map.entry("CHARSET", new Command(0, false, RegistrationCommands::charset)),
            Map.entry("PONG", new Command(0, false, (s, m) -> { })),
            Map.entry("AUTHENTICATE", new Command(1, false, AccountCommands::authenticate)),
            Map.entry("NS", new Command(1, true, AccountCommands::nickServCommand)),
            Map.entry("NICKSERV", new Command(1, true, AccountCommands::nickServCommand)),
            Map.entry("CS", new Command(1, true, ChanServCommands::chanServCommand)),
            Map.entry("CHANSERV", new Command(1, true, ChanServCommands::chanServCommand)),
            Map.entry("QUIT", new Command(0, false, RegistrationCommands::quit)),
            Map.entry("JOIN", new Command(1, true, ChannelCommands::join)),
            Map.entry("PART", new Command(1, true, ChannelCommands::part)),
            Map.entry("PRIVMSG", new Command(0, true, (s, m) -> MessageCommands.message(s, m, MessageKind.TEXT))),
            Map.entry("NOTICE", new Command(0, true, (s, m) -> MessageCommands.message(s, m, MessageKind.NOTICE))),
            Map.entry("TAGMSG", new Command(1, true, (s, m) -> MessageCommands.message(s, m, MessageKind.TAGMSG))),
            Map.entry("NAMES", new Command(0, true, ChannelCommands::names)),
            Map.entry("TOPIC", new Command(1, true, ChannelCommands::topic)),
            Map.entry("KICK", new Command(2, true, ChannelCommands::kick)),
            Map.entry("INVITE", new Command(2, true, ChannelCommands::invite)),
            Map.entry("WHO", new Command(0, true, QueryCommands::who)),
            Map.entry("WHOIS", new Command(1, true, QueryCommands::whois)),
            Map.entry("WHOWAS", new Command(0, true, QueryCommands::whowas)),
            Map.entry("OPER", new Command(2, true, ServerCommands::oper)),
            Map.entry("MONITOR", new Command(1, true, MessageCommands::monitor)),
            // Before registration too: draft/metadata-3 lets a client set its own keys first.
            Map.entry("MARKREAD", new Command(0, true, MessageCommands::markRead)),
            Map.entry("CHATHISTORY", new Command(0, true, HistoryCommands::chathistory)),
            Map.entry("REDACT", new Command(2, true, HistoryCommands::redact)),
            Map.entry("BATCH", new Command(1, true, MultilineCommands::batch)),
            Map.entry("METADATA", new Command(2, false, MetadataCommands::metadata)),
            Map.entry("HELP", new Command(0, true, ServerCommands::help)),
            Map.entry("HELPOP", new Command(0, true, ServerCommands::help)),
            Map.entry("SETNAME", new Command(1, true, (s, m) -> s.core().setRealname(s.user(), m.param(0)))),
            Map.entry("KILL", new Command(1, true, ServerCommands::kill)),
            Map.entry("WALLOPS", new Command(1, true, ServerCommands::wallops)),
            Map.entry("MODE", new Command(1, true, ModeCommands::mode)),
            Map.entry("LIST", new Command(0, true, QueryCommands::list)),
            Map.entry("ISON", new Command(1, true, QueryCommands::ison)),
            Map.entry("USERHOST", new Command(1, true, QueryCommands::userhost)),
            Map.entry("AWAY", new Command(0, true, QueryCommands::away)),
            Map.entry("MOTD", new Command(0, true, (s, m) -> ServerCommands.motd(s))),
            Map.entry("LUSERS", new Command(0, true, (s, m) -> ServerCommands.lusers(s))),
            Map.entry("STATS", new Command(1, true, ServerCommands::stats)),
            Map.entry("VERSION", new Command(0, true, ServerCommands::version)),
            Map.entry("TIME", new Command(0, true, ServerCommands::time)),
            Map.entry("INFO", new Command(0, true, ServerCommands::info)),
            Map.entry("LINKS", new Command(0, true, ServerCommands::links)),
            Map.entry("ADMIN", new Command(0, true, ServerCommands::admin)));

    private IrcCommands() {
    }

    static void dispatch(IrcSession session, IrcMessage message) {
        Command command = COMMANDS.get(message.command());
        if (command == null) {
            session.reply(Numeric.ERR_UNKNOWNCOMMAND, message.command(), "Unknown command");
        } else if (command.needsRegistration() && !session.isRegistered()) {
            session.reply(Numeric.ERR_NOTREGISTERED, "You have not registered");
        } else if (message.params().size() < command.minParams()) {
            session.reply(Numeric.ERR_NEEDMOREPARAMS, message.command(), "Not enough parameters");
        } else {
            command.handler().handle(session, message);
        }
    }
}
