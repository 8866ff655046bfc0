package chat.server.text;

import chat.server.auth.PasswordChecker;
import chat.server.metrics.ServerStats;
import chat.server.metrics.StatsReport;
import chat.server.net.Connection;

/**
 * The native dialect's commands for server operators: {@code /oper NAME PASSWORD}, which makes
 * the user a server operator as IRC's {@code OPER} does (the same {@code --oper} accounts, the
 * same check off the loop), and {@code /stats}, the server's key figures, the same as IRC's
 * {@code STATS z} ({@link StatsReport}).
 *
 * <p>Loop thread only; one per command line.
 */
final class LineOperatorCommands {

    private final LineSession session;

    LineOperatorCommands(LineSession session) {
        this.session = session;
    }

    void execute(String name, String args) {
        if (name.equals("oper")) {
            oper(args);
        } else {
            stats();
        }
    }

    /**
     * The password is checked off the loop; the session's next lines wait for the answer, so a
     * script's {@code /stats} right after its {@code /oper} is answered as an operator.
     */
    private void oper(String args) {
        String[] words = args.split(" +", 2);
        if (words.length != 2 || words[0].isEmpty()) {
            session.sendLine(LineFormatter.error("usage: /oper NAME PASSWORD"));
            return;
        }
        PasswordChecker operators = session.dialect().operators();
        if (operators == null || !operators.hasOperators()) {
            session.sendLine(LineFormatter.error("this server has no operators"));
            return;
        }
        Connection connection = session.connection();
        connection.holdInput();
        operators.check(words[0], words[1], ok -> {
            try {
                if (!connection.isOpen() || session.user() == null) {
                    return;
                }
                if (ok) {
                    session.core().makeServerOperator(session.user());
                    session.sendLine(LineFormatter.info("you are now a server operator"));
                } else {
                    session.sendLine(LineFormatter.error("operator name or password incorrect"));
                }
            } finally {
                connection.releaseInput();
            }
        });
    }

    private void stats() {
        if (!session.user().isServerOperator()) {
            session.sendLine(LineFormatter.error("/stats is for server operators (/oper NAME PASSWORD)"));
            return;
        }
        ServerStats stats = session.dialect().stats().get();
        if (stats == null) {
            session.sendLine(LineFormatter.error("no figures on this server"));
            return;
        }
        for (String line : StatsReport.lines(stats)) {
            session.sendLine(LineFormatter.info(line));
        }
    }
}
